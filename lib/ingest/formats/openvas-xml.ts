// Parser for Greenbone (OpenVAS) XML reports, the GMP `get_reports` output: a `<report>` root,
// or a `<get_reports_response>` around one or more, with the report data in a nested `<report>`.
// Each result under `results` becomes a finding, and each host becomes a host asset. GMP writes
// the host details (`report/host`: start and end time, OS, host name) after the results, so the
// results wait in a spill queue until the end of the file, and one result is assembled at a
// time. Log results are kept as informational findings, as in the CSV export parser.

import { detachString, parseIsoDate, splitAddresses } from '../field-values';
import type { AssetRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { appendRaw, childElement, childElements, childText, elementToRaw, nonBlank, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import { resultFinding, resultHost } from './openvas-xml-findings';

const ROOTS: ReadonlySet<string> = new Set(['report', 'get_reports_response']);

/** Children of a report element read for the report's metadata. */
const METADATA_ELEMENTS: ReadonlySet<string> = new Set(['task', 'scan_start', 'timestamp']);

/** Host detail names that give the asset's OS. Every detail is also kept in the asset's raw. */
const OS_DETAILS = ['best_os_txt', 'OS'];

/** Facts about one host, gathered from its results and its `host` element. */
interface HostInfo {
  ip: string;
  /** Host name from the results (`result/host/hostname`), the CSV export's Hostname column. */
  resultHostname?: string;
  details?: XmlElement;
}

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  const name = path[path.length - 1] ?? '';
  if (path.length === 1) {
    if (!ROOTS.has(name)) throw new ReportError('wrong_format', `root element is <${name}>, but a Greenbone XML report has <report> or <get_reports_response>`);
    return 'enter';
  }
  const parent = path[path.length - 2] ?? '';
  if (parent === 'results') return name === 'result' ? 'collect' : 'skip';
  if (!ROOTS.has(parent)) return 'skip';
  if (name === 'report' || name === 'results') return 'enter';
  if (name === 'host' || METADATA_ELEMENTS.has(name)) return 'collect';
  return 'skip';
}

class OpenVasXmlReader {
  private readonly hosts = new Map<string, HostInfo>();
  private readonly pending = new SpillQueue<XmlElement>();
  private results = 0;
  private sawScanStart = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  async handle(element: XmlElement): Promise<void> {
    if (element.name === 'result') {
      this.results++;
      const { ip, hostname } = resultHost(element);
      const host = this.host(ip);
      if (hostname && !host.resultHostname) host.resultHostname = detachString(hostname);
      await this.pending.push(element);
    } else if (element.name === 'host') {
      const ip = childText(element, 'ip');
      if (!ip) throw new ReportError('invalid_field', 'report host has no <ip>; expected the scanned address in every report/host', { line: element.line, column: element.column, field: 'report/host/ip' });
      this.host(ip).details = element;
    } else if (element.name === 'task') {
      const title = childText(element, 'name');
      if (title) this.onMetadata({ title });
    } else {
      // The scan's start wins over the report's creation timestamp.
      const scannedAt = parseIsoDate(nonBlank(element.text), element.name, { line: element.line, field: element.name });
      if (!scannedAt || this.sawScanStart) return;
      this.onMetadata({ scannedAt });
      if (element.name === 'scan_start') this.sawScanStart = true;
    }
  }

  /** Emits every host, then the findings that waited for them. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (this.results === 0 && this.hosts.size === 0) throw new ReportError('empty', 'Greenbone report contains no results and no hosts');
    for (const host of this.hosts.values()) yield { kind: 'asset', asset: hostAsset(host) };
    for await (const result of this.pending.drain()) {
      yield { kind: 'finding', finding: resultFinding(result, resultHost(result).ip) };
    }
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private host(ip: string): HostInfo {
    let host = this.hosts.get(ip);
    if (!host) {
      host = { ip: detachString(ip) };
      this.hosts.set(host.ip, host);
    }
    return host;
  }
}

/**
 * Builds a host's asset, named like the CSV export's asset: the host name from the results, else
 * the `hostname` host detail, else the address. A name with a dot is an FQDN.
 */
function hostAsset(host: HostInfo): AssetRecord {
  const details = hostDetails(host.details);
  const hostname = host.resultHostname ?? firstDetail(details, ['hostname']);
  const name = hostname ?? host.ip;
  const asset: AssetRecord = { reportKey: host.ip, name, kind: 'host', ...splitAddresses([host.ip]) };
  if (hostname?.includes('.')) asset.fqdn = hostname;
  else if (hostname) asset.hostname = hostname;

  const os = firstDetail(details, OS_DETAILS);
  if (os) asset.os = os;
  const mac = firstDetail(details, ['MAC']);
  if (mac) asset.mac = [mac.toLowerCase()];
  if (!host.details) return asset;

  const position = { line: host.details.line, column: host.details.column };
  const firstSeen = parseIsoDate(childText(host.details, 'start'), 'start', { ...position, field: 'report/host/start' });
  if (firstSeen) asset.firstSeen = firstSeen;
  const lastSeen = parseIsoDate(childText(host.details, 'end'), 'end', { ...position, field: 'report/host/end' });
  if (lastSeen) asset.lastSeen = lastSeen;

  const raw: Record<string, unknown> = {};
  for (const child of host.details.children) {
    if (['ip', 'start', 'end', 'detail'].includes(child.name)) continue;
    appendRaw(raw, child.name, elementToRaw(child));
  }
  if (details.length > 0) raw.details = details.map(({ name: detailName, value, source }) => ({ name: detailName, value, ...(source ? { source } : {}) }));
  if (Object.keys(raw).length > 0) asset.raw = raw;
  return asset;
}

interface HostDetail {
  name: string;
  value: string;
  source?: unknown;
}

/** Reads `host/detail` entries: `<detail><name>best_os_txt</name><value>Debian 12</value><source>…</source></detail>`. */
function hostDetails(host: XmlElement | undefined): HostDetail[] {
  if (!host) return [];
  return childElements(host, 'detail').flatMap((detail) => {
    const name = childText(detail, 'name');
    const value = childText(detail, 'value');
    if (!name || value === undefined) return [];
    const source = childElement(detail, 'source');
    return [{ name, value, ...(source ? { source: elementToRaw(source) } : {}) }];
  });
}

function firstDetail(details: HostDetail[], names: string[]): string | undefined {
  for (const name of names) {
    const detail = details.find((candidate) => candidate.name === name);
    if (detail) return detail.value;
  }
  return undefined;
}

export const openVasXmlParser: ReportParser = {
  format: 'openvas-xml',
  source: 'Greenbone',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'openvas-xml', source: 'Greenbone' });
    const reader = new OpenVasXmlReader(onMetadata);
    try {
      for await (const event of streamXml(input, selectElement)) {
        if (event.kind === 'element') await reader.handle(event.element);
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
