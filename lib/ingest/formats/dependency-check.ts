// Parser for OWASP Dependency-Check XML reports (`<analysis xmlns="https://jeremylong.github.io/
// DependencyCheck/dependency-check.X.Y.xsd">`, schema 1.3 and later). The scanned project is the
// one asset: an application named by `projectInfo/name`, else by its Maven coordinates, else a
// repository named by the deepest folder that contains every dependency. Each vulnerability of each
// dependency is a finding on the dependency's package. Suppressed vulnerabilities are kept and
// flagged `raw.suppressed`. One dependency is assembled at a time; when the project has no name,
// dependencies wait in a spill queue until every path is known.

import { detachString, parseIsoDate } from '../field-values';
import type { AssetRecord, ReportMetadata, ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { SpillQueue } from '../spill-queue';
import { childElement, childText, elementToRaw, streamXml, type XmlElement, type XmlPath } from '../xml-stream';
import { dependencyFinding, dependencyInfo } from './dependency-check-findings';

const ROOT = 'analysis';
const ASSET_KEY = 'project';
const FINDING_LISTS: ReadonlySet<string> = new Set(['vulnerability', 'suppressedVulnerability']);

function selectElement(path: XmlPath): 'collect' | 'enter' | 'skip' {
  const name = path[path.length - 1] ?? '';
  switch (path.length) {
    case 1:
      if (name !== ROOT) throw new ReportError('wrong_format', `root element is <${name}>, but a Dependency-Check XML report has <${ROOT}>`);
      return 'enter';
    case 2:
      if (name === 'scanInfo' || name === 'projectInfo') return 'collect';
      return name === 'dependencies' ? 'enter' : 'skip';
    case 3:
      return name === 'dependency' ? 'collect' : 'skip';
    default:
      return 'skip';
  }
}

class DependencyCheckReader {
  private scanInfo: XmlElement | undefined;
  private projectInfo: XmlElement | undefined;
  private readonly pending = new SpillQueue<XmlElement>();
  /** Folders shared by every dependency path so far, outermost first; undefined before the first path. */
  private commonFolders: string[] | undefined;
  private separator = '/';
  private assetEmitted = false;
  private sawReport = false;

  constructor(private readonly onMetadata: (meta: Partial<ReportMetadata>) => void) {}

  async handle(element: XmlElement): Promise<ReportRecord[]> {
    this.sawReport = true;
    if (element.name === 'scanInfo') {
      this.scanInfo = element;
      return [];
    }
    if (element.name === 'projectInfo') {
      this.projectInfo = element;
      const scannedAt = parseIsoDate(childText(element, 'reportDate'), 'reportDate', { line: element.line, field: 'projectInfo/reportDate' });
      if (scannedAt) this.onMetadata({ scannedAt });
      return projectName(element) ? this.asset() : [];
    }

    if (this.assetEmitted) return this.findings(element);
    this.addPath(childText(element, 'filePath'));
    await this.pending.push(element);
    return [];
  }

  async *finish(): AsyncGenerator<ReportRecord> {
    if (!this.sawReport) throw new ReportError('empty', 'Dependency-Check report contains no projectInfo and no dependencies');
    yield* this.asset();
    for await (const dependency of this.pending.drain()) yield* this.findings(dependency);
  }

  async dispose(): Promise<void> {
    await this.pending.dispose();
  }

  private findings(dependency: XmlElement): ReportRecord[] {
    const vulnerabilities = childElement(dependency, 'vulnerabilities')?.children.filter((child) => FINDING_LISTS.has(child.name)) ?? [];
    if (vulnerabilities.length === 0) return [];
    const info = dependencyInfo(dependency);
    return vulnerabilities.map((vulnerability) => ({ kind: 'finding', finding: dependencyFinding(vulnerability, info, ASSET_KEY) }));
  }

  /** Narrows the common folder to the one that also contains this path. */
  private addPath(filePath: string | undefined): void {
    if (!filePath) return;
    // A virtual dependency's path names the manifest and the package: `…/package-lock.json?yargs-parser`.
    const path = filePath.replace(/\?.*$/, '');
    const folders = path.split(/[\\/]+/).slice(0, -1);
    if (this.commonFolders === undefined) {
      this.commonFolders = folders.map(detachString);
      this.separator = path.includes('\\') && !path.includes('/') ? '\\' : '/';
      return;
    }
    let shared = 0;
    while (shared < this.commonFolders.length && this.commonFolders[shared] === folders[shared]) shared++;
    this.commonFolders.length = shared;
  }

  private asset(): ReportRecord[] {
    if (this.assetEmitted) return [];
    this.assetEmitted = true;

    const named = this.projectInfo ? projectName(this.projectInfo) : undefined;
    const folder = this.commonFolders?.join(this.separator);
    // A POSIX path starts with `/`, which the split turned into an empty first folder.
    const folderName = folder === '' && this.commonFolders?.length === 1 ? '/' : folder;
    const name = named ?? (folderName || 'Dependency-Check project');
    const raw: Record<string, unknown> = {};
    if (this.projectInfo) raw.projectInfo = elementToRaw(this.projectInfo);
    if (this.scanInfo && this.scanInfo.children.length > 0) raw.scanInfo = elementToRaw(this.scanInfo);

    const asset: AssetRecord = { reportKey: ASSET_KEY, name: detachString(name), kind: named ? 'application' : 'repository', raw };
    this.onMetadata({ title: asset.name });
    return [{ kind: 'asset', asset }];
  }
}

/** Returns the project's name, else `group:artifact` when the Maven or Gradle plugin gives them. */
function projectName(projectInfo: XmlElement): string | undefined {
  const name = childText(projectInfo, 'name');
  if (name) return name;
  const artifact = childText(projectInfo, 'artifactID');
  if (!artifact) return undefined;
  const group = childText(projectInfo, 'groupID');
  return group ? `${group}:${artifact}` : artifact;
}

export const dependencyCheckParser: ReportParser = {
  format: 'dependency-check',
  source: 'Dependency-Check',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'dependency-check', source: 'Dependency-Check' });
    const reader = new DependencyCheckReader(onMetadata);
    try {
      for await (const event of streamXml(input, selectElement)) {
        if (event.kind !== 'element') continue;
        const records = await reader.handle(event.element);
        if (records.length > 0) yield* records;
      }
      yield* reader.finish();
    } finally {
      await reader.dispose();
    }
  },
};
