import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ReportError } from '../ingest/report-error';
import { parseCpe } from '../scoring/lifecycle-match';
import type { EolCycle, EolProduct } from './model';

/** A date as endoflife.date writes it; YAML 1.2 (the `yaml` package's default) keeps it a string. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');
const dateOrBoolean = z.union([isoDate, z.boolean()]);
/** Cycle names and versions are strings, but an unquoted `22` or `3.1` in YAML reads as a number. */
const name = z.union([z.string().min(1), z.number()]).transform(String);
/** An optional version, where an empty string means none. */
const optionalName = z.union([z.string(), z.number()]).nullish().transform((value) => (value === undefined || value === null || value === '' ? null : String(value)));

const frontMatterSchema = z.object({
  title: z.string().min(1),
  permalink: z.string().optional(),
  alternate_urls: z.array(z.string()).optional(),
  identifiers: z.array(z.record(z.string(), z.string())).optional(),
  releases: z.array(
    z.object({
      releaseCycle: name,
      codename: z.string().nullish(),
      releaseDate: isoDate.nullish(),
      lts: dateOrBoolean.nullish(),
      eol: dateOrBoolean.nullish(),
      eoas: dateOrBoolean.nullish(),
      eoes: dateOrBoolean.nullish(),
      latest: optionalName,
      latestReleaseDate: isoDate.nullish(),
    }),
  ),
});

const apiReleaseSchema = z.object({
  name,
  codename: z.string().nullish(),
  releaseDate: isoDate.nullish(),
  isLts: z.boolean().nullish(),
  isEol: z.boolean().nullish(),
  eolFrom: isoDate.nullish(),
  isEoas: z.boolean().nullish(),
  eoasFrom: isoDate.nullish(),
  eoesFrom: isoDate.nullish(),
  latest: z.object({ name, date: isoDate.nullish() }).nullish(),
});

const apiProductSchema = z.object({
  name: z.string().min(1),
  label: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  identifiers: z.array(z.object({ id: z.string(), type: z.string() })).default([]),
  releases: z.array(apiReleaseSchema),
});

const apiResponseSchema = z.object({
  schema_version: z.string(),
  result: z.union([apiProductSchema, z.array(apiProductSchema)]),
});

/**
 * Parses one endoflife.date document: a product page of the endoflife.date repository
 * (`products/NAME.md`, YAML front matter) or an API v1 response (`/api/v1/products/NAME` or
 * `/api/v1/products/full`). Throws ReportError naming the field that does not fit.
 */
export function parseEolDocument(text: string, fileName: string): EolProduct[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('---')) return [parseProductPage(trimmed, fileName)];
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch (error) {
    throw new ReportError('invalid_field', `not an endoflife.date product page or API v1 response: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = apiResponseSchema.safeParse(document);
  if (!parsed.success) throw invalid(parsed.error);
  const products = Array.isArray(parsed.data.result) ? parsed.data.result : [parsed.data.result];
  return products.map(fromApiProduct);
}

function parseProductPage(text: string, fileName: string): EolProduct {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  if (!match?.[1]) throw new ReportError('invalid_field', 'the product page has no YAML front matter between two "---" lines');
  let data: unknown;
  try {
    data = parseYaml(match[1]);
  } catch (error) {
    throw new ReportError('invalid_field', `invalid YAML front matter: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) throw invalid(parsed.error);
  const page = parsed.data;

  const product = (page.permalink ?? fileName.replace(/\.md$/, '')).replace(/^\/+/, '').trim().toLowerCase();
  if (!product) throw new ReportError('invalid_field', 'the product has no name', { field: 'permalink' });
  const aliases = [page.title, ...(page.alternate_urls ?? []).map((url) => url.replace(/^\/+/, ''))];
  const cpes: string[] = [];
  for (const identifier of page.identifiers ?? []) {
    for (const [type, value] of Object.entries(identifier)) collectIdentifier(type, value, aliases, cpes);
  }
  return {
    product,
    label: page.title,
    aliases: normalizeNames(aliases, product),
    cpes: [...new Set(cpes)],
    cycles: page.releases.map((release): EolCycle => ({
      cycle: release.releaseCycle,
      codename: release.codename ?? null,
      releaseDate: release.releaseDate ?? null,
      lts: release.lts !== undefined && release.lts !== null && release.lts !== false,
      eol: release.eol ?? null,
      support: release.eoas ?? null,
      extendedSupport: typeof release.eoes === 'string' ? release.eoes : null,
      latestVersion: release.latest ?? null,
      latestReleaseDate: release.latestReleaseDate ?? null,
    })),
  };
}

function fromApiProduct(product: z.infer<typeof apiProductSchema>): EolProduct {
  const aliases = [product.label, ...product.aliases];
  const cpes: string[] = [];
  for (const identifier of product.identifiers) collectIdentifier(identifier.type, identifier.id, aliases, cpes);
  const name = product.name.trim().toLowerCase();
  return {
    product: name,
    label: product.label,
    aliases: normalizeNames(aliases, name),
    cpes: [...new Set(cpes)],
    cycles: product.releases.map((release): EolCycle => ({
      cycle: release.name,
      codename: release.codename ?? null,
      releaseDate: release.releaseDate ?? null,
      lts: release.isLts === true,
      eol: release.eolFrom ?? release.isEol ?? null,
      support: release.eoasFrom ?? release.isEoas ?? null,
      extendedSupport: release.eoesFrom ?? null,
      latestVersion: release.latest?.name ?? null,
      latestReleaseDate: release.latest?.date ?? null,
    })),
  };
}

/** Adds a purl's or repology's package name to the aliases and a CPE's `vendor:product` to the CPEs. */
function collectIdentifier(type: string, value: string, aliases: string[], cpes: string[]): void {
  if (type === 'cpe') {
    const cpe = parseCpe(value);
    if (cpe) cpes.push(`${cpe.vendor}:${cpe.product}`);
  } else if (type === 'purl') {
    // pkg:type/namespace/name@version?qualifiers#subpath: the name is the last path segment.
    const path = value.replace(/^pkg:/, '').split(/[?#@]/)[0] ?? '';
    const packageName = decodeURIComponent(path.split('/').at(-1) ?? '');
    if (packageName) aliases.push(packageName);
  } else if (type === 'repology') {
    aliases.push(value);
  }
}

function normalizeNames(names: string[], product: string): string[] {
  return [...new Set(names.map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '' && entry !== product))];
}

function invalid(error: z.ZodError): ReportError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  return new ReportError('invalid_field', `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid endoflife.date data'}`, field ? { field } : {});
}
