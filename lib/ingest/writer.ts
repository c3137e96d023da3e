import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import type { ImportCounts } from '../../db/schema';
import { computeDetectionScore } from '../scoring/detection-score';
import { AssetMatcher, mergeAsset, type StoredAsset } from './asset-matcher';
import { identityKey } from './identity';
import type { AssetRecord, FindingRecord, VulnerabilityFacts } from './model';
import { ReportError } from './report-error';

/** Findings per write; large enough to amortize round trips, small enough for one JSON parameter. */
const FINDING_BATCH = 1000;
/** Asset records per matching query. */
const ASSET_BATCH = 500;
/** Observations of one detection kept when a report repeats itself; the rest are counted. */
const MAX_REPEATS_KEPT = 20;

const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;

export interface WriterContext {
  importId: number;
  source: string;
  /** When the scan ran; used for observations whose report gives no date of its own. */
  observedAt: Date;
}

interface ResolvedAsset {
  id: number;
  lastSeen: Date;
}

interface FindingRow {
  asset_id: number;
  type: string;
  identity_key: string;
  cve_id: string | null;
  cve_ids: string[];
  vendor_id: string | null;
  title: string;
  description: string | null;
  solution: string | null;
  severity: number;
  port: number | null;
  protocol: string | null;
  technology: TechnologyKey | null;
  technology_id: number | null;
  fixed_version: string | null;
  cwe_ids: string[];
  cvss2: number | null;
  cvss3: number | null;
  cvss3_vector: string | null;
  cvss_best: number | null;
  first_found: string;
  last_found: string;
  detection_score: number;
  source_finding_id: string;
  raw: Record<string, unknown>;
  repeats: number;
}

interface TechnologyKey {
  asset_id: number;
  vendor: string | null;
  product: string;
  version: string | null;
  path: string | null;
  cpe: string | null;
}

/**
 * Writes one report's records inside the import's transaction. Assets are matched to the
 * inventory in batches; findings, technologies, catalog entries and detections are upserted in
 * batches through one JSON parameter each, which runs unchanged on Postgres and PGlite and keeps
 * round trips to a few per thousand findings.
 */
export class ImportWriter {
  private readonly assets = new Map<string, ResolvedAsset>();
  private readonly pendingAssets: AssetRecord[] = [];
  private readonly pendingFindings: FindingRecord[] = [];
  readonly touchedAssetIds = new Set<number>();
  readonly counts: ImportCounts = {
    assetsCreated: 0,
    assetsUpdated: 0,
    assetsUnchanged: 0,
    findingsNew: 0,
    findingsUpdated: 0,
    findingsUnchanged: 0,
    detections: 0,
  };

  constructor(
    private readonly tx: Tx,
    private readonly context: WriterContext,
  ) {}

  async addAsset(record: AssetRecord): Promise<void> {
    this.pendingAssets.push(record);
    if (this.pendingAssets.length >= ASSET_BATCH) await this.flushAssets();
  }

  async addFinding(record: FindingRecord): Promise<void> {
    this.pendingFindings.push(record);
    if (this.pendingFindings.length >= FINDING_BATCH) await this.flushFindings();
  }

  /** Writes what is still buffered and returns the import's counts. */
  async finish(): Promise<ImportCounts> {
    await this.flushFindings();
    await this.flushAssets();
    return this.counts;
  }

