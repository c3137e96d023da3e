import type { Db } from '../../db/client';
import { assets, assetTags, attackGroups, attackTechniques, businessEntities, businessEntityTags, cveAttackGroups, cveAttackTechniques, findings, tags, technologies, vulnerabilities } from '../../db/schema';
import type { AssetModel, AttackModel, Estate, FindingModel } from './reference-filter';

/** Deterministic pseudo-random numbers (mulberry32), so a failing seed can be rerun. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const TAG_NAMES = ['production', 'staging', 'pci', 'web', 'database', 'Finance', 'hr', 'dmz', 'legacy', 'crown_jewel', 'lab%', 'ops'];
export const ENTITY_TAGS: Record<string, string[]> = { 'Online Store': ['web', 'pci'], Payroll: ['hr', 'Finance'], 'Core Banking': ['database', 'crown_jewel', 'pci'], Labs: ['lab%'] };
export const WORDS = ['apache', 'openssl', 'remote', 'code', 'execution', 'tls', 'weak', 'cipher', 'log4j', 'SQL', 'injection', 'overflow', 'kernel', 'Windows', 'ssh', 'http'];
export const OS_NAMES = ['Windows Server 2019', 'Ubuntu 22.04', 'Debian 12', 'RHEL 9', null];
export const SOURCES = ['Nessus', 'Qualys', 'Trivy'];
export const PRODUCTS = [
  { product: 'openssl', vendor: 'openssl', versions: ['1.1.1k', '3.0.2', null] },
  { product: 'httpd', vendor: 'apache', versions: ['2.4.49', '2.4.58'] },
  { product: 'log4j-core', vendor: 'apache', versions: ['2.14.1', '2.17.1'] },
  { product: 'nginx', vendor: null, versions: ['1.18.0', null] },
];
export const CVE_COUNT = 60;

/** Techniques of the imported ATT&CK release; T1133 sits under two tactics. */
export const ATTACK_TECHNIQUES = [
  { attackId: 'T1190', name: 'Exploit Public-Facing Application', tactics: ['Initial Access'] },
  { attackId: 'T1133', name: 'External Remote Services', tactics: ['Persistence', 'Initial Access'] },
  { attackId: 'T1059', name: 'Command and Scripting Interpreter', tactics: ['Execution'] },
  { attackId: 'T1059.001', name: 'PowerShell', tactics: ['Execution'] },
  { attackId: 'T1068', name: 'Exploitation for Privilege Escalation', tactics: ['Privilege Escalation'] },
  { attackId: 'T1210', name: 'Exploitation of Remote Services', tactics: ['Lateral Movement'] },
  { attackId: 'T1499.004', name: 'Application or System Exploitation', tactics: ['Impact'] },
];
/** Techniques that mappings name but the imported release lacks: one with the mapping's own name, one without a name. */
export const UNIMPORTED_TECHNIQUES = [
  { attackId: 'T1602', name: 'Data from Configuration Repository' },
  { attackId: 'T1211', name: null },
];
export const ATTACK_GROUPS = [
  { attackId: 'G0007', name: 'APT28', aliases: ['Fancy Bear', 'Sofacy', 'STRONTIUM'] },
  { attackId: 'G0016', name: 'APT29', aliases: ['Cozy Bear', 'The Dukes'] },
  { attackId: 'G0032', name: 'Lazarus Group', aliases: ['HIDDEN COBRA', 'Guardians of Peace'] },
  { attackId: 'G0034', name: 'Sandworm Team', aliases: [] },
];
const MAPPING_TYPES = ['exploitation_technique', 'primary_impact', 'secondary_impact'];
const GROUP_VIA = ['group', 'campaign', 'software'];

export function cveId(index: number): string {
  return `CVE-20${20 + (index % 5)}-${String(1000 + index * 37).padStart(4, '0')}`;
}

const BASE_TIME = Date.parse('2026-01-01T00:00:00Z');
const DAY_MS = 86_400_000;

