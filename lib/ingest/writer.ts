import type { Tx } from '../../db/client';
import type { ImportCounts } from '../../db/schema';
import { scoreInputsFromCatalog } from '../scoring/catalog-inputs';
import { computeDetectionScore, exploitFactsFromRaw } from '../scoring/detection-score';
import { lifecycleStatus, loadLifecycleIndex, matchLifecycle, type LifecycleIndex } from '../scoring/lifecycle-match';
import { AssetMatcher, displayName, mergeAsset, type StoredAsset } from './asset-matcher';
import { loadImportIdentification, lockRulesForImport, type ImportIdentification } from '../identification/import-identification';
import { applyMergeRules, isMostRecentOnly } from '../identification/merge-rules';
import { observationOf } from '../identification/observation';
import { rescoreFindings } from '../identification/rescore';
import { identityKey } from '../identification/rules';
import { recordAssetMatches } from '../identification/asset-match-store';
import type { AssetRecord, FindingRecord } from './model';
import { ReportError } from './report-error';
import { MAX_FINDING_TEXT_LENGTH, MAX_FINDING_TITLE_LENGTH, capText, keepFullText } from './text-limits';
import { assetIdentifiers } from './asset-identifiers';
import { assetRecordOf, settleContestedAsset, type ContestedAsset } from './asset-claims';
import {
  allocateAssetIds,
  claimIdentifiers,
  deleteCreatedAssets,
  insertAssets,
  loadAssetCandidates,
  lockAssetsForImport,
  updateAssets,
  type AssetUpdate,
  type IdentifierClaim,
} from './store/asset-store';
import { CatalogCache, loadCatalogScores, normalizeCve, upsertCatalog } from './store/catalog-store';
import { resolveTechnologies, upsertFindingsAndDetections, type FindingRow } from './store/finding-store';
import { assetsScannedSince, countStatusChanges, fixAbsentFindings, recomputeLifecycle, recordAssetScans, type AssetScanInput } from './store/lifecycle-store';
import { SightingTable } from './store/sighting-table';

/** Findings per write; large enough to amortize round trips, small enough for one JSON parameter. */
const FINDING_BATCH = 1000;
/** Asset records per matching query. */
const ASSET_BATCH = 500;
/** Observations of one detection kept when a report repeats itself; the rest are counted. */
const MAX_REPEATS_KEPT = 20;

export interface WriterContext {
  importId: number;
  source: string;
  /** When the scan ran; used for observations whose report gives no date of its own. */
  observedAt: Date;
  /** Leaves open the findings this source no longer reports, instead of marking them fixed (a connector profile option). */
  keepAbsentFindings?: boolean;
}

type AssetOutcome = 'created' | 'updated' | 'unchanged';

/** Counts of an import that has written nothing yet, with every field present. */
export function emptyImportCounts(): ImportCounts {
  return {
    assetsCreated: 0,
    assetsUpdated: 0,
    assetsUnchanged: 0,
    findingsNew: 0,
    findingsUpdated: 0,
    findingsUnchanged: 0,
    findingsFixed: 0,
    findingsReopened: 0,
    findingsMerged: 0,
    findingsSkipped: 0,
    skipped: {},
    detections: 0,
  };
}

interface ResolvedAsset {
  id: number;
  lastSeen: Date;
}

/**
 * Writes one report's records inside the import's transaction. Records are buffered into batches;
 * while one batch is written, the parser goes on producing the next, so parsing and database work
 * overlap. At most one batch is in flight, which keeps memory flat and the writes in report order.
 */
