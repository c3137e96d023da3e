// Parser for Rapid7 Nexpose / InsightVM XML exports ("XML Export 2.0", root element
// NexposeReport). The version="1.0" exports that share its layout are read too. Layout: scans,
// then nodes > node* (names, fingerprints, software, tests > test*, endpoints > endpoint* >
// services > service* > tests > test*), then VulnerabilityDefinitions > vulnerability*. Each
// node becomes a host asset and each vulnerable test result a finding, titled and scored by its
// definition. The definitions come after the nodes, so test results wait in a spill queue until
// the definitions have been read, and definitions are kept in a keyed spill store for the join.
// Only one node's summary, one test or one definition is held in memory as a tree at a time.

import { detachString, parsePort, splitAddresses, UniqueKeys } from '../field-values';
import { KeyedSpillStore } from '../keyed-spill-store';
import type { AssetRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { appendRaw, childElements, elementToRaw, nonBlank, streamXml, type XmlElement, type XmlEvent, type XmlPath } from '../xml-stream';
import {
  isVulnerableStatus,
  nexposeFinding,
  parseNexposeDate,
  readDefinition,
  readTestResult,
  type NexposeDefinition,
  type NexposeTestResult,
  type TestLocation,
} from './nexpose-findings';

const ROOT = 'NexposeReport';
/** Nexpose 2.0 exports spell it `VulnerabilityDefinitions`, and other capitalizations are accepted too. */
const DEFINITIONS = 'vulnerabilitydefinitions';

const NODE = 'nodes/node';
const ENDPOINT = `${NODE}/endpoints/endpoint`;
const SERVICE = `${ENDPOINT}/services/service`;

/** Element paths below the root, lower-case, whose start and end the reader follows. */
const ENTERED = new Set(['scans', 'nodes', NODE, `${NODE}/tests`, `${NODE}/endpoints`, ENDPOINT, `${ENDPOINT}/services`, SERVICE, `${SERVICE}/tests`, DEFINITIONS]);
/** Element paths below the root, lower-case, whose children are collected whole. */
const COLLECTED_CHILDREN = new Set(['scans', NODE, `${NODE}/tests`, ENDPOINT, SERVICE, `${SERVICE}/tests`, DEFINITIONS]);

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  if (path.length === 1) {
    if (path[0] !== ROOT) throw new ReportError('wrong_format', `root element is <${path[0]}>, but a Nexpose XML export has <${ROOT}>`);
    return 'enter';
  }
  const below = path.slice(1).join('/').toLowerCase();
  if (ENTERED.has(below)) return 'enter';
  const parent = path.slice(1, -1).join('/').toLowerCase();
  // Every other child of a followed element is kept: tests, definitions, and the rest for raw.
  return COLLECTED_CHILDREN.has(parent) ? 'collect' : 'skip';
}

interface ServiceState {
  name?: string;
  raw: Record<string, unknown>;
}

interface EndpointState {
  port?: number;
  protocol?: string;
  raw: Record<string, unknown>;
  services: Record<string, unknown>[];
}

/** The node being read. Its asset is emitted at its end, once names, fingerprints and endpoints are known. */
interface NodeState {
  reportKey: string;
  address: string;
  attributes: Record<string, string>;
  names: string[];
  operatingSystems: Record<string, string>[];
  raw: Record<string, unknown>;
  endpoints: Record<string, unknown>[];
  /** Test results that found nothing (not-vulnerable, skipped-…, error), counted by status. */
  otherResults: Record<string, number>;
}

class NexposeReader {
  private readonly keys = new UniqueKeys();
  private readonly pending = new SpillQueue<NexposeTestResult>();
  private readonly definitions = new KeyedSpillStore<NexposeDefinition>();
  private definitionsRead = false;
  private node: NodeState | undefined;
  private endpoint: EndpointState | undefined;
  private service: ServiceState | undefined;
  private nodeCount = 0;
  private scannedAt: Date | undefined;
  private titleSet = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  async *handle(event: XmlEvent): AsyncGenerator<ReportRecord> {
    const below = event.path.slice(1).join('/').toLowerCase();
    if (event.kind === 'open') {
      this.open(below, event.attributes, { line: event.line, column: event.column });
    } else if (event.kind === 'close') {
      yield* this.close(below);
    } else {
      await this.collected(below, event.element);
    }
  }

