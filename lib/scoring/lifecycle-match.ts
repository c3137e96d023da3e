import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { queryRows } from '../../db/execute';

/** Days before the end of life from which a technology counts as reaching it soon. */
export const EOL_SOON_DAYS = 90;

const DAY_MS = 86_400_000;

/** One release cycle as the matcher needs it; dates are `YYYY-MM-DD`. */
export interface LifecycleCycle {
  product: string;
  label: string;
  cycle: string;
  eolDate: string | null;
  eolFlag: boolean | null;
  latestVersion: string | null;
}

/** Every product's names and cycles, loaded once per import or rescore. */
export interface LifecycleIndex {
  /** Lowercase name → products with that name or alias. */
  byName: Map<string, string[]>;
  /** Lowercase CPE `vendor:product` → products. */
  byCpe: Map<string, string[]>;
  /** Product → its cycles, longest cycle name first, so the most specific prefix wins. */
  cycles: Map<string, LifecycleCycle[]>;
}

/** The technology fields matching reads; `version` may be absent when the CPE contains it. */
export interface TechnologyIdentity {
  vendor?: string | null;
  product: string;
  version?: string | null;
  cpe?: string | null;
}

export interface LifecycleStatus {
  product: string;
  label: string;
  cycle: string;
  eolDate: string | null;
  /** Past its end of life on the given day. */
  endOfLife: boolean;
  /** Whole days since the end of life (positive) or until it (negative); absent without a date. */
  daysPastEol?: number;
  /** The end of life is a date within `EOL_SOON_DAYS` days after the given day. */
  eolSoon: boolean;
  latestVersion: string | null;
}

/** Loads every imported product and cycle; an empty index when no lifecycle data is imported. */
export async function loadLifecycleIndex(db: Db | Tx): Promise<LifecycleIndex> {
  const products = await queryRows<{ product: string; label: string; aliases: string[]; cpes: string[] }>(
    db,
    sql`select product, label, aliases, cpes from technology_products`,
  );
  const cycles = await queryRows<{ product: string; cycle: string; eol_date: string | Date | null; eol_flag: boolean | null; latest_version: string | null }>(
    db,
    sql`select product, cycle, eol_date, eol_flag, latest_version from technology_lifecycles`,
  );
  const index: LifecycleIndex = { byName: new Map(), byCpe: new Map(), cycles: new Map() };
  const labels = new Map<string, string>();
  for (const row of products) {
    labels.set(row.product, row.label);
    for (const alias of new Set([row.product, ...row.aliases])) addTo(index.byName, alias.toLowerCase(), row.product);
    for (const cpe of row.cpes) addTo(index.byCpe, cpe.toLowerCase(), row.product);
  }
  for (const row of cycles) {
    const list = index.cycles.get(row.product) ?? [];
    list.push({
      product: row.product,
      label: labels.get(row.product) ?? row.product,
      cycle: row.cycle,
      eolDate: isoDate(row.eol_date),
      eolFlag: row.eol_flag,
      latestVersion: row.latest_version,
    });
    index.cycles.set(row.product, list);
  }
  for (const list of index.cycles.values()) list.sort((a, b) => b.cycle.length - a.cycle.length || a.cycle.localeCompare(b.cycle));
  return index;
}

/**
 * Finds the release cycle of a technology. The product is found by CPE `vendor:product` first,
 * then by name: the product as given, its last `/` or `:` part (purl and Maven style names) and
 * `vendor-product`, each lowercased. The cycle is the longest cycle name that equals the version
 * or is followed in it by `.`, `-`, `+`, `_` or `~`, after dropping a Debian epoch (`1:`) and a
 * leading `v`. So cycle `1.29` matches 1.29.8 and 1.29-3ubuntu1 but not 1.290, and cycle `3`
 * matches 3.11.2 unless a cycle `3.11` exists.
 */
export function matchLifecycle(technology: TechnologyIdentity, index: LifecycleIndex): LifecycleCycle | undefined {
  const cpe = parseCpe(technology.cpe);
  const version = normalizeVersion(technology.version ?? cpe?.version);
  if (!version) return undefined;

  for (const product of candidateProducts(technology, cpe, index)) {
    const cycle = index.cycles.get(product)?.find((entry) => versionInCycle(version, entry.cycle.toLowerCase()));
    if (cycle) return cycle;
  }
  return undefined;
}

/** Says whether a cycle is past its end of life on `day`, and how many days from it. */
export function lifecycleStatus(cycle: LifecycleCycle, day: Date = new Date()): LifecycleStatus {
  const status: LifecycleStatus = {
    product: cycle.product,
    label: cycle.label,
    cycle: cycle.cycle,
    eolDate: cycle.eolDate,
    endOfLife: cycle.eolFlag === true,
    eolSoon: false,
    latestVersion: cycle.latestVersion,
  };
  if (cycle.eolDate) {
    const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
    const days = Math.round((today - Date.parse(`${cycle.eolDate}T00:00:00Z`)) / DAY_MS);
    status.daysPastEol = days;
    status.endOfLife = days >= 0;
    status.eolSoon = days < 0 && -days <= EOL_SOON_DAYS;
  }
  return status;
}

function candidateProducts(technology: TechnologyIdentity, cpe: ParsedCpe | undefined, index: LifecycleIndex): string[] {
  const found: string[] = [];
  const push = (products: string[] | undefined): void => {
    for (const product of products ?? []) if (!found.includes(product)) found.push(product);
  };
  if (cpe) push(index.byCpe.get(`${cpe.vendor}:${cpe.product}`));

  const name = technology.product.trim().toLowerCase();
  const lastPart = name.split(/[/:]/).at(-1) ?? name;
  const vendor = technology.vendor?.trim().toLowerCase();
  for (const key of [name, lastPart, name.replaceAll(' ', '-'), vendor ? `${vendor}-${lastPart}` : undefined]) {
    if (key) push(index.byName.get(key));
  }
  if (cpe) push(index.byName.get(cpe.product.replaceAll('_', '-')));
  return found;
}

function versionInCycle(version: string, cycle: string): boolean {
  if (!version.startsWith(cycle)) return false;
  const next = version.charAt(cycle.length);
  return next === '' || '.-+_~'.includes(next);
}

function normalizeVersion(version: string | null | undefined): string | undefined {
  const trimmed = version?.trim().toLowerCase();
  if (!trimmed || trimmed === '*' || trimmed === '-') return undefined;
  return trimmed.replace(/^\d+:/, '').replace(/^v(?=\d)/, '');
}

interface ParsedCpe {
  vendor: string;
  product: string;
  version?: string;
}

/** Reads vendor, product and version from a CPE 2.3 formatted string or a CPE 2.2 URI. */
export function parseCpe(cpe: string | null | undefined): ParsedCpe | undefined {
  if (!cpe) return undefined;
  const parts = cpe.trim().toLowerCase().startsWith('cpe:2.3:') ? cpe.trim().split(':').slice(3) : cpe.trim().replace(/^cpe:\/[aoh]?:?/i, '').split(':');
  const [vendor, product, version] = parts;
  if (!vendor || !product) return undefined;
  const parsed: ParsedCpe = { vendor: vendor.toLowerCase(), product: product.toLowerCase() };
  if (version && version !== '*' && version !== '-') parsed.version = version;
  return parsed;
}

function addTo(map: Map<string, string[]>, key: string, product: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [product]);
  else if (!list.includes(product)) list.push(product);
}

function isoDate(value: string | Date | null): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}
