// Parser for CycloneDX BOMs with vulnerabilities in the XML encoding (specification 1.4 to 1.6,
// namespace http://cyclonedx.org/schema/bom/1.x). Each element the mapping reads is converted to
// the value the JSON encoding has for it. The JSON parser's functions then map it, so a BOM gives
// the same asset and findings in either encoding. Components are read one field at a time and
// kept only as the technology a finding needs, and one vulnerability is assembled at a time.
// As in the JSON parser, `dependencies`, `compositions` and `services` are not stored.

import { detachString, parseIsoDate } from '../field-values';
import type { FindingRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import { ASSET_KEY, bomAsset, metadataSchema } from './cyclonedx';
import { componentInfo, vulnerabilityFindings, type ComponentInfo } from './cyclonedx-findings';
import { jsonValue, localName } from './cyclonedx-xml-values';
import { validateJson } from './json-fields';

const NAMESPACE_PREFIX = 'http://cyclonedx.org/schema/bom/';

interface QueuedVulnerability {
  element: XmlElement;
  index: number;
}

/** A component being read: its JSON path and its fields, collected one element at a time. */
interface ComponentFrame {
  path: (string | number)[];
  attributes: Record<string, string>;
  fields: XmlElement[];
  line: number;
  column: number;
  /** Number of nested components seen so far, for the next one's JSON path. */
  children: number;
}

/** True for `bom/components/component`, `bom/components/component/components/component`, … */
function isComponentPath(path: XmlPath): boolean {
  if (path.length < 3 || path.length % 2 === 0) return false;
  for (let index = 1; index < path.length; index += 2) {
    if (localName(path[index] ?? '') !== 'components' || localName(path[index + 1] ?? '') !== 'component') return false;
  }
  return true;
}

class CycloneDxXmlReader {
  private readonly header: Record<string, unknown> = { bomFormat: 'CycloneDX' };
  private metadata: ReturnType<typeof metadataSchema.parse> | undefined;
  private rawMetadata: Record<string, unknown> | undefined;
  private readonly components = new Map<string, ComponentInfo>();
  private readonly componentStack: ComponentFrame[] = [];
  private topComponents = 0;
  private componentsDone = false;
  private vulnerabilities = 0;
  private readonly pending = new SpillQueue<QueuedVulnerability>();
  private assetEmitted = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  select(path: XmlPath): 'collect' | 'enter' | 'skip' {
    const name = localName(path[path.length - 1] ?? '');
    if (path.length === 1) {
      if (name !== 'bom') throw new ReportError('wrong_format', `root element is <${path[0]}>, but a CycloneDX XML BOM has <bom>`);
      return 'enter';
    }
    if (path.length === 2) {
      if (name === 'metadata') return 'collect';
      return name === 'components' || name === 'vulnerabilities' ? 'enter' : 'skip';
    }
    const top = localName(path[1] ?? '');
    if (top === 'vulnerabilities') return path.length === 3 && name === 'vulnerability' ? 'collect' : 'skip';
    if (top !== 'components') return 'skip';
    if (isComponentPath(path)) return 'enter';
    // A field of a component: nested components are walked, the rest collected.
    if (isComponentPath(path.slice(0, -1))) return name === 'components' ? 'enter' : 'collect';
    return 'skip';
  }

  open(path: XmlPath, attributes: Record<string, string>, line: number, column: number): void {
    if (path.length === 1) {
      this.readHeader(attributes);
      return;
    }
    if (!isComponentPath(path)) return;
    const parent = this.componentStack[this.componentStack.length - 1];
    const index = parent ? parent.children++ : this.topComponents++;
    const jsonPath = parent ? [...parent.path, 'components', index] : ['components', index];
    this.componentStack.push({ path: jsonPath, attributes, fields: [], line, column, children: 0 });
  }

  close(path: XmlPath): ReportRecord[] {
    if (isComponentPath(path)) {
      const frame = this.componentStack.pop();
      if (frame) withLine(frame, () => this.register(componentFields(frame), frame.path));
      return [];
    }
    if (path.length === 2 && localName(path[1] ?? '') === 'components') this.componentsDone = true;
    return this.flushIfReady();
  }

  async element(path: XmlPath, element: XmlElement): Promise<ReportRecord[]> {
    const name = localName(element.name);
    if (path.length === 2) {
      this.readMetadata(element);
      return this.flushIfReady();
    }
    if (name === 'vulnerability') {
      // The schema puts vulnerabilities after components, so every bom-ref is known by now.
      this.componentsDone = true;
      const item = { element, index: this.vulnerabilities++ };
      const ready = this.flushIfReady();
      if (this.assetEmitted) return [...ready, ...this.mapVulnerability(item)];
      await this.pending.push(item);
      return ready;
    }
    this.componentStack[this.componentStack.length - 1]?.fields.push(element);
    return [];
  }

  async *finish(): AsyncGenerator<ReportRecord> {
    yield* this.asset();
    for await (const item of this.pending.drain()) yield* this.mapVulnerability(item);
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private readHeader(attributes: Record<string, string>): void {
    const namespace = attributes.xmlns ?? Object.entries(attributes).find(([name, value]) => name.startsWith('xmlns:') && value.startsWith(NAMESPACE_PREFIX))?.[1];
    if (!namespace?.startsWith(NAMESPACE_PREFIX)) {
      throw new ReportError('wrong_format', `<bom> has namespace ${JSON.stringify(namespace ?? '')}, but a CycloneDX XML BOM has ${NAMESPACE_PREFIX}1.x`, { field: 'bom/@xmlns' });
    }
    this.header.specVersion = namespace.slice(NAMESPACE_PREFIX.length);
    if (attributes.serialNumber) this.header.serialNumber = attributes.serialNumber;
    if (attributes.version !== undefined) {
      const version = Number(attributes.version);
      this.header.version = Number.isInteger(version) ? version : attributes.version;
    }
  }

  private readMetadata(element: XmlElement): void {
    const value = jsonValue(element) ?? {};
    this.metadata = withLine(element, () => validateJson(metadataSchema, value, ['metadata'], 'CycloneDX'));
    this.rawMetadata = value as Record<string, unknown>;
    const scannedAt = parseIsoDate(this.metadata.timestamp ?? undefined, 'metadata.timestamp', { field: 'metadata.timestamp', line: element.line });
    if (scannedAt) this.onMetadata({ scannedAt });

    // The subject and its nested components can be the target of affects[].ref too.
    const subject = this.rawMetadata.component;
    if (subject && typeof subject === 'object') this.registerTree(subject as Record<string, unknown>, ['metadata', 'component']);
  }

  private registerTree(component: Record<string, unknown>, path: (string | number)[]): void {
    const { components: children, ...fields } = component;
    this.register(fields, path);
    if (!Array.isArray(children)) return;
    children.forEach((child, index) => {
      if (child && typeof child === 'object') this.registerTree(child as Record<string, unknown>, [...path, 'components', index]);
    });
  }

  private register(fields: Record<string, unknown>, path: (string | number)[]): void {
    const info = componentInfo(fields, path);
    const ref = fields['bom-ref'];
    if (typeof ref === 'string' && ref !== '' && !this.components.has(ref)) this.components.set(detachString(ref), info);
  }

  private flushIfReady(): ReportRecord[] {
    // Vulnerabilities name components by bom-ref, so they wait until the components are read.
    if (this.assetEmitted || this.metadata === undefined || !this.componentsDone || this.pending.size > 0) return [];
    return this.asset();
  }

  private mapVulnerability({ element, index }: QueuedVulnerability): ReportRecord[] {
    const findings: FindingRecord[] = withLine(element, () =>
      vulnerabilityFindings(jsonValue(element) ?? {}, ['vulnerabilities', index], ASSET_KEY, (ref) => this.components.get(ref)),
    );
    return findings.map((finding) => ({ kind: 'finding', finding }));
  }

  private asset(): ReportRecord[] {
    if (this.assetEmitted) return [];
    this.assetEmitted = true;
    const asset = bomAsset(this.header, this.metadata, this.rawMetadata);
    this.onMetadata({ title: asset.name });
    return [{ kind: 'asset', asset }];
  }
}

/** Returns a component's JSON fields, without its nested components, from its attributes and collected child elements. */
function componentFields(frame: ComponentFrame): Record<string, unknown> {
  const component = jsonValue({ name: 'component', attributes: frame.attributes, children: frame.fields, text: '', line: 0, column: 0 });
  return component && typeof component === 'object' ? (component as Record<string, unknown>) : {};
}

/**
 * Runs a mapping step and adds the element's line and column to a ReportError it raises, whose
 * field is a JSON-style path such as `vulnerabilities[2].ratings[0].score`.
 */
function withLine<T>(element: { line: number; column: number }, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof ReportError) || error.position.line !== undefined) throw error;
    throw new ReportError(error.code, error.detail, { ...error.position, line: element.line, column: element.column }, error.file);
  }
}

export const cycloneDxXmlParser: ReportParser = {
  format: 'cyclonedx-xml',
  source: 'CycloneDX',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'cyclonedx-xml', source: 'CycloneDX' });
    const reader = new CycloneDxXmlReader(onMetadata);
    try {
      for await (const event of streamXml(input, (path) => reader.select(path))) {
        let records: ReportRecord[] = [];
        if (event.kind === 'open') reader.open(event.path, event.attributes, event.line, event.column);
        else if (event.kind === 'close') records = reader.close(event.path);
        else records = await reader.element(event.path, event.element);
        if (records.length > 0) yield* records;
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