  private async flushAssets(): Promise<void> {
    if (this.pendingAssets.length === 0) return;
    const records = this.pendingAssets.splice(0);

    const matcher = new AssetMatcher();
    for (const stored of await this.loadCandidates(records)) matcher.add(stored);

    const inserts: StoredAsset[] = [];
    const updates = new Map<number, StoredAsset>();
    const matched = new Set<number>();
    const newIds = await this.allocateAssetIds(records.length);

    for (const record of records) {
      const seenAt = record.lastSeen ?? this.context.observedAt;
      const found = matcher.match(record);

      if (found) {
        const base = updates.get(found.asset.id) ?? found.asset;
        const { merged, changed } = mergeAsset(base, record, seenAt);
        matcher.add(merged);
        if (changed) updates.set(merged.id, merged);
        matched.add(merged.id);
        this.assets.set(record.reportKey, { id: merged.id, lastSeen: seenAt });
        this.touchedAssetIds.add(merged.id);
        continue;
      }

      const created: StoredAsset = {
        id: newIds.shift() ?? 0,
        kind: record.kind,
        name: record.name,
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
      inserts.push(created);
      matcher.add(created);
      this.assets.set(record.reportKey, { id: created.id, lastSeen: seenAt });
      this.touchedAssetIds.add(created.id);
    }

    // A record that matched an asset created earlier in this batch updates the insert instead.
    const insertIds = new Set(inserts.map((asset) => asset.id));
    for (const [id, merged] of updates) {
      if (!insertIds.has(id)) continue;
      inserts[inserts.findIndex((asset) => asset.id === id)] = merged;
      updates.delete(id);
    }

    this.counts.assetsCreated += inserts.length;
    this.counts.assetsUpdated += updates.size;
    for (const id of matched) {
      if (!updates.has(id) && !insertIds.has(id)) this.counts.assetsUnchanged++;
    }
    await this.insertAssets(inserts);
    await this.updateAssets([...updates.values()]);
  }

  private async loadCandidates(records: AssetRecord[]): Promise<StoredAsset[]> {
    const agentIds = records.flatMap((record) => (record.agentId ? [record.agentId] : []));
    const cloudIds = records.flatMap((record) => (record.cloudInstanceId ? [record.cloudInstanceId] : []));
    const fqdns = records.flatMap((record) => (record.fqdn ? [record.fqdn.toLowerCase()] : []));
    const hostnames = records.flatMap((record) => (record.hostname ? [record.hostname.toLowerCase()] : []));
    const ips = records.flatMap((record) => [...(record.ipv4 ?? []), ...(record.ipv6 ?? [])]);
    const names = records.flatMap((record) => (record.kind !== 'host' ? [record.name] : []));

    const rows = await queryRows<{
      id: number;
      kind: string;
      name: string;
      fqdn: string | null;
      hostname: string | null;
      ipv4: string[];
      ipv6: string[];
      mac: string[];
      os: string | null;
      cloud_instance_id: string | null;
      agent_id: string | null;
      internet_facing: boolean;
      first_seen: string | Date;
      last_seen: string | Date;
    }>(
      this.tx,
      sql`
        select id, kind, name, fqdn, hostname, ipv4, ipv6, mac, os, cloud_instance_id, agent_id, internet_facing, first_seen, last_seen
        from assets
        where agent_id = any(${textArray(agentIds)})
          or cloud_instance_id = any(${textArray(cloudIds)})
          or lower(fqdn) = any(${textArray(fqdns)})
          or lower(hostname) = any(${textArray(hostnames)})
          or ipv4 && ${textArray(ips)}
          or ipv6 && ${textArray(ips)}
          or (kind <> 'host' and name = any(${textArray(names)}))
      `,
    );

    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      name: row.name,
      fqdn: row.fqdn,
      hostname: row.hostname,
      ipv4: row.ipv4 ?? [],
      ipv6: row.ipv6 ?? [],
      mac: row.mac ?? [],
      os: row.os,
      cloudInstanceId: row.cloud_instance_id,
      agentId: row.agent_id,
      internetFacing: row.internet_facing,
      firstSeen: new Date(row.first_seen),
      lastSeen: new Date(row.last_seen),
    }));
  }

  /**
   * Takes ids from the assets sequence up front, so each new asset's id is known before the
   * insert and no reliance on the order of RETURNING rows is needed.
   */
  private async allocateAssetIds(count: number): Promise<number[]> {
    const rows = await queryRows<{ id: number }>(
      this.tx,
      sql`select nextval(pg_get_serial_sequence('assets', 'id'))::int as id from generate_series(1, ${count})`,
    );
    return rows.map((row) => row.id);
  }

  private async insertAssets(inserts: StoredAsset[]): Promise<void> {
    if (inserts.length === 0) return;
    await this.tx.execute(sql`
      insert into assets (id, kind, name, fqdn, hostname, ipv4, ipv6, mac, os, cloud_instance_id, agent_id, internet_facing, first_seen, last_seen)
      overriding system value
      select x.id, x.kind::asset_kind, x.name, x.fqdn, x.hostname, coalesce(x.ipv4, '{}'), coalesce(x.ipv6, '{}'), coalesce(x.mac, '{}'), x.os,
        x.cloud_instance_id, x.agent_id, x.internet_facing, x.first_seen, x.last_seen
      from json_to_recordset(${toJson(inserts.map(assetRow))}::json) as x(
        id int, kind text, name text, fqdn text, hostname text, ipv4 text[], ipv6 text[], mac text[], os text,
        cloud_instance_id text, agent_id text, internet_facing boolean, first_seen timestamptz, last_seen timestamptz)
    `);
  }

  private async updateAssets(updates: StoredAsset[]): Promise<void> {
    if (updates.length === 0) return;
    await this.tx.execute(sql`
      update assets a set
        fqdn = x.fqdn, hostname = x.hostname, ipv4 = coalesce(x.ipv4, '{}'), ipv6 = coalesce(x.ipv6, '{}'), mac = coalesce(x.mac, '{}'),
        os = x.os, cloud_instance_id = x.cloud_instance_id, agent_id = x.agent_id, internet_facing = x.internet_facing,
        first_seen = x.first_seen, last_seen = x.last_seen, updated_at = now()
      from json_to_recordset(${toJson(updates.map(assetRow))}::json) as x(
        id int, kind text, name text, fqdn text, hostname text, ipv4 text[], ipv6 text[], mac text[], os text,
        cloud_instance_id text, agent_id text, internet_facing boolean, first_seen timestamptz, last_seen timestamptz)
      where a.id = x.id
    `);
  }

  private async flushFindings(): Promise<void> {
    await this.flushAssets();
    if (this.pendingFindings.length === 0) return;
    const records = this.pendingFindings.splice(0);

    const rows = this.toRows(records);
    await this.resolveTechnologies(rows);
    await this.upsertCatalog(records);
    await this.scoreWithCatalog(rows);
    await this.upsertFindings(rows);
    await this.upsertDetections(rows);
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

      // The report lists the same finding twice: keep the first, and the other's raw attributes
      // under `repeatedIn` so nothing the source said is lost.
      previous.repeats++;
      const kept = (previous.raw.repeatedIn as unknown[] | undefined) ?? [];
      if (kept.length < MAX_REPEATS_KEPT) previous.raw.repeatedIn = [...kept, row.raw];
      if (row.last_found > previous.last_found) previous.last_found = row.last_found;
      if (row.first_found < previous.first_found) previous.first_found = row.first_found;
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
    const normalized: FindingRecord = { ...record, cveId: cveIds[0] };
    const key = identityKey(normalized, this.context.source);

    return {
      asset_id: asset.id,
      type: record.type,
      identity_key: key,
      cve_id: cveIds[0] ?? null,
      cve_ids: cveIds,
      vendor_id: record.vendorId ?? null,
      title: record.title,
      description: record.description ?? null,
      solution: record.solution ?? null,
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
      cvss_best: record.cvss4BaseScore ?? record.cvss3BaseScore ?? record.cvss2BaseScore ?? null,
      first_found: firstSeen.toISOString(),
      last_found: lastSeen.toISOString(),
      detection_score: 1,
      source_finding_id: record.sourceFindingId ?? key,
      raw: record.raw,
      repeats: 0,
    };
  }

  private async resolveTechnologies(rows: FindingRow[]): Promise<void> {
    const unique = new Map<string, TechnologyKey>();
    for (const row of rows) {
      if (row.technology) unique.set(technologyKey(row.technology), row.technology);
    }
    if (unique.size === 0) return;

    const json = toJson([...unique.values()]);
    await this.tx.execute(sql`
      insert into technologies (asset_id, vendor, product, version, path, cpe)
      select x.asset_id, x.vendor, x.product, x.version, x.path, x.cpe
      from json_to_recordset(${json}::json) as x(asset_id int, vendor text, product text, version text, path text, cpe text)
      on conflict (asset_id, coalesce(vendor, ''), product, coalesce(version, ''), coalesce(path, '')) do nothing
    `);
    const stored = await queryRows<TechnologyKey & { id: number }>(
      this.tx,
      sql`
        select t.id, t.asset_id, t.vendor, t.product, t.version, t.path, t.cpe
        from technologies t
        join json_to_recordset(${json}::json) as x(asset_id int, vendor text, product text, version text, path text)
          on t.asset_id = x.asset_id and coalesce(t.vendor, '') = coalesce(x.vendor, '') and t.product = x.product
          and coalesce(t.version, '') = coalesce(x.version, '') and coalesce(t.path, '') = coalesce(x.path, '')
      `,
    );

    const ids = new Map(stored.map((technology) => [technologyKey(technology), technology.id]));
    for (const row of rows) {
      if (row.technology) row.technology_id = ids.get(technologyKey(row.technology)) ?? null;
    }
  }

  /** Adds the CVEs this batch mentions to the catalog; values already there (from feeds) win. */
  private async upsertCatalog(records: FindingRecord[]): Promise<void> {
    const facts = new Map<string, VulnerabilityFacts>();
    for (const record of records) {
      for (const fact of catalogFacts(record)) {
        if (!facts.has(fact.cveId)) facts.set(fact.cveId, fact);
      }
    }
    if (facts.size === 0) return;

    const rows = [...facts.values()].map((fact) => ({
      cve_id: fact.cveId,
      cvss2_vector: fact.cvss2Vector ?? null,
      cvss2_base_score: fact.cvss2BaseScore ?? null,
      cvss3_vector: fact.cvss3Vector ?? null,
      cvss3_base_score: fact.cvss3BaseScore ?? null,
      cvss4_vector: fact.cvss4Vector ?? null,
      cvss4_base_score: fact.cvss4BaseScore ?? null,
      cwe_ids: fact.cweIds ?? [],
      published_at: fact.publishedAt?.toISOString() ?? null,
      epss_score: fact.epssScore ?? null,
      epss_percentile: fact.epssPercentile ?? null,
      references: fact.references ?? [],
    }));

    await this.tx.execute(sql`
      insert into vulnerabilities as v (cve_id, cvss2_vector, cvss2_base_score, cvss3_vector, cvss3_base_score, cvss4_vector, cvss4_base_score,
        cwe_ids, published_at, epss_score, epss_percentile, "references")
      select x.cve_id, x.cvss2_vector, x.cvss2_base_score, x.cvss3_vector, x.cvss3_base_score, x.cvss4_vector, x.cvss4_base_score,
        coalesce(x.cwe_ids, '{}'), x.published_at, x.epss_score, x.epss_percentile, coalesce(x."references", '[]'::jsonb)
      from json_to_recordset(${toJson(rows)}::json) as x(cve_id text, cvss2_vector text, cvss2_base_score real, cvss3_vector text,
        cvss3_base_score real, cvss4_vector text, cvss4_base_score real, cwe_ids text[], published_at timestamptz,
        epss_score real, epss_percentile real, "references" jsonb)
      on conflict (cve_id) do update set
        cvss2_vector = coalesce(v.cvss2_vector, excluded.cvss2_vector),
        cvss2_base_score = coalesce(v.cvss2_base_score, excluded.cvss2_base_score),
        cvss3_vector = coalesce(v.cvss3_vector, excluded.cvss3_vector),
        cvss3_base_score = coalesce(v.cvss3_base_score, excluded.cvss3_base_score),
        cvss4_vector = coalesce(v.cvss4_vector, excluded.cvss4_vector),
        cvss4_base_score = coalesce(v.cvss4_base_score, excluded.cvss4_base_score),
        cwe_ids = case when cardinality(v.cwe_ids) = 0 then excluded.cwe_ids else v.cwe_ids end,
        published_at = coalesce(v.published_at, excluded.published_at),
        epss_score = coalesce(v.epss_score, excluded.epss_score),
        epss_percentile = coalesce(v.epss_percentile, excluded.epss_percentile),
        "references" = case when jsonb_array_length(v."references") = 0 then excluded."references" else v."references" end,
        updated_at = now()
      where (v.cvss2_base_score is null and excluded.cvss2_base_score is not null)
        or (v.cvss3_base_score is null and excluded.cvss3_base_score is not null)
        or (v.cvss4_base_score is null and excluded.cvss4_base_score is not null)
        or (v.cvss3_vector is null and excluded.cvss3_vector is not null)
        or (cardinality(v.cwe_ids) = 0 and cardinality(excluded.cwe_ids) > 0)
        or (v.published_at is null and excluded.published_at is not null)
        or (v.epss_score is null and excluded.epss_score is not null)
        or (jsonb_array_length(v."references") = 0 and jsonb_array_length(excluded."references") > 0)
    `);
  }

  /** Computes each row's Detection Score, using KEV and EPSS from the catalog where it has them. */
  private async scoreWithCatalog(rows: FindingRow[]): Promise<void> {
    const cves = [...new Set(rows.flatMap((row) => row.cve_ids))];
    const catalog = new Map<string, { is_kev: boolean; epss_score: number | null; cvss: number | null }>();
    if (cves.length > 0) {
      const entries = await queryRows<{ cve_id: string; is_kev: boolean; epss_score: number | null; cvss: number | null }>(
        this.tx,
        sql`select cve_id, is_kev, epss_score, coalesce(cvss4_base_score, cvss3_base_score, cvss2_base_score) as cvss
            from vulnerabilities where cve_id = any(${textArray(cves)})`,
      );
      for (const entry of entries) catalog.set(entry.cve_id, entry);
    }

    for (const row of rows) {
      const known = row.cve_ids.map((cve) => catalog.get(cve)).filter((entry) => entry !== undefined);
      const cvss = row.cvss_best ?? maxOf(known.map((entry) => entry.cvss));
      const epss = maxOf(known.map((entry) => entry.epss_score));
      row.detection_score = computeDetectionScore({
        type: row.type === 'misconfiguration' ? 'misconfiguration' : 'vulnerability',
        severity: row.severity as 1 | 2 | 3 | 4 | 5,
        cvssBaseScore: cvss ?? undefined,
        isKev: known.some((entry) => entry.is_kev),
        epssScore: epss ?? undefined,
      }).score;
    }
  }

  private async upsertFindings(rows: FindingRow[]): Promise<void> {
    const json = toJson(rows.map(({ technology: _technology, raw: _raw, ...row }) => row));
    const result = await queryRows<{ inserted: boolean }>(
      this.tx,
      sql`
        insert into findings as f (type, asset_id, identity_key, cve_id, cve_ids, vendor_id, title, description, solution, severity, status,
          port, protocol, technology_id, fixed_version, cwe_ids, cvss2_base_score, cvss3_base_score, cvss3_vector, sources,
          first_found, last_found, detection_score)
        select x.type::finding_type, x.asset_id, x.identity_key, x.cve_id, coalesce(x.cve_ids, '{}'), x.vendor_id, x.title, x.description,
          x.solution, x.severity, 'new', x.port, x.protocol, x.technology_id, x.fixed_version, coalesce(x.cwe_ids, '{}'), x.cvss2, x.cvss3,
          x.cvss3_vector, array[${this.context.source}]::text[], x.first_found, x.last_found, x.detection_score
        from json_to_recordset(${json}::json) as x(type text, asset_id int, identity_key text, cve_id text, cve_ids text[], vendor_id text,
          title text, description text, solution text, severity int, port int, protocol text, technology_id int, fixed_version text,
          cwe_ids text[], cvss2 real, cvss3 real, cvss3_vector text, first_found timestamptz, last_found timestamptz, detection_score int)
        on conflict (asset_id, type, identity_key) do update set
          first_found = least(f.first_found, excluded.first_found),
          last_found = greatest(f.last_found, excluded.last_found),
          sources = case when excluded.sources[1] = any(f.sources) then f.sources else f.sources || excluded.sources end,
          status = case
            when excluded.last_found <= f.last_found then f.status
            when f.status = 'fixed' then 'reopened'::finding_status
            when f.status = 'new' then 'active'::finding_status
            else f.status end,
          fixed_at = case when f.status = 'fixed' and excluded.last_found > f.last_found then null else f.fixed_at end,
          cve_id = case when excluded.last_found >= f.last_found then excluded.cve_id else f.cve_id end,
          cve_ids = case when excluded.last_found >= f.last_found then excluded.cve_ids else f.cve_ids end,
          vendor_id = case when excluded.last_found >= f.last_found then excluded.vendor_id else f.vendor_id end,
          title = case when excluded.last_found >= f.last_found then excluded.title else f.title end,
          description = case when excluded.last_found >= f.last_found then excluded.description else f.description end,
          solution = case when excluded.last_found >= f.last_found then excluded.solution else f.solution end,
          severity = case when excluded.last_found >= f.last_found then excluded.severity else f.severity end,
          technology_id = case when excluded.last_found >= f.last_found then excluded.technology_id else f.technology_id end,
          fixed_version = case when excluded.last_found >= f.last_found then excluded.fixed_version else f.fixed_version end,
          cwe_ids = case when excluded.last_found >= f.last_found then excluded.cwe_ids else f.cwe_ids end,
          cvss2_base_score = case when excluded.last_found >= f.last_found then excluded.cvss2_base_score else f.cvss2_base_score end,
          cvss3_base_score = case when excluded.last_found >= f.last_found then excluded.cvss3_base_score else f.cvss3_base_score end,
          cvss3_vector = case when excluded.last_found >= f.last_found then excluded.cvss3_vector else f.cvss3_vector end,
          detection_score = case when excluded.last_found >= f.last_found then excluded.detection_score else f.detection_score end,
          updated_at = now()
        where excluded.last_found > f.last_found
          or excluded.first_found < f.first_found
          or not (excluded.sources[1] = any(f.sources))
          or (excluded.last_found = f.last_found and (
            f.cve_id, f.cve_ids, f.vendor_id, f.title, f.description, f.solution, f.severity, f.technology_id, f.fixed_version,
            f.cwe_ids, f.cvss2_base_score, f.cvss3_base_score, f.cvss3_vector, f.detection_score
          ) is distinct from (
            excluded.cve_id, excluded.cve_ids, excluded.vendor_id, excluded.title, excluded.description, excluded.solution,
            excluded.severity, excluded.technology_id, excluded.fixed_version, excluded.cwe_ids, excluded.cvss2_base_score,
            excluded.cvss3_base_score, excluded.cvss3_vector, excluded.detection_score))
        returning (xmax = 0) as inserted
      `,
    );

    const inserted = result.filter((row) => row.inserted).length;
    this.counts.findingsNew += inserted;
    this.counts.findingsUpdated += result.length - inserted;
    // NOTE: a finding a report repeats across two batches counts once as new and once as
    // updated or unchanged; repeats inside one batch are merged before this point.
    this.counts.findingsUnchanged += rows.length - result.length;
  }

  private async upsertDetections(rows: FindingRow[]): Promise<void> {
    const json = toJson(
      rows.map((row) => ({
        asset_id: row.asset_id,
        type: row.type,
        identity_key: row.identity_key,
        source_finding_id: row.source_finding_id,
        first_seen: row.first_found,
        last_seen: row.last_found,
        raw: row.raw,
      })),
    );
    const { importId, source } = this.context;
    const result = await queryRows<{ inserted: boolean }>(
      this.tx,
      sql`
        insert into detections as d (finding_id, source, source_finding_id, first_import_id, last_import_id, first_seen, last_seen, raw)
        select f.id, ${source}, x.source_finding_id, ${importId}, ${importId}, x.first_seen, x.last_seen, x.raw
        from json_to_recordset(${json}::json) as x(asset_id int, type text, identity_key text, source_finding_id text,
          first_seen timestamptz, last_seen timestamptz, raw jsonb)
        join findings f on f.asset_id = x.asset_id and f.type = x.type::finding_type and f.identity_key = x.identity_key
        on conflict (finding_id, source, coalesce(source_finding_id, '')) do update set
          last_import_id = excluded.last_import_id,
          first_seen = least(d.first_seen, excluded.first_seen),
          last_seen = greatest(d.last_seen, excluded.last_seen),
          raw = case when excluded.last_seen >= d.last_seen then excluded.raw else d.raw end
        where excluded.last_seen > d.last_seen
          or excluded.first_seen < d.first_seen
          or (excluded.last_seen = d.last_seen and d.raw is distinct from excluded.raw)
        returning (xmax = 0) as inserted
      `,
    );
    this.counts.detections += result.filter((row) => row.inserted).length;
  }
}

