import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { technologyAliases } from '../../db/schema';
import { AppError, parseOrThrow } from '../http/app-error';
import { logger } from '../log';
import { ALIAS_KINDS, MAX_ALIAS_LENGTH, type AliasKind } from './alias-kinds';
import { assetNameSchema } from '../ingest/asset-name-schema';
import { AliasTable, bundledAliases, spellingKey, type AliasData } from './aliases';
import bundled from './data/technology-aliases.json';
import { fold } from './fold';
import { startReidentification } from './reidentify-job';
import { aliasDataOf, aliasTableOf } from './rule-store';

const log = logger.child({ module: 'technology-aliases' });

/** One of the organization's own aliases, as stored. */
export interface OrganizationAlias {
  kind: AliasKind;
  /** The other spelling, folded and NFKC-normalized, with `_` read as a space. */
  alias: string;
  /** The name it stands for, as CPE names write it. */
  canonical: string;
  updatedAt: string;
}

/** The canonical name a spelling resolves to now, and the table that decided it. */
export interface SpellingResolution {
  kind: AliasKind;
  name: string;
  canonical: string;
  /** `organization` or `bundled` for an alias entry, `normalization` when no entry lists the spelling. */
  source: 'organization' | 'bundled' | 'normalization';
}

/** Number of canonical names and of other spellings in the bundled table, per kind. */
export interface AliasTableSize {
  vendors: { names: number; spellings: number };
  products: { names: number; spellings: number };
}

export interface AliasChange {
  alias: OrganizationAlias;
  /** False when the alias already existed; it may have had another canonical name. */
  created: boolean;
  /** Id of the queued re-identification, or null when the stored alias did not change. */
  reidentificationJobId: number | null;
}

const kindSchema = z.enum(ALIAS_KINDS, { error: 'kind must be "vendor" or "product"' });

