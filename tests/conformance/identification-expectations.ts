// The default finding identification rules (lib/identification/rules.ts), written out on their own for the
// conformance expectations, without any code of lib/identification. The first rule whose
// values are all present decides. The shared reports need no alias or version parsing, so
// values are only case- and white-space-folded.

export interface IdentityFacts {
  type?: 'vulnerability' | 'misconfiguration';
  source: string;
  cve?: string;
  cpe?: string;
  product?: string;
  version?: string;
  port?: string;
  protocol?: string;
  vendorId?: string;
  title: string;
  policy?: string;
}

function fold(value: string | undefined): string | undefined {
  const folded = value?.trim().replace(/\s+/g, ' ').toLowerCase();
  return folded ? folded : undefined;
}

/** Returns the identity of a finding under the default rules, as text that is equal for one finding. */
export function defaultIdentity(facts: IdentityFacts): string {
  const title = fold(facts.title);
  const vendorId = fold(facts.vendorId);
  const product = fold(facts.product);
  const source = fold(facts.source) ?? '';

  if (facts.type === 'misconfiguration') {
    if (facts.policy && title && product) return `misconfiguration|policy|${fold(facts.policy)}|${title}|${product}`;
    if (vendorId && product) return `misconfiguration|check|${source}|${vendorId}|${product}`;
    if (title && product) return `misconfiguration|title|${title}|${product}`;
    return `misconfiguration|title|${title ?? ''}`;
  }

  const cve = facts.cve?.trim().toUpperCase() || undefined;
  const version = fold(facts.version);
  const port = facts.port?.trim() || undefined;
  const protocol = fold(facts.protocol);
  if (cve && fold(facts.cpe)) return `cpe|${cve}|${fold(facts.cpe)}`;
  if (cve && product && version) return `package|${cve}|${product}|${version}`;
  if (cve && product) return `product|${cve}|${product}`;
  if (cve && port && protocol) return `endpoint|${cve}|${port}|${protocol}`;
  if (cve && port) return `port|${cve}|${port}`;
  if (cve) return `cve|${cve}`;
  if (vendorId) return `vendor|${source}|${vendorId}`;
  return `title|${title ?? ''}`;
}