  /** Yields the test results still waiting, which only happens when a report ends without definitions after them. */
  async *finish(): AsyncGenerator<ReportRecord> {
    if (this.nodeCount === 0) throw new ReportError('empty', 'Nexpose report contains no nodes');
    if (this.pending.size > 0 && !this.definitionsRead) {
      throw new ReportError(
        'invalid_field',
        'Nexpose report has vulnerable test results but no VulnerabilityDefinitions section to name and score them; export it again with the XML Export 2.0 template',
        { field: 'VulnerabilityDefinitions' },
      );
    }
    yield* this.drain();
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
    await this.definitions.dispose();
  }

  private open(below: string, attributes: Record<string, string>, position: { line: number; column: number }): void {
    if (below === NODE) {
      const address = nonBlank(attributes.address);
      if (!address) throw new ReportError('malformed', 'node has no address attribute', position);
      this.nodeCount++;
      this.node = { reportKey: this.keys.next(address), address: detachString(address), attributes, names: [], operatingSystems: [], raw: {}, endpoints: [], otherResults: {} };
    } else if (below === ENDPOINT) {
      const port = parsePort(attributes.port, 'port', position);
      const protocol = nonBlank(attributes.protocol)?.toLowerCase();
      this.endpoint = { raw: { ...attributes }, services: [] };
      if (port !== undefined) this.endpoint.port = port;
      if (protocol) this.endpoint.protocol = protocol;
    } else if (below === SERVICE) {
      this.service = { raw: { ...attributes } };
      const name = nonBlank(attributes.name);
      if (name) this.service.name = name;
    }
  }

  private async *close(below: string): AsyncGenerator<ReportRecord> {
    if (below === SERVICE && this.service) {
      this.endpoint?.services.push(this.service.raw);
      this.service = undefined;
    } else if (below === ENDPOINT && this.endpoint) {
      this.node?.endpoints.push({ ...this.endpoint.raw, services: this.endpoint.services });
      this.endpoint = undefined;
    } else if (below === NODE && this.node) {
      yield { kind: 'asset', asset: nodeAsset(this.node) };
      this.node = undefined;
      if (this.definitionsRead) yield* this.drain();
    } else if (below === DEFINITIONS) {
      this.definitionsRead = true;
      yield* this.drain();
    }
  }

  private async collected(below: string, element: XmlElement): Promise<void> {
    if (below === 'scans/scan') {
      this.readScan(element);
      return;
    }
    if (below.startsWith(`${DEFINITIONS}/`)) {
      if (element.name === 'vulnerability') {
        const definition = readDefinition(element);
        await this.definitions.set(definition.id.toLowerCase(), definition);
      }
      return;
    }

    const node = this.node;
    if (!node) return;
    if (element.name === 'test' && (below === `${NODE}/tests/test` || below === `${SERVICE}/tests/test`)) {
      const where = below === `${NODE}/tests/test` ? {} : { port: this.endpoint?.port, protocol: this.endpoint?.protocol, service: this.service?.name };
      await this.readTest(node, element, where);
    } else if (below.startsWith(`${SERVICE}/`)) {
      if (this.service) appendRaw(this.service.raw, element.name, elementToRaw(element));
    } else if (below.startsWith(`${ENDPOINT}/`)) {
      if (this.endpoint) appendRaw(this.endpoint.raw, element.name, elementToRaw(element));
    } else if (below === `${NODE}/names`) {
      node.names.push(...childElements(element, 'name').flatMap((name) => nonBlank(name.text) ?? []));
    } else if (below === `${NODE}/fingerprints`) {
      node.operatingSystems.push(...childElements(element, 'os').map((os) => os.attributes));
      for (const other of element.children.filter((child) => child.name !== 'os')) appendRaw(node.raw, other.name, elementToRaw(other));
    } else if (below.startsWith(`${NODE}/`)) {
      appendRaw(node.raw, element.name, elementToRaw(element));
    }
  }

  private async readTest(node: NodeState, element: XmlElement, where: TestLocation): Promise<void> {
    const status = element.attributes.status?.trim() ?? '';
    if (!isVulnerableStatus(status)) {
      // A test that found nothing is no finding; the asset counts such results by status.
      const counted = status || 'unknown';
      node.otherResults[counted] = (node.otherResults[counted] ?? 0) + 1;
      return;
    }
    await this.pending.push(readTestResult(element, node.reportKey, where));
  }

