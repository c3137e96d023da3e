import bundled from './data/technology-aliases.json';
import { fold } from './fold';

/**
 * Legal-form words that end vendor names in uninstall registries and plugin output ("Oracle
 * Corporation", "Adobe Inc."). A vendor without an alias entry is compared without them.
 */
const LEGAL_FORMS = new Set(['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'llc', 'l.l.c', 'gmbh', 'ag', 'sa', 's.a', 'se', 'nv', 'n.v', 'bv', 'b.v', 'plc', 'pty', 'lp', 'l.p', 's.r.o']);

export interface AliasData {
  /** Canonical vendor name → its other spellings. */
  vendors: Record<string, string[]>;
  /** Canonical product name → its other spellings. */
  products: Record<string, string[]>;
}

/**
 * Maps vendor and product spellings to one canonical name each, the way the NVD CPE dictionary
 * writes them (lower case, `_` for spaces). Spellings without an entry are folded and have
 * spaces turned into `_`, and vendors lose a trailing legal form.
 */
export class AliasTable {
  private readonly vendors = new Map<string, string>();
  private readonly products = new Map<string, string>();

  constructor(...sources: AliasData[]) {
    // Later sources win, so an organization's own aliases can override the bundled table.
    for (const source of sources) {
      for (const [canonical, spellings] of Object.entries(source.vendors)) {
        for (const spelling of [canonical, ...spellings]) this.vendors.set(spellingKey(spelling), fold(canonical));
      }
      for (const [canonical, spellings] of Object.entries(source.products)) {
        for (const spelling of [canonical, ...spellings]) this.products.set(spellingKey(spelling), fold(canonical));
      }
    }
  }

  /** CPE names write spaces as `_`, so `microsoft_corporation` is looked up as "microsoft corporation" too. */
  vendor(name: string): string {
    return this.knownVendor(name) ?? underscored(withoutLegalForm(fold(fold(name).replace(/_/g, ' '))));
  }

  product(name: string): string {
    return this.knownProduct(name) ?? underscored(fold(name));
  }

  /** Returns the canonical vendor of a spelling this table lists, or undefined when only normalization applies. */
  knownVendor(name: string): string | undefined {
    const key = spellingKey(name);
    return this.vendors.get(key) ?? this.vendors.get(withoutLegalForm(key));
  }

  /** Returns the canonical product of a spelling this table lists, or undefined when only normalization applies. */
  knownProduct(name: string): string | undefined {
    return this.products.get(spellingKey(name));
  }
}

/**
 * Folds a spelling to the key the alias table stores and looks it up by: NFKC-normalized, case
 * and whitespace folded, with `_` read as a space as in CPE names. So `http_server` and "HTTP
 * Server" are one key, and a later source's entry replaces an earlier one for every spelling
 * with that key. NFKC applies only to this lookup (full-width "Ａｃｍｅ" finds the entry "acme").
 * Names without an entry keep the plain `fold`, so their identity keys stay as before.
 */
export function spellingKey(spelling: string): string {
  return fold(spelling.normalize('NFKC').replace(/_/g, ' '));
}

function withoutLegalForm(folded: string): string {
  const words = folded.replace(/[,]/g, ' ').split(' ').filter((word) => word.length > 0);
  while (words.length > 1 && LEGAL_FORMS.has((words.at(-1) as string).replace(/\.$/, ''))) words.pop();
  return words.join(' ');
}

function underscored(folded: string): string {
  return folded.replace(/ /g, '_');
}

/** The table shipped in data/technology-aliases.json. */
export const bundledAliases = new AliasTable(bundled as AliasData);

export function canonicalVendor(name: string, table: AliasTable = bundledAliases): string {
  return table.vendor(name);
}

/** Product names are one namespace: "httpd" is Apache's whatever vendor a source gives. */
export function canonicalProduct(name: string, table: AliasTable = bundledAliases): string {
  return table.product(name);
}
