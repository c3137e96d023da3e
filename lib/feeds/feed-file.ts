import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { FeedKind } from './model';

/** Bytes read to recognize a feed; every format names itself within its first few hundred bytes. */
const SNIFF_BYTES = 64 * 1024;

/** Returns the file's bytes, decompressed when the file starts with the gzip magic number. */
export async function openFeedBytes(filePath: string): Promise<AsyncIterable<Uint8Array>> {
  const handle = await open(filePath, 'r');
  let magic: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    magic = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(filePath);
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) return raw;

  const gunzip = createGunzip();
  // pipe() forwards neither errors nor teardown, so both are linked by hand.
  raw.on('error', (error) => gunzip.destroy(error));
  gunzip.on('close', () => raw.destroy());
  return raw.pipe(gunzip);
}

/**
 * Recognizes a feed by its content, never by its name: the EPSS CSV by its comment or header
 * line, CVE JSON 5 by `dataType: CVE_RECORD`, NVD API responses by `format: NVD_CVE`, the KEV
 * catalog by `catalogVersion` or `cveID`, endoflife.date product pages and API v1 responses, and
 * ATT&CK STIX bundles or objects, Mappings Explorer files and the ATT&CK-to-CVE mapping CSV.
 * Returns undefined for any other file.
 */
export async function detectFeedKind(filePath: string): Promise<FeedKind | undefined> {
  const head = await readHead(filePath);
  return detectFeedKindFromText(head);
}

export function detectFeedKindFromText(head: string): FeedKind | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (/^#model_version:/i.test(text) || /^cve,epss,percentile\s/i.test(text)) return 'epss';
  // An endoflife.date product page: YAML front matter with a `releases:` list of `releaseCycle`s.
  if (/^---\r?\n/.test(text) && /^\s*-\s*releaseCycle\s*:/m.test(text)) return 'eol';
  if (/^CVE ID,Primary Impact,/i.test(text)) return 'attack';
  if (!text.startsWith('{')) return undefined;
  // endoflife.date API v1 product responses; the JSON schema files name the keys but hold no `result`.
  if (/"schema_version"\s*:\s*"/.test(text) && /"result"\s*:/.test(text) && /"releases"\s*:\s*\[/.test(text)) return 'eol';
  // STIX 2 bundles and single objects (mitre/cti), and Mappings Explorer files.
  if (/"type"\s*:\s*"bundle"/.test(text) && /"id"\s*:\s*"bundle--/.test(text)) return 'attack';
  if (/"id"\s*:\s*"(attack-pattern|intrusion-set|campaign|malware|tool|relationship|x-mitre-tactic)--[0-9a-f-]{36}"/.test(text)) return 'attack';
  if (/"mapping_objects"\s*:\s*\[/.test(text) && /"mapping_framework"\s*:\s*"/.test(text)) return 'attack';
  if (/"dataType"\s*:\s*"CVE_RECORD"/.test(text) || /"cveMetadata"\s*:\s*\{/.test(text)) return 'cve5';
  if (/"format"\s*:\s*"NVD_CVE"/.test(text)) return 'nvd';
  if (/"resultsPerPage"\s*:/.test(text) && /"vulnerabilities"\s*:\s*\[\s*(\]|\{\s*"cve"\s*:)/.test(text)) return 'nvd';
  // Values, not just keys: the KEV JSON schema file names the same properties.
  if (/"catalogVersion"\s*:\s*"/.test(text) || /"cveID"\s*:\s*"CVE-/.test(text)) return 'kev';
  return undefined;
}

async function readHead(filePath: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  const bytes = await openFeedBytes(filePath);
  try {
    for await (const chunk of bytes) {
      chunks.push(Buffer.from(chunk));
      length += chunk.byteLength;
      if (length >= SNIFF_BYTES) break;
    }
  } catch {
    // A damaged gzip stream or an unreadable file is not a feed; the import reports it if asked.
    if (chunks.length === 0) return '';
  } finally {
    (bytes as { destroy?: () => void }).destroy?.();
  }
  // A multi-byte character cut at the end decodes as U+FFFD, which no pattern above looks at.
  return Buffer.concat(chunks).subarray(0, SNIFF_BYTES).toString('utf8');
}
