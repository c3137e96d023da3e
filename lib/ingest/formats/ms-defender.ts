// Parser for Microsoft Defender for Endpoint vulnerability exports. The usual form is a zip of
// the API's JSON pages: `machines/*.json` from `/api/machines` and `vulnerabilities/*.json` from
// `/api/vulnerabilities/machinesVulnerabilities`, each an OData page `{"value": [...]}`.
// Machines entries are read first, so every machine becomes a host asset before its
// vulnerabilities arrive. A vulnerability of a machine that no machines entry lists gets a host
// asset named by its machine id. A single vulnerabilities page (plain JSON) is read the same way.

import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { inEntry, type ArchiveReportParser, type ZipArchive } from '../zip-input';
import { expectContainer } from './json-fields';
import { defenderMachineAsset, defenderMachineStub, defenderVulnerability, defenderVulnerabilityFinding } from './ms-defender-records';

type EntryKind = 'machines' | 'vulnerabilities';

/** Files that macOS's Finder adds to the archives it makes. They contain no report data. */
const FINDER_ENTRY = /(^|\/)(__MACOSX\/|\.DS_Store$)/;

/** Returns the kind of page a zip entry contains from its folder, or undefined for other files. */
export function defenderEntryKind(name: string): EntryKind | undefined {
  const segments = name.toLowerCase().split('/');
  const folder = segments[segments.length - 2];
  if (!name.toLowerCase().endsWith('.json')) return undefined;
  return folder === 'machines' || folder === 'vulnerabilities' ? folder : undefined;
}

/** Reads OData pages and yields assets and findings, keeping only the ids of the assets emitted. */
class DefenderReader {
  private readonly emitted = new Set<string>();
  /** Machines excluded from vulnerability management in Defender, with the reason given. */
  private readonly excluded = new Map<string, string | null>();

  async *page(text: AsyncIterable<string>, kind: EntryKind): AsyncGenerator<ReportRecord> {
    let sawValue = false;
    const select = (path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' => {
      if (path.length === 0) {
        if (type !== 'object') throw new ReportError('malformed', `expected an OData page object {"value": [...]} at the top level, found an ${type}`);
        return 'enter';
      }
      if (path.length === 1) {
        if (path[0] !== 'value') return 'skip';
        sawValue = true;
        return expectContainer(path, type, 'array');
      }
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a ${kind === 'machines' ? 'machine' : 'vulnerability'} object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    };

    for await (const event of streamJson(text, select)) {
      if (event.kind !== 'value') continue;
      if (kind === 'machines') {
        const asset = defenderMachineAsset(event.value, event.path);
        if (this.emitted.has(asset.reportKey)) continue;
        if (asset.raw?.isExcluded === true) this.excluded.set(asset.reportKey, typeof asset.raw.exclusionReason === 'string' ? asset.raw.exclusionReason : null);
        this.emitted.add(asset.reportKey);
        yield { kind: 'asset', asset };
      } else {
        const vulnerability = defenderVulnerability(event.value, event.path);
        if (!this.emitted.has(vulnerability.machineId)) {
          const asset = defenderMachineStub(vulnerability.machineId);
          this.emitted.add(asset.reportKey);
          yield { kind: 'asset', asset };
        }
        const finding = defenderVulnerabilityFinding(vulnerability, event.path);
        // An excluded machine's vulnerabilities are kept, flagged as Defender's own views hide them.
        if (this.excluded.has(vulnerability.machineId)) {
          finding.raw.suppressed = true;
          finding.raw.exclusionReason = this.excluded.get(vulnerability.machineId) ?? null;
        }
        yield { kind: 'finding', finding };
      }
    }
    if (!sawValue) throw new ReportError('invalid_field', `expected a Defender API page with a "value" array of ${kind}`, { field: 'value' });
  }
}

export const msDefenderParser: ReportParser & ArchiveReportParser = {
  format: 'ms-defender',
  source: 'Microsoft Defender for Endpoint',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'ms-defender', source: 'Microsoft Defender for Endpoint' });
    yield* new DefenderReader().page(input, 'vulnerabilities');
  },

  recognizesArchive(entryNames) {
    return entryNames.some((name) => !FINDER_ENTRY.test(name) && defenderEntryKind(name) !== undefined);
  },

  /**
   * Reads every machines entry, then every vulnerabilities entry, each in name order. Any
   * other file in the archive is rejected by name rather than skipped, so nothing the user
   * meant to import is left out without notice.
   */
  async *parseArchive(archive: ZipArchive, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'ms-defender', source: 'Microsoft Defender for Endpoint' });
    const byKind: Record<EntryKind, string[]> = { machines: [], vulnerabilities: [] };
    for (const { name } of archive.entries) {
      if (FINDER_ENTRY.test(name)) continue;
      const kind = defenderEntryKind(name);
      if (!kind) {
        throw new ReportError('invalid_field', `zip entry ${name} is not part of a Defender export; expected only machines/*.json and vulnerabilities/*.json`, { field: name });
      }
      byKind[kind].push(name);
    }
    if (byKind.machines.length + byKind.vulnerabilities.length === 0) {
      throw new ReportError('unknown_format', 'zip archive contains no machines/*.json or vulnerabilities/*.json entries of a Defender export');
    }

    const reader = new DefenderReader();
    for (const kind of ['machines', 'vulnerabilities'] as const) {
      for (const name of byKind[kind].sort()) {
        try {
          yield* reader.page(archive.text(name), kind);
        } catch (error) {
          throw inEntry(error, name);
        }
      }
    }
  },
};