export class ImportWriter {
  private readonly assets = new Map<string, ResolvedAsset>();
  private pendingAssets: AssetRecord[] = [];
  private pendingFindings: FindingRecord[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly catalog = new CatalogCache();
  /** endoflife.date cycles, loaded at the first misconfiguration that names a technology. */
  private lifecycles: LifecycleIndex | undefined;
  /** The findings this import has seen, created with the first batch of findings. */
  private sightings: SightingTable | undefined;
  /** The count each asset of this report went to, so an asset listed in two batches counts once. */
  private readonly assetOutcomes = new Map<number, AssetOutcome>();
  /** Scan time of each asset in this report. */
  private readonly scans = new Map<number, Date>();
  /** Stored assets registered by `addStoredAsset` and not yet locked for this import. */
  private readonly unlockedStoredAssets = new Set<number>();
  /** Rules, aliases, merge rules and the IP window, loaded once at the import's first batch. */
  private identification: ImportIdentification | undefined;
  readonly touchedAssetIds = new Set<number>();
  readonly counts: ImportCounts = emptyImportCounts();

  constructor(
    private readonly tx: Tx,
    private readonly context: WriterContext,
  ) {}

  async addAsset(record: AssetRecord): Promise<void> {
    this.pendingAssets.push(record);
    if (this.pendingAssets.length >= ASSET_BATCH) await this.startBatch();
  }

  async addFinding(record: FindingRecord): Promise<void> {
    this.pendingFindings.push(record);
    if (this.pendingFindings.length >= FINDING_BATCH) await this.startBatch();
  }

  /**
   * Registers a stored asset as scanned at `scannedAt` under `reportKey`, without matching or
   * updating it. For checks that derive findings from what is already stored, such as the
   * end-of-life check (lib/end-of-life/derive-eol-findings.ts).
   */
  addStoredAsset(reportKey: string, assetId: number, scannedAt: Date): void {
    this.assets.set(reportKey, { id: assetId, lastSeen: scannedAt });
    this.touchedAssetIds.add(assetId);
    this.noteScan(assetId, scannedAt);
    this.unlockedStoredAssets.add(assetId);
  }

  /**
   * Writes what is still buffered, marks as fixed the findings this source no longer reports on
   * the scanned assets unless `keepAbsentFindings` is set, records the scans, and returns the
   * import's counts. An asset this report is not the newest scan of gets its findings' statuses
   * recomputed from all its scans (lib/ingest/store/lifecycle-store.ts).
   */
  async finish(): Promise<ImportCounts> {
    await this.startBatch();
    await this.inFlight;
    const lifecycle = { source: this.context.source, importId: this.context.importId };
    const scans: AssetScanInput[] = [...this.scans].map(([assetId, scannedAt]) => ({ assetId, scannedAt }));
    const sightings = await this.sightingTable();
    // TODO: a scan that keeps absent findings open is partial, so it is not recorded; a later
    // recompute then does not know it saw its findings.
    if (!this.context.keepAbsentFindings) {
      const outOfOrder = await assetsScannedSince(this.tx, scans);
      await fixAbsentFindings(this.tx, { ...lifecycle, scans, sightings });
      await recordAssetScans(this.tx, { ...lifecycle, scans, sightings });
      const reason = `recomputed from the scans after an older or repeated ${this.context.source} report was imported`;
      await recomputeLifecycle(this.tx, { ...lifecycle, assetIds: outOfOrder, reason });
    }
    const changes = await countStatusChanges(this.tx, this.context.importId);
    this.counts.findingsFixed = changes.fixed;
    this.counts.findingsReopened = changes.reopened;
    await sightings.drop(this.tx);
    return this.counts;
  }

  private skip(reason: string): void {
    this.counts.findingsSkipped = (this.counts.findingsSkipped ?? 0) + 1;
    const skipped = (this.counts.skipped ??= {});
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  }

  private noteScan(assetId: number, seenAt: Date): void {
    const scannedAt = this.scans.get(assetId);
    if (!scannedAt || seenAt > scannedAt) this.scans.set(assetId, seenAt);
  }

  private async sightingTable(): Promise<SightingTable> {
    this.sightings ??= await SightingTable.create(this.tx);
    return this.sightings;
  }

  /**
   * Waits for the batch in flight (re-throwing its error), then starts writing the buffered
   * records without waiting for them.
   */
  private async startBatch(): Promise<void> {
    await this.inFlight;
    const assets = this.pendingAssets;
    const findings = this.pendingFindings;
    this.pendingAssets = [];
    this.pendingFindings = [];
    this.inFlight = this.writeBatch(assets, findings);
    // The next `await this.inFlight` re-raises the rejection. This handler only keeps Node
    // from reporting it as unhandled in the meantime.
    this.inFlight.catch(() => undefined);
  }

  private async writeBatch(assets: AssetRecord[], findings: FindingRecord[]): Promise<void> {
    if (!this.identification) {
      // The lock makes a re-identification that starts after a rule change wait until this
      // import, which may have read the rules before the change, has committed.
      await lockRulesForImport(this.tx);
      this.identification = await loadImportIdentification(this.tx);
    }
    if (this.unlockedStoredAssets.size > 0) {
      await lockAssetsForImport(this.tx, this.unlockedStoredAssets, 'share');
      this.unlockedStoredAssets.clear();
    }
    if (assets.length > 0) await this.writeAssets(assets);
    if (findings.length === 0) return;

    // Rows in one key order make two imports that share findings lock them in the same order.
    const rows = this.toRows(findings).sort(compareFindingRows);
    await resolveTechnologies(this.tx, rows);
    await upsertCatalog(this.tx, findings, this.catalog);
    await this.score(rows);
    const written = await upsertFindingsAndDetections(this.tx, rows, { ...this.context, sightings: await this.sightingTable() });
    this.counts.findingsNew += written.findingsNew;
    this.counts.findingsUpdated += written.findingsUpdated;
    this.counts.findingsUnchanged += written.findingsUnchanged;
    this.counts.detections += written.detections;
    this.counts.findingsMerged = (this.counts.findingsMerged ?? 0) + written.findingsMerged;
    // A finding listed in an earlier batch too was counted there, so it counts here as skipped.
    const updated = new Set(written.updatedIds);
    for (const findingId of written.repeatedIds) {
      this.skip('finding listed twice in the report; merged into one');
      if (updated.has(findingId)) this.counts.findingsUpdated--;
      else this.counts.findingsUnchanged--;
    }

    // Findings several sources reported show the fields the merge rules choose. Without merge
    // rules the upsert already shows the most recent observation, so this step is skipped.
    if (!isMostRecentOnly(this.identification.mergeRules)) {
      const changed = await applyMergeRules(this.tx, written.findingIds, this.identification.mergeRules);
      await rescoreFindings(this.tx, changed);
    }
  }

  /**
   * Matches a batch of asset records to stored assets, creates the new ones and merges the rest.
   * No lock serializes imports here. Two imports that create the same host at the same time meet
   * in the `asset_identifiers` registry, where the later one waits for the earlier to commit,
   * then finds its asset and merges into it (`settleNewAssets`).
   */
  private async writeAssets(records: AssetRecord[]): Promise<void> {
    const ipWindowDays = this.identification?.ipWindowDays;
    const matcher = new AssetMatcher({ ipWindowDays });
    for (const stored of await loadAssetCandidates(this.tx, records)) matcher.add(stored);

    const batch: AssetBatch = { created: new Map(), matched: new Map(), updates: [], matchedBy: new Map() };
    const newIds = await allocateAssetIds(this.tx, records.length);

    for (const record of records) {
      const seenAt = record.lastSeen ?? this.context.observedAt;
      const found = matcher.match(record, seenAt);

      if (found) {
        const id = found.asset.id;
        const created = batch.created.get(id);
        // A record that matched an asset created earlier in this batch updates the insert instead.
        if (created) {
          batch.created.set(id, mergeAsset(created, record, seenAt).merged);
        } else {
          const matched = batch.matched.get(id);
          const merged = mergeAsset(matched?.merged ?? found.asset, record, seenAt).merged;
          batch.matched.set(id, { before: matched?.before ?? found.asset, merged });
          batch.updates.push({ id, record, seenAt });
        }
        matcher.add(batch.created.get(id) ?? batch.matched.get(id)?.merged ?? found.asset);
        if (!batch.matchedBy.has(id)) batch.matchedBy.set(id, found.rule);
        this.resolveRecord(record.reportKey, id, seenAt);
        continue;
      }

      const created: StoredAsset = {
        id: newIds.shift() ?? 0,
        kind: record.kind,
        name: displayName(record),
        fqdn: record.fqdn ?? null,
        hostname: record.hostname ?? null,
        ipv4: record.ipv4 ?? [],
        ipv6: record.ipv6 ?? [],
        mac: record.mac ?? [],
        os: record.os ?? null,
        cloudInstanceId: record.cloudInstanceId ?? null,
        agentId: record.agentId ?? null,
        internetFacing: record.internetFacing === true,
        firstSeen: record.firstSeen ?? seenAt,
        lastSeen: seenAt,
      };
      batch.created.set(created.id, created);
      batch.matchedBy.set(created.id, 'new');
      matcher.add(created);
      this.resolveRecord(record.reportKey, created.id, seenAt);
    }

    // Every identifier claim of the batch goes in one statement, in identifier order, before any
    // asset row is locked, which removes the common deadlock of two imports that create and
    // update the same hosts. Locks from earlier batches and the claims made while settling can
    // still form a cycle, and Postgres then aborts one import with 40P01.
    const createdIds = new Set(batch.created.keys());
    const inserted = await insertAssets(this.tx, [...batch.created.values()]);
    const won = await claimIdentifiers(this.tx, [...newAssetClaims(batch, inserted), ...gainedIdentifierClaims(batch)]);

    // Existing assets are updated before new ones are settled, so matching a new asset again
    // reads them as this batch leaves them.
    await lockAssetsForImport(this.tx, batch.matched.keys(), 'update');
    const changed = await updateAssets(this.tx, batch.updates);
    for (const id of await this.settleNewAssets(batch, inserted, won, { ipWindowDays, createdIds })) changed.add(id);

    for (const id of batch.created.keys()) this.countAsset(id, 'created');
    for (const id of batch.matched.keys()) this.countAsset(id, changed.has(id) ? 'updated' : 'unchanged');
    await recordAssetMatches(this.tx, this.context.importId, batch.matchedBy);
  }

  /**
   * Settles each new asset that lost an identifier claim or was left out of the insert
   * (lib/ingest/asset-claims.ts). An asset that turns out to be a stored one is merged into it:
   * the new row is deleted, which is safe because findings are written after assets, and the
   * report's records point at the stored asset instead. Returns the stored assets that changed.
   */
  private async settleNewAssets(
    batch: AssetBatch,
    inserted: ReadonlySet<number>,
    won: ReadonlyMap<string, number>,
    options: { ipWindowDays: number | undefined; createdIds: ReadonlySet<number> },
  ): Promise<Set<number>> {
    const contested: ContestedAsset[] = [];
    for (const asset of batch.created.values()) {
      if (!inserted.has(asset.id)) {
        contested.push({ asset, inserted: false, lostIdentifiers: [] });
        continue;
      }
      const lostIdentifiers = assetIdentifiers(asset).filter((identifier) => won.get(identifier) !== asset.id);
      if (lostIdentifiers.length > 0) contested.push({ asset, inserted: true, lostIdentifiers });
    }

    const merges: { created: StoredAsset; target: StoredAsset; rule: string }[] = [];
    for (const entry of contested) {
      const settled = await settleContestedAsset(this.tx, entry, options);
      if (settled.kind === 'merged') merges.push({ created: entry.asset, target: settled.into, rule: settled.rule });
    }
    if (merges.length === 0) return new Set();

    // All targets are locked in one statement, in id order, before any is updated, so imports
    // that merge into the same assets take their locks in one order.
    await lockAssetsForImport(this.tx, merges.map((merge) => merge.target.id), 'update');
    const updates: AssetUpdate[] = [];
    for (const merge of merges) updates.push(await this.mergeCreatedInto(batch, merge.created, merge.target, merge.rule));
    const changed = await updateAssets(this.tx, updates);
    const targetClaims = merges.flatMap((merge) => assetIdentifiers(merge.created).map((identifier) => ({ identifier, assetId: merge.target.id })));
    await claimIdentifiers(this.tx, targetClaims);
    return changed;
  }

  /**
   * Replaces a just-created asset with the stored asset it turned out to be, and returns the
   * update that merges the new asset's values into the stored one.
   */
  private async mergeCreatedInto(batch: AssetBatch, created: StoredAsset, target: StoredAsset, rule: string): Promise<AssetUpdate> {
    await deleteCreatedAssets(this.tx, [created.id]);
    batch.created.delete(created.id);
    batch.matchedBy.delete(created.id);
    if (!batch.matchedBy.has(target.id)) batch.matchedBy.set(target.id, rule);
    const previous = batch.matched.get(target.id);
    const merged = mergeAsset(previous?.merged ?? target, assetRecordOf(created), created.lastSeen).merged;
    batch.matched.set(target.id, { before: previous?.before ?? target, merged });

    const scannedAt = this.scans.get(created.id);
    this.scans.delete(created.id);
    this.touchedAssetIds.delete(created.id);
    if (this.scans.has(target.id)) this.skip('host listed twice in the report; merged into one');
    for (const [reportKey, resolved] of this.assets) {
      if (resolved.id === created.id) this.assets.set(reportKey, { id: target.id, lastSeen: resolved.lastSeen });
    }
    this.touchedAssetIds.add(target.id);
    if (scannedAt) this.noteScan(target.id, scannedAt);

    return { id: target.id, record: assetRecordOf(created), seenAt: created.lastSeen };
  }

  /**
   * Counts an asset once per import, however many batches list it: as created if this import
   * created it, else as updated if any batch changed it, else as unchanged.
   */
  private countAsset(id: number, outcome: AssetOutcome): void {
    const previous = this.assetOutcomes.get(id);
    if (previous === 'created' || previous === 'updated' || previous === outcome) return;
    if (previous === 'unchanged') this.counts.assetsUnchanged--;
    this.assetOutcomes.set(id, outcome);
    if (outcome === 'created') this.counts.assetsCreated++;
    else if (outcome === 'updated') this.counts.assetsUpdated++;
    else this.counts.assetsUnchanged++;
  }

  /** Points a report's asset key at a stored or new asset and notes its scan. */
  private resolveRecord(reportKey: string, assetId: number, seenAt: Date): void {
    if (this.scans.has(assetId)) this.skip('host listed twice in the report; merged into one');
    this.assets.set(reportKey, { id: assetId, lastSeen: seenAt });
    this.touchedAssetIds.add(assetId);
    this.noteScan(assetId, seenAt);
  }

  /** Converts records to rows, merging repeats of one finding inside the batch. */
  private toRows(records: FindingRecord[]): FindingRow[] {
    const byKey = new Map<string, FindingRow>();

    for (const record of records) {
      const asset = this.assets.get(record.assetKey);
      if (!asset) {
        throw new ReportError('invalid_field', `finding "${record.title}" refers to an asset the report does not define`, record.position ?? {});
      }
      const row = this.toRow(record, asset);
      const key = `${row.asset_id}|${row.type}|${row.identity_key}`;
      const previous = byKey.get(key);
      if (!previous) {
        byKey.set(key, row);
        continue;
      }

      // The report lists the same finding twice, e.g. a host listed twice. One finding is kept,
      // with the higher severity, and the other observation goes whole under `repeatedIn`, so
      // no field of the report is lost.
      const [kept, repeat] = row.severity > previous.severity ? [row, previous] : [previous, row];
      kept.repeats = previous.repeats + 1;
      this.skip('finding listed twice in the report; merged into one');
      const repeats = (previous.raw.repeatedIn as unknown[] | undefined) ?? [];
      delete previous.raw.repeatedIn;
      if (repeats.length < MAX_REPEATS_KEPT) kept.raw.repeatedIn = [...repeats, observation(repeat)];
      else kept.raw.repeatedIn = repeats;
      kept.last_found = row.last_found > previous.last_found ? row.last_found : previous.last_found;
      kept.first_found = row.first_found < previous.first_found ? row.first_found : previous.first_found;
      byKey.set(key, kept);
    }

    return [...byKey.values()];
  }

  private toRow(record: FindingRecord, asset: ResolvedAsset): FindingRow {
    if (!Number.isInteger(record.severity) || record.severity < 1 || record.severity > 5) {
      throw new ReportError('invalid_field', `severity ${String(record.severity)} is outside the 1–5 scale`, record.position ?? {});
    }

    const cveIds = [...new Set([record.cveId, ...(record.cveIds ?? [])].flatMap((id) => normalizeCve(id)))];
    const lastSeen = record.lastSeen ?? asset.lastSeen;
    const firstSeen = record.firstSeen && record.firstSeen <= lastSeen ? record.firstSeen : lastSeen;
    const technology = record.technology
      ? {
          asset_id: asset.id,
          vendor: record.technology.vendor ?? null,
          product: record.technology.product,
          version: record.technology.version ?? null,
          path: record.technology.path ?? null,
          cpe: record.technology.cpe ?? null,
        }
      : null;
    const observation = observationOf(record, this.context.source, cveIds[0]);
    const identification = this.identification;
    if (!identification) throw new Error('identification rules are loaded before the first finding');
    const key = identityKey(observation, identification.rules[record.type], identification.aliases);

    return {
      asset_id: asset.id,
      type: record.type,
      identity_key: key,
      cve_id: cveIds[0] ?? null,
      cve_ids: cveIds,
      vendor_id: record.vendorId ?? null,
      title: capText(record.title, MAX_FINDING_TITLE_LENGTH) ?? record.title,
      description: capText(record.description),
      solution: capText(record.solution),
      severity: record.severity,
      port: record.port ?? null,
      protocol: record.protocol ?? null,
      technology,
      technology_id: null,
      fixed_version: record.fixedVersion ?? null,
      cwe_ids: record.cweIds ?? [],
      cvss2: record.cvss2BaseScore ?? null,
      cvss3: record.cvss3BaseScore ?? null,
      cvss3_vector: record.cvss3Vector ?? null,
      references: record.references ?? [],
      cvss_best: record.cvss4BaseScore ?? record.cvss3BaseScore ?? record.cvss2BaseScore ?? null,
      first_found: firstSeen.toISOString(),
      last_found: lastSeen.toISOString(),
      detection_score: 1,
      source_finding_id: record.sourceFindingId ?? key,
      raw: keepFullText(record.raw, [
        ['title', record.title, MAX_FINDING_TITLE_LENGTH],
        ['description', record.description, MAX_FINDING_TEXT_LENGTH],
        ['solution', record.solution, MAX_FINDING_TEXT_LENGTH],
      ]),
      observation,
      repeats: 0,
    };
  }

  /** Computes each row's Detection Score, using KEV and EPSS from the catalog where it has them. */
  private async score(rows: FindingRow[]): Promise<void> {
    const catalog = await loadCatalogScores(this.tx, [...new Set(rows.flatMap((row) => row.cve_ids))], this.catalog);

    if (!this.lifecycles && rows.some((row) => row.type === 'misconfiguration' && row.technology)) this.lifecycles = await loadLifecycleIndex(this.tx);
    for (const row of rows) {
      const known = row.cve_ids.map((cve) => catalog.get(cve)).filter((entry) => entry !== undefined);
      const cvss = row.cvss_best ?? maxOf(known.map((entry) => entry.cvss));
      const cycle = row.type === 'misconfiguration' && row.technology && this.lifecycles ? matchLifecycle(row.technology, this.lifecycles) : undefined;
      row.detection_score = computeDetectionScore({
        type: row.type === 'misconfiguration' ? 'misconfiguration' : 'vulnerability',
        severity: row.severity as 1 | 2 | 3 | 4 | 5,
        cvssBaseScore: cvss ?? undefined,
        ...scoreInputsFromCatalog(known),
        cvssVectors: [row.cvss3_vector],
        ...exploitFactsFromRaw(row.raw),
        ...(cycle ? { lifecycle: lifecycleStatus(cycle) } : {}),
      }).score;
    }
  }
}

/** The asset changes of one batch, before they are written. */
interface AssetBatch {
  /** New assets by id, with every record of the batch that matched them merged in. */
  created: Map<number, StoredAsset>;
  /** Stored assets the batch matched: as loaded, and with the batch's records merged in. */
  matched: Map<number, { before: StoredAsset; merged: StoredAsset }>;
  /** Each record that matched a stored asset, in report order, for the SQL merge. */
  updates: AssetUpdate[];
  /** The rule that matched each asset first in this batch, or `new`. */
  matchedBy: Map<number, string>;
}

/** Returns a claim of every identifier of each new asset the insert took. */
function newAssetClaims(batch: AssetBatch, inserted: ReadonlySet<number>): IdentifierClaim[] {
  return [...batch.created.values()]
    .filter((asset) => inserted.has(asset.id))
    .flatMap((asset) => assetIdentifiers(asset).map((identifier) => ({ identifier, assetId: asset.id })));
}

/**
 * Returns a claim of each identifier a matched asset gained in this batch. A claim lost to another
 * asset is left as it is: matching reads the assets table, and the registry only has to catch two
 * new assets for one host.
 */
function gainedIdentifierClaims(batch: AssetBatch): IdentifierClaim[] {
  // NOTE: one case still gives two assets for one host. One import creates a host by its FQDN
  // and claims it first, while another adds that FQDN to an existing asset. The second claim
  // is lost and left as it is, and the first import never matches the existing asset.
  return [...batch.matched].flatMap(([assetId, { before, merged }]) => {
    const known = new Set(assetIdentifiers(before));
    return assetIdentifiers(merged)
      .filter((identifier) => !known.has(identifier))
      .map((identifier) => ({ identifier, assetId }));
  });
}

function compareFindingRows(a: FindingRow, b: FindingRow): number {
  if (a.asset_id !== b.asset_id) return a.asset_id - b.asset_id;
  if (a.type !== b.type) return a.type < b.type ? -1 : 1;
  if (a.identity_key !== b.identity_key) return a.identity_key < b.identity_key ? -1 : 1;
  return 0;
}

/** Returns the fields of a repeated observation to keep next to the finding it merged into. */
function observation(row: FindingRow): Record<string, unknown> {
  return {
    title: row.title,
    severity: row.severity,
    description: row.description,
    solution: row.solution,
    port: row.port,
    protocol: row.protocol,
    cveIds: row.cve_ids,
    sourceFindingId: row.source_finding_id,
    raw: row.raw,
  };
}

function maxOf(values: (number | null | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const value of values) {
    if (value !== null && value !== undefined && (best === undefined || value > best)) best = value;
  }
  return best;
}
