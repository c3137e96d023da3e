// Alias kinds and limits, without the database code, for client components.

export const ALIAS_KINDS = ['vendor', 'product'] as const;
export type AliasKind = (typeof ALIAS_KINDS)[number];

export const ALIAS_KIND_LABELS: Record<AliasKind, string> = { vendor: 'Vendor', product: 'Product' };

/** Maximum length of an alias or canonical name, in characters. */
export const MAX_ALIAS_LENGTH = 200;