/** Builds and inserts an estate of assets with tags and business entities, findings, technologies and CVEs. */
export async function createEstate(db: Db, options: { assets: number; findings: number; seed: number }): Promise<Estate> {
  const random = randomSource(options.seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

  const tagRows = await db.insert(tags).values(TAG_NAMES.map((name) => ({ name }))).returning({ id: tags.id, name: tags.name });
  const tagIds = new Map(tagRows.map((row) => [row.name, row.id]));
  for (const [name, entityTags] of Object.entries(ENTITY_TAGS)) {
    const [entity] = await db.insert(businessEntities).values({ name }).returning({ id: businessEntities.id });
    await db.insert(businessEntityTags).values(entityTags.map((tag) => ({ businessEntityId: entity!.id, tagId: tagIds.get(tag)! })));
  }

  const catalog = new Map<string, FindingModel['vulnerability']>();
  const vulnerabilityRows = [];
  for (let index = 0; index < CVE_COUNT; index++) {
    // One CVE in ten is referenced by findings but missing from the catalog.
    if (index % 10 === 9) continue;
    const entry = {
      epssScore: random() < 0.2 ? null : Math.fround(Math.round(random() * 1000) / 1000),
      isKev: random() < 0.25,
      cvss3BaseScore: random() < 0.15 ? null : Math.fround(Math.round(random() * 100) / 10),
    };
    catalog.set(cveId(index), entry);
    vulnerabilityRows.push({ cveId: cveId(index), ...entry });
  }
  await db.insert(vulnerabilities).values(vulnerabilityRows);
  const attackByCve = await insertAttackData(db, randomSource(options.seed + 1));

  const assetModels: AssetModel[] = [];
  for (let index = 0; index < options.assets; index++) {
    const assetTagNames = TAG_NAMES.filter(() => random() < 0.18);
    const ipv4 = random() < 0.9 ? [`10.${Math.floor(random() * 3)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`] : [];
    if (random() < 0.2) ipv4.push(`192.168.1.${Math.floor(random() * 256)}`);
    const ipv6 = random() < 0.3 ? [`2001:db8::${Math.floor(random() * 65_535).toString(16)}`] : [];
    const lastSeen = new Date(BASE_TIME + Math.floor(random() * 120 * DAY_MS));
    const values = {
      name: `${pick(['web', 'db', 'app', 'mail', 'k8s'])}-${String(index).padStart(3, '0')}${random() < 0.05 ? '_old' : ''}`,
      ipv4,
      ipv6,
      os: pick(OS_NAMES),
      criticalityScore: 1 + Math.floor(random() * 5),
      riskScore: Math.fround(Math.round(random() * 10_000) / 10),
      internetFacing: random() < 0.3,
      firstSeen: new Date(BASE_TIME - 30 * DAY_MS),
      lastSeen,
    };
    const [row] = await db.insert(assets).values(values).returning({ id: assets.id });
    if (assetTagNames.length > 0) await db.insert(assetTags).values(assetTagNames.map((name) => ({ assetId: row!.id, tagId: tagIds.get(name)! })));
    const entities = Object.entries(ENTITY_TAGS)
      .filter(([, entityTags]) => entityTags.some((tag) => assetTagNames.includes(tag)))
      .map(([name]) => name);
    assetModels.push({ id: row!.id, ...values, tags: assetTagNames, businessEntities: entities });
  }

  const technologyByAsset = new Map<number, { id: number; product: string; version: string | null; vendor: string | null }[]>();
  for (const asset of assetModels) {
    const chosen = PRODUCTS.filter(() => random() < 0.4).map((product) => ({ product: product.product, vendor: product.vendor, version: pick(product.versions) }));
    if (chosen.length === 0) continue;
    const rows = await db
      .insert(technologies)
      .values(chosen.map((technology) => ({ assetId: asset.id, ...technology })))
      .returning({ id: technologies.id });
    technologyByAsset.set(asset.id, chosen.map((technology, index) => ({ id: rows[index]!.id, ...technology })));
  }

  const findingModels: FindingModel[] = [];
  const batch: (typeof findings.$inferInsert)[] = [];
  const pending: Omit<FindingModel, 'id'>[] = [];
  for (let index = 0; index < options.findings; index++) {
    const asset = pick(assetModels);
    const isVulnerability = random() < 0.8;
    const cves = isVulnerability && random() < 0.85 ? [cveId(Math.floor(random() * CVE_COUNT))] : [];
    if (cves.length > 0 && random() < 0.2) cves.push(cveId(Math.floor(random() * CVE_COUNT)));
    const uniqueCves = [...new Set(cves)];
    const technology = random() < 0.5 ? pick(technologyByAsset.get(asset.id) ?? [undefined]) : undefined;
    const firstFound = new Date(BASE_TIME + Math.floor(random() * 90 * DAY_MS));
    const lastFound = new Date(firstFound.getTime() + Math.floor(random() * 40 * DAY_MS));
    const title = `${pick(WORDS)} ${pick(WORDS)} ${random() < 0.1 ? pick(["100% cpu", 'under_score', 'back\\slash', "O'Reilly"]) : pick(WORDS)}`;
    const model: Omit<FindingModel, 'id'> = {
      title,
      description: random() < 0.3 ? null : `${pick(WORDS)} ${pick(WORDS)} affects ${asset.name}`,
      type: isVulnerability ? 'vulnerability' : 'misconfiguration',
      severity: 1 + Math.floor(random() * 5),
      status: pick(['new', 'active', 'reopened', 'fixed']),
      detectionScore: 1 + Math.floor(random() * 100),
      cveIds: uniqueCves,
      cweIds: random() < 0.3 ? [`CWE-${pick([79, 89, 787, 20])}`] : [],
      vendorId: random() < 0.2 ? null : String(10_000 + Math.floor(random() * 50)),
      port: random() < 0.3 ? null : pick([22, 80, 443, 3389, 8080, 65_535]),
      protocol: random() < 0.3 ? null : pick(['tcp', 'udp']),
      firstFound,
      lastFound,
      sources: SOURCES.filter(() => random() < 0.5),
      vulnerability: uniqueCves[0] ? (catalog.get(uniqueCves[0]) ?? null) : null,
      technology: technology ? { product: technology.product, version: technology.version, vendor: technology.vendor } : null,
      attack: {
        techniques: uniqueCves.flatMap((cve) => attackByCve.get(cve)?.techniques ?? []),
        groups: uniqueCves.flatMap((cve) => attackByCve.get(cve)?.groups ?? []),
      },
      asset,
    };
    pending.push(model);
    batch.push({
      type: model.type as 'vulnerability' | 'misconfiguration',
      assetId: asset.id,
      identityKey: `finding-${index}`,
      cveId: uniqueCves[0] ?? null,
      cveIds: uniqueCves,
      cweIds: model.cweIds,
      vendorId: model.vendorId,
      title,
      description: model.description,
      severity: model.severity,
      status: model.status as 'new' | 'active' | 'reopened' | 'fixed',
      port: model.port,
      protocol: model.protocol,
      technologyId: technology?.id ?? null,
      sources: model.sources,
      firstFound,
      lastFound,
      detectionScore: model.detectionScore,
    });
  }

  for (let offset = 0; offset < batch.length; offset += 500) {
    const rows = await db
      .insert(findings)
      .values(batch.slice(offset, offset + 500))
      .returning({ id: findings.id });
    rows.forEach((row, index) => findingModels.push({ id: row.id, ...pending[offset + index]! }));
  }

  const findingsByAsset = new Map<number, FindingModel[]>();
  for (const finding of findingModels) {
    const list = findingsByAsset.get(finding.asset.id) ?? [];
    list.push(finding);
    findingsByAsset.set(finding.asset.id, list);
  }
  return { assets: assetModels, findings: findingModels, findingsByAsset };
}

/**
 * Inserts the ATT&CK release (techniques, groups) and ties about half the CVEs to techniques
 * and a third to groups, some through several mapping types or paths. Returns each CVE's ATT&CK
 * data as the query tokens see it. It draws from its own random source, so the rest of the
 * estate stays as it was before ATT&CK data existed.
 */
async function insertAttackData(db: Db, random: () => number): Promise<Map<string, AttackModel>> {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  await db.insert(attackTechniques).values(ATTACK_TECHNIQUES.map((technique) => ({ ...technique, stixId: `attack-pattern--${technique.attackId}`, url: null })));
  await db.insert(attackGroups).values(ATTACK_GROUPS.map((group) => ({ ...group, stixId: `intrusion-set--${group.attackId}`, url: null })));

  const mappable = [...ATTACK_TECHNIQUES.map((technique) => ({ ...technique, imported: true })), ...UNIMPORTED_TECHNIQUES.map((technique) => ({ ...technique, tactics: [] as string[], imported: false }))];
  const byCve = new Map<string, AttackModel>();
  const techniqueRows: (typeof cveAttackTechniques.$inferInsert)[] = [];
  const groupRows: (typeof cveAttackGroups.$inferInsert)[] = [];
  for (let index = 0; index < CVE_COUNT; index++) {
    const cve = cveId(index);
    const model: AttackModel = { techniques: [], groups: [] };
    if (random() < 0.5) {
      const chosen = new Map<string, (typeof mappable)[number]>();
      const count = 1 + Math.floor(random() * 3);
      for (let mapping = 0; mapping < count; mapping++) {
        const technique = pick(mappable);
        const mappingType = pick(MAPPING_TYPES);
        if (techniqueRows.some((row) => row.cveId === cve && row.techniqueId === technique.attackId && row.mappingType === mappingType)) continue;
        // The mapping's own name differs from the release's, to show which one the token reads.
        techniqueRows.push({ cveId: cve, techniqueId: technique.attackId, mappingType, techniqueName: technique.imported ? `mapped ${technique.attackId}` : technique.name, source: 'test mappings' });
        chosen.set(technique.attackId, technique);
      }
      model.techniques = [...chosen.values()].map((technique) => ({ id: technique.attackId, name: technique.name, tactics: technique.tactics }));
    }
    if (random() < 0.35) {
      const chosen = new Set(ATTACK_GROUPS.filter(() => random() < 0.4));
      for (const group of chosen) {
        for (const via of GROUP_VIA.filter(() => random() < 0.5)) groupRows.push({ cveId: cve, groupId: group.attackId, via, viaObject: `${via}-${index}` });
        if (!groupRows.some((row) => row.cveId === cve && row.groupId === group.attackId)) groupRows.push({ cveId: cve, groupId: group.attackId, via: 'group', viaObject: group.attackId });
      }
      model.groups = [...chosen].map((group) => ({ id: group.attackId, names: [group.name, ...group.aliases] }));
    }
    byCve.set(cve, model);
  }
  if (techniqueRows.length > 0) await db.insert(cveAttackTechniques).values(techniqueRows);
  if (groupRows.length > 0) await db.insert(cveAttackGroups).values(groupRows);
  return byCve;
}
