// Conversions of report field values into the model's types, shared by the format parsers. Each
// one either returns a valid value, returns undefined for a blank field, or throws an
// `invalid_field` ReportError that names the field and the value.

import { isIP } from 'node:net';
import type { Severity, SourcePosition } from './model';
import { ReportError } from './report-error';

/** Parses a decimal number; blank and `-` (Qualys's "no value") give undefined. */
export function parseNumber(value: string | undefined, field: string, position: SourcePosition = {}): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || text === '-') return undefined;

  const number = Number(text);
  if (!Number.isFinite(number)) {
    throw new ReportError('invalid_field', `${field} is not a number: ${quote(text)}`, { ...position, field: position.field ?? field });
  }
  return number;
}

/** Parses a CVSS base score, which must lie between 0 and 10. */
export function parseCvssScore(value: string | number | undefined, field: string, position: SourcePosition = {}): number | undefined {
  const score = typeof value === 'number' ? value : parseNumber(value, field, position);
  if (score === undefined) return undefined;
  if (score < 0 || score > 10) {
    throw new ReportError('invalid_field', `${field} must be between 0 and 10, got ${score}`, { ...position, field: position.field ?? field });
  }
  return score;
}

/** Parses a TCP/UDP port number (0–65535). */
export function parsePort(value: string | undefined, field: string, position: SourcePosition = {}): number | undefined {
  const port = parseNumber(value, field, position);
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReportError('invalid_field', `${field} is not a port number (0–65535): ${quote(String(value))}`, { ...position, field: position.field ?? field });
  }
  return port;
}

/** Parses an ISO 8601 timestamp such as `2019-07-31T21:57:48Z`. */
export function parseIsoDate(value: string | undefined, field: string, position: SourcePosition = {}): Date | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;

  // Date.parse accepts many loose forms, so require the ISO date prefix first.
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new ReportError('invalid_field', `${field} is not an ISO 8601 date: ${quote(text)}`, { ...position, field: position.field ?? field });
  }
  return date;
}

/** Returns the product's severity for a CVSS base score, using the CVSS v3 rating bands (None is informational). */
export function severityFromCvss(score: number): Severity {
  if (score === 0) return 1;
  if (score < 4) return 2;
  if (score < 7) return 3;
  if (score < 9) return 4;
  return 5;
}

/** Sorts addresses into IPv4 and IPv6; values that are not IP addresses are ignored. */
export function splitAddresses(values: (string | undefined)[]): { ipv4?: string[]; ipv6?: string[] } {
  const ipv4: string[] = [];
  const ipv6: string[] = [];
  for (const raw of values) {
    const value = raw?.trim();
    if (!value) continue;
    const version = isIP(value);
    if (version === 4 && !ipv4.includes(value)) ipv4.push(value);
    if (version === 6 && !ipv6.includes(value.toLowerCase())) ipv6.push(value.toLowerCase());
  }
  return {
    ...(ipv4.length > 0 ? { ipv4 } : {}),
    ...(ipv6.length > 0 ? { ipv6 } : {}),
  };
}

/** Returns the upper-case CVE id when the value is one (`CVE-2021-44228`), else undefined. */
export function normalizeCveId(value: string | undefined): string | undefined {
  const text = value?.trim().toUpperCase();
  return text && /^CVE-\d{4}-\d{4,}$/.test(text) ? text : undefined;
}

/** Returns `CWE-79` for `79`, `CWE-79` or `CWE:79`, else undefined. */
export function normalizeCweId(value: string | undefined): string | undefined {
  const match = value?.trim().match(/^(?:CWE[-:])?(\d{1,6})$/i);
  return match ? `CWE-${match[1]}` : undefined;
}

/** Splits text on newlines, trims each line and drops blank ones. */
export function splitLines(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** Returns the values without duplicates, in first-seen order. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * Returns a copy of the string that shares no memory with the text it was cut from. V8 keeps a
 * substring as a view into its parent string, so one kept substring of a parser's chunk holds
 * the whole chunk in memory. Strings kept beyond the current record (map keys, buffered
 * detections, glossary entries) go through this.
 */
export function detachString(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/**
 * Hands out asset keys that are unique within one report: the name itself the first time, then
 * `name#2`, `name#3`, … so two hosts with the same name or address stay two assets.
 */
export class UniqueKeys {
  private readonly counts = new Map<string, number>();

  /** Returns the next unique key for a name, as a detached copy because keys are kept long. */
  next(name: string): string {
    const key = detachString(name);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count === 1 ? key : `${key}#${count}`;
  }
}

/** Quotes a value for an error message, cut to 80 characters so a huge field cannot flood the log. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