function assetRow(asset: StoredAsset) {
  return {
    id: asset.id,
    kind: asset.kind,
    name: asset.name,
    fqdn: asset.fqdn,
    hostname: asset.hostname,
    ipv4: asset.ipv4,
    ipv6: asset.ipv6,
    mac: asset.mac,
    os: asset.os,
    cloud_instance_id: asset.cloudInstanceId,
    agent_id: asset.agentId,
    internet_facing: asset.internetFacing,
    first_seen: asset.firstSeen.toISOString(),
    last_seen: asset.lastSeen.toISOString(),
  };
}

/** The CVE facts a finding carries: its own list, or its scores when it names exactly one CVE. */
function catalogFacts(record: FindingRecord): VulnerabilityFacts[] {
  const listed = (record.vulnerabilities ?? []).flatMap((fact) => normalizeCve(fact.cveId).map((cveId) => ({ ...fact, cveId })));
  if (listed.length > 0) return listed;

  const cves = [...new Set([record.cveId, ...(record.cveIds ?? [])].flatMap((id) => normalizeCve(id)))];
  if (cves.length === 1 && cves[0]) {
    return [
      {
        cveId: cves[0],
        cvss2Vector: record.cvss2Vector,
        cvss2BaseScore: record.cvss2BaseScore,
        cvss3Vector: record.cvss3Vector,
        cvss3BaseScore: record.cvss3BaseScore,
        cvss4Vector: record.cvss4Vector,
        cvss4BaseScore: record.cvss4BaseScore,
        cweIds: record.cweIds,
      },
    ];
  }
  return cves.map((cveId) => ({ cveId }));
}

/** Returns the CVE id in canonical form, or nothing when the value is not a CVE id. */
function normalizeCve(value: string | undefined): string[] {
  if (!value) return [];
  const candidate = value.trim().toUpperCase();
  return CVE_PATTERN.test(candidate) ? [candidate] : [];
}

function technologyKey(technology: Pick<TechnologyKey, 'asset_id' | 'vendor' | 'product' | 'version' | 'path'>): string {
  return [technology.asset_id, technology.vendor ?? '', technology.product, technology.version ?? '', technology.path ?? ''].join('\u0001');
}

function maxOf(values: (number | null | undefined)[]): number | undefined {
  let best: number | undefined;
  for (const value of values) {
    if (value !== null && value !== undefined && (best === undefined || value > best)) best = value;
  }
  return best;
}

/** Passes a string array as one bound JSON parameter, never as SQL text. */
function textArray(values: string[]) {
  return sql`array(select jsonb_array_elements_text(${toJson(values)}::jsonb))`;
}

/**
 * Serializes rows for a `json_to_recordset` parameter. Postgres text and jsonb cannot hold the
 * NUL character, which reports do contain (binary plugin output), so it is dropped here.
 */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' && item.includes('\u0000') ? item.replaceAll('\u0000', '') : item));
}
