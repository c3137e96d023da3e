// Conversions of generic CSV cells whose layout the connector profile decides: dates in a
// hinted format, CVSS vectors, endpoint URLs, and lists of ids in one cell. Like field-values.ts,
// each returns undefined for a blank cell or throws an `invalid_field` ReportError naming the cell.

import { isIP } from 'node:net';
import { quote } from '../field-values';
import type { SourcePosition } from '../model';
import { ReportError } from '../report-error';

const DATE_TOKENS: Record<string, string> = { YYYY: '(\\d{4})', MM: '(\\d{1,2})', DD: '(\\d{1,2})', HH: '(\\d{1,2})', mm: '(\\d{2})', ss: '(\\d{2})' };

/**
 * Parses a date with a format hint: `iso` (ISO 8601), `epoch` (Unix seconds or milliseconds), or
 * a pattern of YYYY, MM, DD, HH, mm and ss. A pattern date without a time zone is taken as UTC,
 * and a time of day may follow a pattern that has none.
 */
export function parseHintedDate(value: string | undefined, hint: string, field: string, position: SourcePosition): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const fail = (expected: string): never => {
    throw new ReportError('invalid_field', `${field} is not a date in the format ${expected}: ${quote(text)}; change the profile's date format if the column uses another`, position);
  };

  if (hint === 'epoch') {
    if (!/^\d{9,13}$/.test(text)) return fail('epoch (Unix seconds)');
    const number = Number(text);
    return new Date(text.length > 11 ? number : number * 1000);
  }
  if (hint === 'iso') {
    const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : undefined;
    if (!date || Number.isNaN(date.getTime())) return fail('ISO 8601 (YYYY-MM-DD)');
    return date;
  }

  const order: string[] = [];
  const pattern = hint.replace(/YYYY|MM|DD|HH|mm|ss|[.*+?^${}()|[\]\\]/g, (token) => {
    const group = DATE_TOKENS[token];
    if (!group) return `\\${token}`;
    order.push(token);
    return group;
  });
  const match = new RegExp(`^${pattern}(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$`).exec(text);
  if (!match) return fail(hint);
  const part = (token: string): number => {
    const index = order.indexOf(token);
    return index === -1 ? 0 : Number(match[index + 1]);
  };
  const extra = order.length;
  const hours = order.includes('HH') ? part('HH') : Number(match[extra + 1] ?? 0);
  const minutes = order.includes('mm') ? part('mm') : Number(match[extra + 2] ?? 0);
  const seconds = order.includes('ss') ? part('ss') : Number(match[extra + 3] ?? 0);
  const date = new Date(Date.UTC(part('YYYY'), part('MM') - 1, part('DD'), hours, minutes, seconds));
  // Date.UTC rolls 31/02 over into March, so a date that does not read back is invalid.
  if (date.getUTCDate() !== part('DD') || date.getUTCMonth() !== part('MM') - 1 || hours > 23 || minutes > 59 || seconds > 59) return fail(hint);
  return date;
}

/**
 * Checks a CVSS vector of one major version and returns it without surrounding brackets and the
 * `CVSS2#` prefix some tools write. Version 3 and 4 vectors must start with `CVSS:3.x/` or `CVSS:4.0/`.
 */
export function parseCvssVector(value: string | undefined, version: 2 | 3 | 4, field: string, position: SourcePosition): string | undefined {
  const text = value?.trim().replace(/^\((.*)\)$/, '$1').replace(/^CVSS2#/i, '');
  if (!text) return undefined;
  const valid =
    version === 2 ? /^AV:[LAN]\/AC:[HML]\/Au:[MSN]\/C:[NPC]\/I:[NPC]\/A:[NPC]/.test(text) : version === 3 ? /^CVSS:3\.[01]\/AV:[NALP]\//.test(text) : /^CVSS:4\.0\/AV:[NALP]\//.test(text);
  if (!valid) {
    const example = version === 2 ? 'AV:N/AC:L/Au:N/C:P/I:P/A:P' : version === 3 ? 'CVSS:3.1/AV:N/AC:L/…' : 'CVSS:4.0/AV:N/AC:L/…';
    throw new ReportError('invalid_field', `${field} is not a CVSS v${version} vector: ${quote(text)}; expected e.g. ${example}`, position);
  }
  return text;
}

/** Parses an EPSS probability, 0 to 1, or a percentage such as `12.5%`. */
export function parseEpss(value: string | undefined, field: string, position: SourcePosition): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const percent = text.endsWith('%');
  const number = Number(percent ? text.slice(0, -1) : text);
  const probability = percent ? number / 100 : number;
  if (!Number.isFinite(probability) || probability < 0 || probability > 1) {
    throw new ReportError('invalid_field', `${field} is not an EPSS probability between 0 and 1: ${quote(text)}`, position);
  }
  return probability;
}

export interface Endpoint {
  host: string;
  port?: number;
  /** Application protocol from the scheme, e.g. `https`. */
  scheme?: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21, ssh: 22, ldap: 389, ldaps: 636 };

/** Parses a URL, or a bare `host[:port][/path]`, into its host, port and scheme. */
export function parseEndpoint(value: string | undefined, field: string, position: SourcePosition): Endpoint | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `none://${text}`);
  } catch {
    throw new ReportError('invalid_field', `${field} is not a URL or host name: ${quote(text)}`, position);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!host) throw new ReportError('invalid_field', `${field} has no host: ${quote(text)}`, position);
  const scheme = url.protocol === 'none:' ? undefined : url.protocol.slice(0, -1).toLowerCase();
  const port = url.port ? Number(url.port) : scheme ? DEFAULT_PORTS[scheme] : undefined;
  return { host, ...(port === undefined ? {} : { port }), ...(scheme ? { scheme } : {}) };
}

/** Returns true when the value is an IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  return isIP(value.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

/** Splits a cell that lists several values, separated by commas, semicolons, vertical bars or whitespace. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,;|]+/).filter((item) => item.length > 0);
}