  private readScan(element: XmlElement): void {
    const start = nonBlank(element.attributes.startTime);
    const startedAt = start ? parseNexposeDate(start, 'startTime', { line: element.line, column: element.column }) : undefined;
    if (startedAt && (!this.scannedAt || startedAt < this.scannedAt)) {
      this.scannedAt = startedAt;
      this.onMetadata({ scannedAt: startedAt });
    }
    const name = nonBlank(element.attributes.name);
    if (name && !this.titleSet) {
      this.titleSet = true;
      this.onMetadata({ title: name });
    }
  }

  /** Joins the waiting test results with their definitions, in report order. */
  private async *drain(): AsyncGenerator<ReportRecord> {
    for await (const test of this.pending.drain()) {
      const definition = await this.definitions.get(test.vulnerabilityId.toLowerCase());
      if (!definition) {
        throw new ReportError('invalid_field', `test ${JSON.stringify(test.vulnerabilityId)} refers to a vulnerability that VulnerabilityDefinitions does not define`, {
          line: test.line,
          column: test.column,
          field: 'id',
        });
      }
      yield { kind: 'finding', finding: nexposeFinding(test, definition) };
    }
  }
}

/** Attributes of a `<node>` that map to asset fields. */
const MAPPED_NODE_ATTRIBUTES = new Set(['address', 'hardware-address']);

function nodeAsset(node: NodeState): AssetRecord {
  const raw: Record<string, unknown> = { ...node.raw };
  for (const [name, value] of Object.entries(node.attributes)) if (!MAPPED_NODE_ATTRIBUTES.has(name)) raw[name] = value;
  if (node.names.length > 0) raw.names = node.names;
  if (node.operatingSystems.length > 0) raw.operatingSystems = node.operatingSystems;
  if (node.endpoints.length > 0) raw.endpoints = node.endpoints;
  if (Object.keys(node.otherResults).length > 0) raw.testResultsWithoutFinding = node.otherResults;

  const names = node.names.filter((name) => splitAddresses([name]).ipv4 === undefined && splitAddresses([name]).ipv6 === undefined);
  const fqdn = names.find((name) => name.includes('.'));
  const hostname = names.find((name) => !name.includes('.'));
  const asset: AssetRecord = {
    reportKey: node.reportKey,
    name: fqdn ?? hostname ?? node.address,
    kind: 'host',
    ...splitAddresses([node.address]),
    raw,
  };
  if (fqdn) asset.fqdn = fqdn;
  if (hostname) asset.hostname = hostname;
  const mac = macAddress(node.attributes['hardware-address']);
  if (mac) asset.mac = [mac];
  const os = bestOperatingSystem(node.operatingSystems);
  if (os) asset.os = os;
  return asset;
}

/** Formats Nexpose's `E4CE8F490D7C` as `e4:ce:8f:49:0d:7c`; other spellings are lower-cased as they are. */
function macAddress(value: string | undefined): string | undefined {
  const text = nonBlank(value)?.toLowerCase();
  if (!text) return undefined;
  return /^[0-9a-f]{12}$/.test(text) ? text.replace(/(..)(?!$)/g, '$1:') : text;
}

/** Names the operating system fingerprint with the highest certainty, the first one on a tie. */
function bestOperatingSystem(fingerprints: Record<string, string>[]): string | undefined {
  let best: Record<string, string> | undefined;
  for (const fingerprint of fingerprints) {
    if (!best || Number(fingerprint.certainty ?? 0) > Number(best.certainty ?? 0)) best = fingerprint;
  }
  if (!best) return undefined;
  const vendor = nonBlank(best.vendor);
  const product = nonBlank(best.product) ?? nonBlank(best.family);
  const parts = [vendor && product?.toLowerCase().startsWith(vendor.toLowerCase()) ? undefined : vendor, product, nonBlank(best.version)];
  const text = parts.filter(Boolean).join(' ');
  return text || undefined;
}

export const nexposeParser: ReportParser = {
  format: 'nexpose',
  source: 'Nexpose',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'nexpose', source: 'Nexpose' });
    const reader = new NexposeReader(onMetadata);
    try {
      for await (const event of streamXml(input, selectElement)) yield* reader.handle(event);
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
