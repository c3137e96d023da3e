// Parser for Qualys Web Application Scanning (WAS) XML reports: the scan report (root
// WAS_SCAN_REPORT) and the web application report (root WAS_WEBAPP_REPORT). Layout: HEADER,
// TARGET, SUMMARY, then RESULTS, then GLOSSARY/QID_LIST with one QID entry per QID, then APPENDIX.
// RESULTS holds the lists VULNERABILITY_LIST, INFORMATION_GATHERED_LIST and SENSITIVE_CONTENT_LIST
// either inside one WEB_APPLICATION element per application (with its ID, NAME and URL) or
// directly, when the application is described by APPENDIX/WEBAPP at the end of the report.
// NOTE: only the direct layout was checked against real scan reports. The WEB_APPLICATION layout
// follows the element names of the scan report and is tested with a hand-written report only.
//
// Each web application becomes an `application` asset named by its URL. Each result entry becomes
// a finding with its QID as vendor id (qualys-was-findings.ts). Because the glossary and the
// appendix follow the results, entries wait in a spill queue until the end of the report.

import { detachString } from '../field-values';
import type { AssetRecord, ParseContext, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { appendRaw, childText, elementToRaw, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import { glossaryEntry, parseWasDate, RESULT_LISTS, wasFinding, wasItem, type GlossaryEntry, type WasItem } from './qualys-was-findings';
import { assetNameFromFile } from './asset-name-from-file';

export const QUALYS_WAS_SOURCE = 'Qualys WAS';

const ROOTS = new Set(['WAS_SCAN_REPORT', 'WAS_WEBAPP_REPORT']);

/** Report key of the application that results directly under RESULTS belong to. */
const REPORT_APP_KEY = 'report';

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  const name = path[path.length - 1] ?? '';
  const section = path[1];
  switch (path.length) {
    case 1:
      if (!ROOTS.has(name)) throw new ReportError('wrong_format', `root element is <${name}>, but a Qualys WAS report has <WAS_SCAN_REPORT> or <WAS_WEBAPP_REPORT>`);
      return 'enter';
    case 2:
      if (name === 'RESULTS' || name === 'GLOSSARY' || name === 'APPENDIX') return 'enter';
      return name === 'HEADER' || name === 'TARGET' ? 'collect' : 'skip';
    case 3:
      if (section === 'RESULTS') return name === 'WEB_APPLICATION' || name in RESULT_LISTS ? 'enter' : 'skip';
      if (section === 'GLOSSARY') return name === 'QID_LIST' ? 'enter' : 'skip';
      if (name === 'SCAN_LIST') return 'enter';
      return name === 'WEBAPP' ? 'collect' : 'skip';
    case 4:
      if (section === 'RESULTS' && path[2] === 'WEB_APPLICATION') return name in RESULT_LISTS ? 'enter' : 'collect';
      if (section === 'RESULTS') return RESULT_LISTS[path[2] ?? '']?.entry === name ? 'collect' : 'skip';
      if (section === 'GLOSSARY') return name === 'QID' ? 'collect' : 'skip';
      return name === 'SCAN' ? 'collect' : 'skip';
    case 5:
      return section === 'RESULTS' && RESULT_LISTS[path[3] ?? '']?.entry === name ? 'collect' : 'skip';
    default:
      return 'skip';
  }
}

/** A web application of the report, from a WEB_APPLICATION element or APPENDIX/WEBAPP. */
interface WebApplication {
  key: string;
  fields: Record<string, unknown>;
  url?: string;
  name?: string;
  line: number;
}

class QualysWasReader {
  private readonly pending = new SpillQueue<WasItem>();
  private readonly glossary = new Map<string, GlossaryEntry>();
  /** Applications with their own WEB_APPLICATION element, in report order. */
  private readonly applications: WebApplication[] = [];
  /** APPENDIX/WEBAPP entries, which describe the application of results directly under RESULTS. */
  private readonly appendixApps: WebApplication[] = [];
  private readonly scans: unknown[] = [];
  private target: unknown;
  private current: WebApplication | undefined;
  private directItems = 0;

  constructor(
    private readonly context: ParseContext | undefined,
    private readonly onMetadata: (meta: Partial<ReportMetadata>) => void,
  ) {}

  open(name: string, path: XmlPath, line: number): void {
    if (name === 'WEB_APPLICATION' && path.length === 3) {
      this.current = { key: `webapp#${this.applications.length + 1}`, fields: {}, line };
      this.applications.push(this.current);
    }
  }

  close(name: string, path: XmlPath): void {
    if (name === 'WEB_APPLICATION' && path.length === 3) this.current = undefined;
  }

  async element(path: XmlPath, element: XmlElement): Promise<void> {
    const section = path[1];
    if (path.length === 2 && element.name === 'HEADER') this.onMetadata(headerMetadata(element));
    else if (path.length === 2) this.target = elementToRaw(element);
    else if (section === 'GLOSSARY') {
      const { qid, entry } = glossaryEntry(element);
      this.glossary.set(detachString(qid), entry);
    } else if (section === 'APPENDIX' && element.name === 'WEBAPP') {
      this.appendixApps.push(applicationOf(element, `appendix#${this.appendixApps.length + 1}`));
    } else if (section === 'APPENDIX') {
      this.scans.push(elementToRaw(element));
    } else if (path.length === 4 && this.current && path[2] === 'WEB_APPLICATION') {
      addApplicationField(this.current, element);
    } else {
      const list = RESULT_LISTS[path[path.length - 2] ?? ''];
      if (!list) return;
      if (!this.current) this.directItems++;
      await this.pending.push(wasItem(element, list.kind, this.current?.key));
    }
  }

  /** Emits the applications, then one finding per result entry that is not fixed. */
  async *finish(): AsyncGenerator<ReportRecord> {
    const assets = new Map<string, AssetRecord>();
    for (const application of this.applications) assets.set(application.key, this.asset(application));
    if (this.directItems > 0 || this.applications.length === 0) {
      for (const application of this.appendixApps) assets.set(application.key, this.asset(application));
      if (this.appendixApps.length === 0) assets.set(REPORT_APP_KEY, this.reportAsset());
    }
    for (const asset of assets.values()) yield { kind: 'asset', asset };

    for await (const item of this.pending.drain()) {
      const assetKey = item.appKey ?? this.appendixAppOf(item.url);
      const finding = wasFinding(item, assetKey, this.glossary.get(item.qid));
      if (finding) yield { kind: 'finding', finding };
    }
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private asset(application: WebApplication): AssetRecord {
    const name = application.url ?? application.name;
    if (!name) throw new ReportError('invalid_field', 'web application has neither URL nor NAME', { line: application.line, field: 'URL' });
    const raw: Record<string, unknown> = { ...application.fields };
    if (application.name) raw.NAME = application.name;
    if (this.target !== undefined) raw.TARGET = this.target;
    if (this.scans.length > 0) raw.SCANS = this.scans;
    const asset: AssetRecord = { reportKey: application.key, name: detachString(name), kind: 'application', raw };
    const os = raw.OPERATING_SYSTEM;
    if (typeof os === 'string' && os.trim()) asset.os = os.trim();
    return asset;
  }

  /** Builds the application of a report whose results name no application at all, named after the file. */
  private reportAsset(): AssetRecord {
    const raw: Record<string, unknown> = {};
    if (this.target !== undefined) raw.TARGET = this.target;
    if (this.scans.length > 0) raw.SCANS = this.scans;
    return { reportKey: REPORT_APP_KEY, name: assetNameFromFile(this.context?.fileName, 'Qualys WAS', 'web application'), kind: 'application', raw };
  }

  /**
   * Returns the APPENDIX/WEBAPP a result directly under RESULTS belongs to: the one whose URL has
   * the result URL's host, else the first.
   */
  private appendixAppOf(url: string | undefined): string {
    const first = this.appendixApps[0];
    if (!first) return REPORT_APP_KEY;
    const host = hostOf(url);
    const match = host ? this.appendixApps.find((application) => hostOf(application.url) === host) : undefined;
    return (match ?? first).key;
  }
}

function hostOf(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  return new URL(url).hostname.toLowerCase();
}

function applicationOf(element: XmlElement, key: string): WebApplication {
  const application: WebApplication = { key, fields: {}, line: element.line };
  for (const child of element.children) addApplicationField(application, child);
  return application;
}

function addApplicationField(application: WebApplication, element: XmlElement): void {
  const text = element.text.trim();
  if (element.name === 'URL' && text) application.url = text;
  else if (element.name === 'NAME' && text) application.name = text;
  else appendRaw(application.fields, element.name, elementToRaw(element));
}

/** Reads the report's NAME and GENERATION_DATETIME. */
function headerMetadata(header: XmlElement): Partial<ReportMetadata> {
  const metadata: Partial<ReportMetadata> = {};
  const title = childText(header, 'NAME');
  if (title) metadata.title = title;
  const generated = parseWasDate(childText(header, 'GENERATION_DATETIME'), 'HEADER/GENERATION_DATETIME', { line: header.line });
  if (generated) metadata.scannedAt = generated;
  return metadata;
}

export const qualysWasParser: ReportParser = {
  format: 'qualys-was',
  source: QUALYS_WAS_SOURCE,

  async *parse(input, onMetadata, context): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'qualys-was', source: QUALYS_WAS_SOURCE });
    const reader = new QualysWasReader(context, onMetadata);
    try {
      for await (const event of streamXml(input, selectElement)) {
        if (event.kind === 'open') reader.open(event.name, event.path, event.line);
        else if (event.kind === 'close') reader.close(event.name, event.path);
        else await reader.element(event.path, event.element);
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