const spellingSchema = (field: string, example: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} is empty; enter ${example}`)
    .max(MAX_ALIAS_LENGTH, `${field} is longer than ${MAX_ALIAS_LENGTH} characters`)
    .superRefine((value, context) => {
      // assetNameSchema contains the project's rules on characters in names, such as no control
      // characters (Unicode category Cc, which includes NUL). Its length limits are looser than
      // the ones above, so only its character rules can fail here. Its messages name "the asset
      // name", which is replaced by this field's name.
      if (value.length === 0 || value.length > MAX_ALIAS_LENGTH) return;
      const issue = assetNameSchema.safeParse(value).error?.issues[0];
      if (issue) context.addIssue({ code: 'custom', message: issue.message.replace(/^the asset name/, field) });
    });

export const aliasInputSchema = z.object({
  kind: kindSchema,
  alias: spellingSchema('alias', 'the spelling a report uses, e.g. "Acme Corp"'),
  canonical: spellingSchema('canonical', 'the name as CPE names write it, e.g. "acme"').refine(
    (name) => !/[*?]/.test(name),
    'canonical must not contain * or ?, because CPE names read them as wildcards',
  ),
});

/**
 * Path parameters of an alias. An unknown kind is no such resource (404), but the alias is
 * checked by `deleteOrganizationAlias`, so an invalid spelling is a 400 with the reason.
 */
export const aliasKeySchema = z.object({ kind: kindSchema, alias: z.string() });

const aliasDeletionSchema = z.object({ kind: kindSchema, alias: spellingSchema('alias', 'the stored alias') });

export const resolveSpellingSchema = z.object({ kind: kindSchema, name: spellingSchema('name', 'a vendor or product spelling, e.g. "Microsoft Corporation"') });

export const organizationAliasSchema = z.object({ kind: kindSchema, alias: z.string(), canonical: z.string(), updatedAt: z.iso.datetime() });

export const aliasListSchema = z.object({
  items: z.array(organizationAliasSchema),
  bundled: z.object({
    vendors: z.object({ names: z.number().int(), spellings: z.number().int() }),
    products: z.object({ names: z.number().int(), spellings: z.number().int() }),
  }),
});

export const aliasChangeSchema = z.object({ alias: organizationAliasSchema, created: z.boolean(), reidentificationJobId: z.number().int().nullable() });

export const spellingResolutionSchema = z.object({ kind: kindSchema, name: z.string(), canonical: z.string(), source: z.enum(['organization', 'bundled', 'normalization']) });

/** The alias table without entries: it only folds case, writes spaces as `_` and drops a vendor's legal form. */
const UNALIASED = new AliasTable();

/** Folds a spelling the way the alias table looks it up, with `_` read as a space as in CPE names. */
export function aliasKey(spelling: string): string {
  return spellingKey(spelling);
}

/**
 * Writes a name as CPE names write it, by the normalization the alias table applies to spellings
 * it does not list, after NFKC normalization as alias keys get.
 */
export function canonicalName(kind: AliasKind, name: string): string {
  const normalized = name.normalize('NFKC');
  return kind === 'vendor' ? UNALIASED.vendor(normalized) : UNALIASED.product(normalized);
}

function resolve(table: AliasTable, kind: AliasKind, name: string): string {
  return kind === 'vendor' ? table.vendor(name) : table.product(name);
}

function known(table: AliasTable, kind: AliasKind, name: string): string | undefined {
  return kind === 'vendor' ? table.knownVendor(name) : table.knownProduct(name);
}

type AliasRow = typeof technologyAliases.$inferSelect;

function toAlias(row: AliasRow): OrganizationAlias {
  return { kind: row.kind as AliasKind, alias: row.alias, canonical: row.canonical, updatedAt: row.updatedAt.toISOString() };
}

export async function listOrganizationAliases(db: Db): Promise<OrganizationAlias[]> {
  const rows = await db.select().from(technologyAliases).orderBy(asc(technologyAliases.kind), asc(technologyAliases.alias));
  return rows.filter((row) => (ALIAS_KINDS as readonly string[]).includes(row.kind)).map(toAlias);
}

export function bundledAliasSize(): AliasTableSize {
  const data = bundled as AliasData;
  const size = (entries: Record<string, string[]>) => ({ names: Object.keys(entries).length, spellings: Object.values(entries).reduce((sum, spellings) => sum + spellings.length, 0) });
  return { vendors: size(data.vendors), products: size(data.products) };
}

/** Resolves a spelling with the bundled table and the organization's aliases, as imports do. */
export async function resolveSpelling(db: Db, input: unknown): Promise<SpellingResolution> {
  const { kind, name } = parseOrThrow(resolveSpellingSchema, input);
  return resolveWith(await db.select().from(technologyAliases), kind, name);
}

function resolveWith(rows: AliasRow[], kind: AliasKind, name: string): SpellingResolution {
  const canonical = resolve(aliasTableOf(rows), kind, name);
  // Checked in the order the tables are applied: an organization alias overrides the bundled one.
  let source: SpellingResolution['source'] = 'normalization';
  if (rows.length > 0 && known(new AliasTable(aliasDataOf(rows)), kind, name) === canonical) source = 'organization';
  else if (known(bundledAliases, kind, name) === canonical) source = 'bundled';
  return { kind, name, canonical, source };
}

/**
 * Adds an organization alias, or gives an existing one a new canonical name, then queues a
 * re-identification of the stored findings when the table changed. Rejects an alias that
 * would change nothing and a canonical name that is itself an alias of another name, because
 * the table does not follow chains of aliases.
 */
export async function saveOrganizationAlias(db: Db, input: unknown, userId?: number): Promise<AliasChange> {
  const parsed = parseOrThrow(aliasInputSchema, input);
  const alias = aliasKey(parsed.alias);
  const canonical = canonicalName(parsed.kind, parsed.canonical);

  const saved = await db.transaction(async (tx) => {
    const rows = await tx.select().from(technologyAliases);
    const existing = rows.find((row) => row.kind === parsed.kind && row.alias === alias);
    checkAlias(
      rows.filter((row) => row !== existing),
      parsed.kind,
      parsed.alias,
      canonical,
    );
    if (existing?.canonical === canonical) return { row: existing, created: false, changed: false };

    const [row] = await tx
      .insert(technologyAliases)
      .values({ kind: parsed.kind, alias, canonical })
      .onConflictDoUpdate({ target: [technologyAliases.kind, technologyAliases.alias], set: { canonical, updatedAt: sql`now()` } })
      .returning();
    if (!row) throw new Error('saving the alias returned no row');
    return { row, created: existing === undefined, changed: true };
  });

  if (!saved.changed) return { alias: toAlias(saved.row), created: false, reidentificationJobId: null };
  const jobId = await startReidentification(db, userId);
  log.info({ kind: parsed.kind, alias, canonical, created: saved.created, userId, jobId }, 'technology alias saved');
  return { alias: toAlias(saved.row), created: saved.created, reidentificationJobId: jobId };
}

const RESOLVED_BY: Record<SpellingResolution['source'], string> = {
  normalization: 'by normalization alone (case, spaces written as "_" and a vendor\'s trailing legal form such as "Inc." are ignored)',
  bundled: 'through the bundled alias table',
  organization: 'through another organization alias',
};

function checkAlias(others: AliasRow[], kind: AliasKind, spelling: string, canonical: string): void {
  const table = aliasTableOf(others);
  const current = resolveWith(others, kind, spelling);
  const spellingAsCanonical = fold(spelling).replace(/ /g, '_');

  if (current.canonical === canonical) {
    if (spellingAsCanonical === canonical) {
      throw new AppError('invalid_input', `the alias "${spelling}" is its canonical name "${canonical}" after folding, so it would change nothing; enter another spelling of the ${kind} as the alias`);
    }
    throw new AppError('invalid_input', `"${spelling}" already resolves to "${canonical}" ${RESOLVED_BY[current.source]}, so this alias would change nothing`);
  }

  // An alias of a bundled spelling to itself ("ASF" = "asf") overrides the bundled entry, so the canonical name may be that spelling.
  const canonicalTarget = known(table, kind, canonical);
  if (canonicalTarget !== undefined && canonicalTarget !== canonical && canonical !== spellingAsCanonical) {
    const where = resolveWith(others, kind, canonical).source === 'organization' ? 'an organization alias' : 'a bundled alias';
    throw new AppError('invalid_input', `the canonical name "${canonical}" is itself ${where} of "${canonicalTarget}"; use "${canonicalTarget}" as the canonical name`);
  }

  const bundledSpellings = bundledSpellingsOf(table, kind, spelling);
  if (bundledSpellings.length > 0) {
    const target = bundledCanonical(kind, spelling) as string;
    const examples = bundledSpellings.slice(0, 3).map((name) => `"${name}"`).join(', ');
    throw new AppError(
      'invalid_input',
      `"${spelling}" is the canonical name of ${bundledSpellings.length} bundled ${kind} spellings (${examples}${bundledSpellings.length > 3 ? ', …' : ''}), and aliases are not followed in chains, so those spellings would stay "${target}"; add your spelling as an alias of "${target}" instead, or first add each of those spellings as an alias of "${canonical}"`,
    );
  }

  const pointing = others.filter((row) => row.kind === kind && row.canonical === canonicalName(kind, spelling));
  if (pointing.length > 0) {
    const names = pointing.map((row) => `"${row.alias}"`).join(', ');
    throw new AppError(
      'invalid_input',
      `"${spelling}" is the canonical name of the organization ${kind} aliases ${names}, and aliases are not followed in chains; change those aliases to "${canonical}" first`,
    );
  }
}

/** Deletes an organization alias, named by any spelling that folds to it, and queues a re-identification. */
export async function deleteOrganizationAlias(db: Db, input: unknown, userId?: number): Promise<{ reidentificationJobId: number }> {
  const { kind, alias } = parseOrThrow(aliasDeletionSchema, input);
  // Rows written before this editor existed may hold `_` where the editor stores a space, and
  // rows written before aliases were NFKC-normalized may hold the spelling without it.
  const spellings = [...new Set([aliasKey(alias), fold(alias.replace(/_/g, ' ')), fold(alias)])];
  const deleted = await db
    .delete(technologyAliases)
    .where(and(eq(technologyAliases.kind, kind), inArray(technologyAliases.alias, spellings)))
    .returning({ alias: technologyAliases.alias });
  if (deleted.length === 0) throw new AppError('not_found', `the organization has no ${kind} alias "${alias}"; list the aliases to see the stored spellings`);

  const jobId = await startReidentification(db, userId);
  log.info({ kind, alias: deleted.map((row) => row.alias), userId, jobId }, 'technology alias deleted');
  return { reidentificationJobId: jobId };
}

/** Returns the bundled canonical name whose key is the spelling's key, if the bundled table has one. */
function bundledCanonical(kind: AliasKind, spelling: string): string | undefined {
  const data = bundled as AliasData;
  const key = spellingKey(spelling);
  return Object.keys(kind === 'vendor' ? data.vendors : data.products).find((name) => spellingKey(name) === key);
}

/**
 * Lists the bundled spellings of the canonical name that `spelling` is, which still resolve to it
 * with `table`. Spellings with the same key as `spelling` are left out, because an alias of
 * `spelling` replaces them too.
 */
function bundledSpellingsOf(table: AliasTable, kind: AliasKind, spelling: string): string[] {
  const canonical = bundledCanonical(kind, spelling);
  if (canonical === undefined) return [];
  const data = bundled as AliasData;
  const key = spellingKey(spelling);
  const spellings = (kind === 'vendor' ? data.vendors : data.products)[canonical] ?? [];
  return spellings.filter((name) => spellingKey(name) !== key && known(table, kind, name) === fold(canonical));
}
