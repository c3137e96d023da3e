import { bundledAliases, type AliasTable } from './aliases';
import { fold } from './fold';
import { canonicalVersion } from './version';

// CPE names in the two bindings scanners use: the 2.2 URI (`cpe:/a:apache:http_server:2.4.49`)
// and the 2.3 formatted string (`cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*`). Both are
// parsed to the eleven attributes of a CPE 2.3 well-formed name (NISTIR 7695), with the quoting
// of each binding undone, so one name compares equal whatever binding a source used. No npm
// library for CPE is maintained, hence this parser; its tests cover the escaping rules.

export const CPE_ATTRIBUTES = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/**
 * One attribute's value: `ANY` (`*`, or empty in a URI), `NA` (`-`), or the unquoted text. In the
 * text, `*` and `?` stay as wildcards only in a 2.3 string, where they are unescaped; an escaped
 * `\*` is a literal star and is kept as `\*`.
 */
export type CpeValue = { kind: 'any' } | { kind: 'na' } | { kind: 'value'; text: string };

export type Cpe = Record<CpeAttribute, CpeValue>;

const ANY: CpeValue = { kind: 'any' };
const NA: CpeValue = { kind: 'na' };

/** Parses a CPE 2.2 URI or 2.3 formatted string; returns undefined when it is neither. */
export function parseCpe(input: string): Cpe | undefined {
  const text = input.trim();
  if (/^cpe:2\.3:/i.test(text)) return parseFormattedString(text);
  if (/^cpe:\//i.test(text)) return parseUri(text);
  return undefined;
}

/** 2.3 formatted string: thirteen colon-separated parts; `\` escapes the next character. */
function parseFormattedString(text: string): Cpe | undefined {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\') {
      const next = text[index + 1];
      if (next === undefined) return undefined;
      current += char + next;
      index++;
      continue;
    }
    if (char === ':') {
      parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current);
  if (parts.length !== 13) return undefined;

  const values = parts.slice(2).map((part) => formattedValue(part));
  if (values.some((value) => value === undefined)) return undefined;
  return toCpe(values as CpeValue[]);
}

function formattedValue(part: string): CpeValue | undefined {
  if (part === '*') return ANY;
  if (part === '-') return NA;
  if (part === '') return undefined;
  // Undo the quoting of every character except `*` and `?`, whose escaped and unescaped forms
  // mean different things (literal versus wildcard).
  let text = '';
  for (let index = 0; index < part.length; index++) {
    const char = part[index] as string;
    if (char === '\\') {
      const next = part[index + 1] as string;
      text += next === '*' || next === '?' || next === '\\' ? `\\${next}` : next;
      index++;
      continue;
    }
    text += char;
  }
  return { kind: 'value', text };
}

/**
 * 2.2 URI: `cpe:/part:vendor:product:version:update:edition:language`, percent-encoded, with
 * trailing attributes omitted. A packed edition `~edition~sw_edition~target_sw~target_hw~other`
 * carries the 2.3 extended attributes.
 */
function parseUri(text: string): Cpe | undefined {
  const parts = text.slice('cpe:/'.length).split(':');
  if (parts.length > 7) return undefined;
  const decoded: CpeValue[] = [];
  for (const part of parts) {
    const value = uriValue(part);
    if (value === undefined) return undefined;
    decoded.push(value);
  }
  while (decoded.length < 7) decoded.push(ANY);

  const edition = parts[5];
  let extended: CpeValue[] = [ANY, ANY, ANY, ANY];
  if (edition?.startsWith('~')) {
    const packed = edition.slice(1).split('~');
    if (packed.length !== 5) return undefined;
    const unpacked = packed.map((part) => uriValue(part));
    if (unpacked.some((value) => value === undefined)) return undefined;
    decoded[5] = unpacked[0] as CpeValue;
    extended = unpacked.slice(1) as CpeValue[];
  }
  return toCpe([...decoded, ...extended]);
}

function uriValue(part: string): CpeValue | undefined {
  if (part === '') return ANY;
  if (part === '-') return NA;
  let text = '';
  for (let index = 0; index < part.length; index++) {
    const char = part[index] as string;
    if (char !== '%') {
      text += char;
      continue;
    }
    const hex = part.slice(index + 1, index + 3);
    if (!/^[0-9a-f]{2}$/i.test(hex)) return undefined;
    index += 2;
    // The URI's special codes: %01 is the `?` wildcard and %02 the `*` wildcard; any other
    // encoded `*` or `?` is literal.
    if (hex === '01') text += '?';
    else if (hex === '02') text += '*';
    else {
      const decodedChar = String.fromCharCode(Number.parseInt(hex, 16));
      text += decodedChar === '*' || decodedChar === '?' || decodedChar === '\\' ? `\\${decodedChar}` : decodedChar;
    }
  }
  return { kind: 'value', text };
}

function toCpe(values: CpeValue[]): Cpe {
  const cpe = {} as Cpe;
  CPE_ATTRIBUTES.forEach((name, index) => {
    cpe[name] = values[index] ?? ANY;
  });
  return cpe;
}

/**
 * The form two CPE names are compared in: a 2.3 formatted string of the folded values, with the
 * vendor and product through the alias table and the version in its parsed form. Returns
 * undefined for text that is not a CPE name.
 */
export function canonicalCpe(input: string, aliases: AliasTable = bundledAliases): string | undefined {
  const cpe = parseCpe(input);
  if (!cpe) return undefined;
  const vendor = cpe.vendor.kind === 'value' ? aliases.vendor(cpe.vendor.text) : undefined;
  const parts = CPE_ATTRIBUTES.map((name) => {
    const value = cpe[name];
    if (value.kind === 'any') return '*';
    if (value.kind === 'na') return '-';
    if (name === 'vendor') return quote(vendor ?? fold(value.text));
    if (name === 'product') return quote(aliases.product(value.text));
    if (name === 'version') return quote(canonicalVersion(value.text));
    return quote(fold(value.text));
  });
  return `cpe:2.3:${parts.join(':')}`;
}

/** Quotes a value for the 2.3 binding: every character but letters, digits, `_`, `.`, `-` and the kept escapes. */
function quote(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\') {
      result += char + (text[index + 1] ?? '');
      index++;
    } else if (/[a-z0-9_.*?-]/i.test(char)) result += char;
    else result += `\\${char}`;
  }
  return result;
}
