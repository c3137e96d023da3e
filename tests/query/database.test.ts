import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db/client';
import { queryRows } from '../../db/execute';
import { assets, findings } from '../../db/schema';
import { listAssets } from '../../lib/assets/list-assets';
import { listFindings } from '../../lib/findings/list-findings';
import { AppError } from '../../lib/http/app-error';
import type { Entity } from '../../lib/query/catalog';
import { checkQuery } from '../../lib/query/check';
import { compileQuery } from '../../lib/query/compile';
import { setOrganizationTimeZone } from '../../lib/query/settings';
import { createTestDb } from '../helpers/test-db';
import { ATTACK_GROUPS, ATTACK_TECHNIQUES, CVE_COUNT, createEstate, cveId, ENTITY_TAGS, OS_NAMES, randomSource, SOURCES, TAG_NAMES, UNIMPORTED_TECHNIQUES, WORDS } from './estate';
import { evaluate, type Estate } from './reference-filter';

let handle: DbHandle;
let db: Db;
let estate: Estate;

const NOW = new Date('2026-03-15T12:00:00Z');

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  estate = await createEstate(db, { assets: 300, findings: 3000, seed: 20_261_204 });
});

afterAll(async () => {
  await handle?.close();
});

async function matchingIds(entity: Entity, text: string, timeZone: string): Promise<number[]> {
  const where = compileQuery(checkQuery(text, { now: NOW }), entity, { timeZone }) ?? sql`true`;
  const table = entity === 'finding' ? findings : assets;
  const rows = await db.select({ id: table.id }).from(table).where(where as SQL);
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

function expectedIds(entity: Entity, text: string, timeZone: string): number[] {
  const checked = checkQuery(text, { now: NOW });
  const rows = entity === 'finding' ? estate.findings.map((finding) => ({ entity, finding, asset: finding.asset })) : estate.assets.map((asset) => ({ entity, asset }));
  return rows
    .filter((row) => !checked || evaluate(checked, row, estate, timeZone))
    .map((row) => (row.entity === 'finding' ? row.finding!.id : row.asset.id))
    .sort((a, b) => a - b);
}

/** Generates query text for one random condition, with values drawn from the estate. */
function randomCondition(random: () => number): string {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const day = () => new Date(Date.parse('2026-01-01T00:00:00Z') + integer(0, 130) * 86_400_000).toISOString().slice(0, 10);
  const asset = pick(estate.assets);
  const comparison = () => pick(['>', '>=', '<', '<=', '=', ':']);
  const generators: (() => string)[] = [
    () => `finding.title:${pick(WORDS)}`,
    () => `finding.title:"${pick(WORDS)} ${pick(WORDS)}"`,
    () => `finding.title:"${pick(['100%', 'under_s', "o'r", 'back\\\\s'])}"`,
    () => `finding.title:${pick(WORDS).slice(0, 3)}*`,
    () => `finding.title:\`${pick(estate.findings).title}\``,
    () => `finding.description:*${pick(WORDS)}*`,
    () => `finding.type:${pick(['vulnerability', 'misconfiguration'])}`,
    () => `finding.severity${comparison()}${pick(['informational', 'low', 'medium', 'high', 'critical', '3'])}`,
    () => `finding.severity:[${pick(['low', '2'])} .. ${pick(['high', 'critical'])}]`,
    () => `finding.status:[${pick(['new', 'active'])}, ${pick(['reopened', 'fixed'])}]`,
    () => `finding.detectionScore${comparison()}${integer(1, 100)}`,
    () => `finding.detectionScore:${pick(['[', '('])}${integer(1, 50)} .. ${integer(50, 100)}${pick([']', ')'])}`,
    () => `finding.cveId:[${cveId(integer(0, CVE_COUNT - 1))}, ${cveId(integer(0, CVE_COUNT - 1)).toLowerCase()}]`,
    () => `finding.cveId:CVE-202${integer(0, 4)}-*`,
    () => `finding.cweId:${pick(['79', 'CWE-89', 'cwe-787'])}`,
    () => `finding.vendorId:${10_000 + integer(0, 49)}`,
    () => `finding.port${comparison()}${pick([22, 80, 443, 8080])}`,
    () => `finding.protocol:${pick(['TCP', 'udp'])}`,
    () => `finding.firstFoundDate${comparison()}${day()}`,
    () => `finding.lastFoundDate:[${day()} .. ${pick(['2026-04-15', '2026-05-30'])}]`,
    () => `finding.lastFoundDate:(2026-01-10 .. ${day()})`,
    () => `finding.lastFoundDate>=now-${integer(1, 80)}d`,
    () => `finding.firstFoundDate<${day()}T${String(integer(0, 23)).padStart(2, '0')}:30:00${pick(['Z', '+02:00', ''])}`,
    () => `finding.epssScore${pick(['>', '>=', '<', '<='])}0.${integer(0, 9)}`,
    () => `finding.isKev:${pick(['true', 'false', 'yes'])}`,
    () => `finding.cvss3BaseScore:[${integer(0, 5)} .. ${integer(5, 10)}]`,
    () => `finding.source:${pick(SOURCES).toLowerCase()}`,
    () => `finding.technologyName:${pick(['ssl', 'httpd', 'log4j', 'nginx'])}`,
    () => `finding.technologyVersion:${pick(['2.4.*', '1.1.1k', '2.17.1'])}`,
    () => `finding.technologyVendor:${pick(['apache', 'openssl'])}`,
    () => `finding.mitre.attack.technique.id:${pick([...ATTACK_TECHNIQUES, ...UNIMPORTED_TECHNIQUES]).attackId.toLowerCase()}`,
    () => `finding.mitre.attack.technique.id:[T1059*, ${pick(ATTACK_TECHNIQUES).attackId}]`,
    () => `finding.mitre.attack.technique.name:${pick(['exploit', '"remote services"', 'configuration', 'mapped', 'powershell'])}`,
    () => `finding.mitre.attack.tactic.name:${pick(['"initial access"', 'execution', 'impact', 'access', 'persistence'])}`,
    () => `finding.mitre.attack.group.id:[${pick(ATTACK_GROUPS).attackId}, ${pick(ATTACK_GROUPS).attackId.toLowerCase()}]`,
    () => `finding.mitre.attack.group.name:${pick(['apt28', '"fancy bear"', 'lazarus', 'bear', 'dukes', 'sandworm'])}`,
    () => `asset.name:${pick(['web', 'db', '_old', 'k8s-0*'])}`,
    () => `asset.name=${asset.name}`,
    () => `asset.ip:${pick(['10.0.0.0/16', '10.1.0.0/8', '192.168.1.0/24', '2001:db8::/32'])}`,
    () => `asset.ip:${asset.ipv4[0] ?? asset.ipv6[0] ?? '10.0.0.1'}`,
    () => `asset.ip:[10.0.${integer(0, 100)}.0 .. 10.1.${integer(0, 255)}.255]`,
    () => `asset.ip>${pick(['10.1.0.0', '2001:db8::8000'])}`,
    () => `asset.os:${pick(OS_NAMES.filter((name) => name !== null)).split(' ')[0]}`,
    () => `asset.tags.name:${pick(TAG_NAMES).toUpperCase()}`,
    () => `asset.tags.name:[${pick(TAG_NAMES)}, ${pick(TAG_NAMES)}]`,
    () => `asset.criticalityScore${comparison()}${integer(1, 5)}`,
    () => `asset.riskScore${pick(['>', '<='])}${integer(0, 999)}.${integer(0, 9)}`,
    () => `asset.businessEntity.name:"${pick(Object.keys(ENTITY_TAGS))}"`,
    () => `asset.internetFacing:${pick(['true', 'false'])}`,
    () => `asset.lastSeenDate${comparison()}${day()}`,
  ];
  return pick(generators)();
}

function randomQuery(random: () => number, depth = 0): string {
  const roll = random();
  if (depth >= 3 || roll < 0.35) return randomCondition(random);
  if (roll < 0.45) return `NOT ${randomQuery(random, depth + 1)}`;
  if (roll < 0.6) return `(${randomQuery(random, depth + 1)})`;
  const joiner = random() < 0.5 ? ' AND ' : random() < 0.5 ? ' OR ' : ' ';
  return `${randomQuery(random, depth + 1)}${joiner}${randomQuery(random, depth + 1)}`;
}

describe('compiled queries against the reference filter', () => {
  for (const timeZone of ['UTC', 'America/New_York']) {
    // Hundreds of queries against a real database: minutes on a busy two-core machine.
    it(`random queries match on findings and assets (${timeZone})`, { timeout: 300_000 }, async () => {
      const random = randomSource(timeZone.length * 7919);
      let nonEmpty = 0;
      for (let round = 0; round < 120; round++) {
        const text = randomQuery(random);
        for (const entity of ['finding', 'asset'] as const) {
          const expected = expectedIds(entity, text, timeZone);
          if (expected.length > 0) nonEmpty++;
          expect(await matchingIds(entity, text, timeZone), `${entity} query: ${text}`).toEqual(expected);
        }
      }
      // The generator must produce queries that select something, or the comparison proves little.
      expect(nonEmpty).toBeGreaterThan(100);
    });
  }

  it('every generated condition kind runs on its own', { timeout: 300_000 }, async () => {
    const random = randomSource(42);
    for (let round = 0; round < 200; round++) {
      const text = randomCondition(random);
      expect(await matchingIds('finding', text, 'Europe/Berlin'), text).toEqual(expectedIds('finding', text, 'Europe/Berlin'));
    }
  });
});

describe('asset queries with finding conditions', () => {
  it('side-by-side finding conditions must hold on one finding', async () => {
    const text = 'finding.severity:critical AND finding.isKev:true';
    const ids = await matchingIds('asset', text, 'UTC');
    const expected = estate.assets
      .filter((asset) => (estate.findingsByAsset.get(asset.id) ?? []).some((finding) => finding.severity === 5 && finding.vulnerability?.isKev === true))
      .map((asset) => asset.id);
    expect(ids).toEqual(expected.sort((a, b) => a - b));
  });

  it('NOT over a finding condition means no such finding', async () => {
    const ids = await matchingIds('asset', 'NOT finding.severity:critical', 'UTC');
    const expected = estate.assets.filter((asset) => !(estate.findingsByAsset.get(asset.id) ?? []).some((finding) => finding.severity === 5)).map((asset) => asset.id);
    expect(ids).toEqual(expected.sort((a, b) => a - b));
  });
});

describe('ATT&CK tokens', () => {
  const findingIdsWhere = (predicate: (finding: Estate['findings'][number]) => boolean) =>
    estate.findings
      .filter(predicate)
      .map((finding) => finding.id)
      .sort((a, b) => a - b);

  it('finds a group by an alias', async () => {
    const expected = findingIdsWhere((finding) => finding.attack.groups.some((group) => group.id === 'G0007'));
    expect(expected.length).toBeGreaterThan(0);
    expect(await matchingIds('finding', 'finding.mitre.attack.group.name:"fancy bear"', 'UTC')).toEqual(expected);
  });

  it('reads the technique name of the release before the mapping', async () => {
    expect(await matchingIds('finding', 'finding.mitre.attack.technique.name:"mapped T1190"', 'UTC')).toEqual([]);
    const unimported = findingIdsWhere((finding) => finding.attack.techniques.some((technique) => technique.id === 'T1602'));
    expect(unimported.length).toBeGreaterThan(0);
    expect(await matchingIds('finding', 'finding.mitre.attack.technique.name:"configuration repository"', 'UTC')).toEqual(unimported);
  });

  it('matches a technique under each of its tactics', async () => {
    const expected = findingIdsWhere((finding) => finding.attack.techniques.some((technique) => technique.id === 'T1133'));
    const persistence = await matchingIds('finding', 'finding.mitre.attack.tactic.name:persistence', 'UTC');
    expect(persistence).toEqual(expected);
    const initialAccess = new Set(await matchingIds('finding', 'finding.mitre.attack.tactic.name:"initial access"', 'UTC'));
    expect(expected.every((id) => initialAccess.has(id))).toBe(true);
  });

  it('NOT keeps findings without ATT&CK data', async () => {
    const expected = findingIdsWhere((finding) => !finding.attack.techniques.some((technique) => technique.id === 'T1190'));
    expect(expected.some((id) => estate.findings.find((finding) => finding.id === id)!.cveIds.length === 0)).toBe(true);
    expect(await matchingIds('finding', 'NOT finding.mitre.attack.technique.id:T1190', 'UTC')).toEqual(expected);
  });
});

describe('injection attempts', () => {
  const HOSTILE_TITLES = [
    "x'; drop table findings; --",
    'x"); delete from assets; /*',
    'back\\slash \\\\ double',
    'percent 100% done',
    'under_score',
    'semi;colon',
    "unicode \\u0027 escape U&'\\0027'",
    '$1 placeholder $$ dollar',
    'emoji 😀 and ß',
  ];
  let hostileIds: Map<string, number>;

  beforeAll(async () => {
    const asset = estate.assets[0]!;
    hostileIds = new Map();
    for (const [index, title] of HOSTILE_TITLES.entries()) {
      const [row] = await db
        .insert(findings)
        .values({ type: 'vulnerability', assetId: asset.id, identityKey: `hostile-${index}`, title, severity: 3, detectionScore: 50, firstFound: NOW, lastFound: NOW })
        .returning({ id: findings.id });
      hostileIds.set(title, row!.id);
    }
  });

  const cases: { query: string; matches: string[] }[] = [
    { query: 'finding.title:"x\'; drop table findings; --"', matches: ["x'; drop table findings; --"] },
    { query: 'finding.title:`x"); delete from assets; /*`', matches: ['x"); delete from assets; /*'] },
    { query: "finding.title:'", matches: ["x'; drop table findings; --", "unicode \\u0027 escape U&'\\0027'"] },
    { query: 'finding.title:%', matches: ['percent 100% done'] },
    { query: 'finding.title:under_score', matches: ['under_score'] },
    { query: 'finding.title:_', matches: ['under_score'] },
    { query: 'finding.title:"back\\\\slash"', matches: ['back\\slash \\\\ double'] },
    { query: 'finding.title:\\\\', matches: ['back\\slash \\\\ double'] },
    { query: 'finding.title:;', matches: ["x'; drop table findings; --", 'x"); delete from assets; /*', 'semi;colon'] },
    { query: 'finding.title:--', matches: ["x'; drop table findings; --"] },
    { query: 'finding.title:"/*"', matches: ['x"); delete from assets; /*'] },
    { query: 'finding.title:\\u0027', matches: ["unicode \\u0027 escape U&'\\0027'"] },
    { query: 'finding.title:$1', matches: ['$1 placeholder $$ dollar'] },
    { query: 'finding.title:$$', matches: ['$1 placeholder $$ dollar'] },
    { query: 'finding.title:😀', matches: ['emoji 😀 and ß'] },
    { query: 'finding.title:*%*', matches: ['percent 100% done'] },
    { query: 'finding.title:back\\*', matches: ['back\\slash \\\\ double'] },
  ];

  for (const { query, matches } of cases) {
    it(`matches only literal text: ${query}`, async () => {
      const ids = new Set(await matchingIds('finding', query, 'UTC'));
      const hostileMatches = HOSTILE_TITLES.filter((title) => ids.has(hostileIds.get(title)!));
      expect(hostileMatches).toEqual(matches);
      // Other matches can only come from generated titles that really contain the text.
      const expectedOthers = estate.findings.filter((finding) => evaluate(checkQuery(query)!, { entity: 'finding', finding, asset: finding.asset }, estate, 'UTC')).length;
      expect(ids.size - hostileMatches.length).toBe(expectedOthers);
    });
  }

  it('leaves every table in place', async () => {
    const [row] = await queryRows<{ findings: number; assets: number }>(db, sql`select (select count(*)::integer from findings) as findings, (select count(*)::integer from assets) as assets`);
    expect(row).toEqual({ findings: estate.findings.length + HOSTILE_TITLES.length, assets: estate.assets.length });
  });
});

describe('list functions with q', () => {
  it('listFindings pages through exactly the matching findings', async () => {
    const q = 'finding.severity>=high AND asset.internetFacing:true';
    const expected = expectedIds('finding', q, 'UTC');
    const seen: number[] = [];
    let cursor: string | undefined;
    let total = -1;
    do {
      const page = await listFindings(db, { q, sort: 'detectionScore', limit: 100, cursor });
      total = page.total;
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(total).toBe(expected.length);
    expect(seen.sort((a, b) => a - b)).toEqual(expected);
  });

  it('listAssets counts and returns the matching assets', async () => {
    const q = 'asset.tags.name:production finding.isKev:true';
    const page = await listAssets(db, { q, limit: 500 });
    const expected = expectedIds('asset', q, 'UTC');
    expect(page.total).toBe(expected.length);
    expect(page.items.map((item) => item.id).sort((a, b) => a - b)).toEqual(expected);
  });

  it('rejects an invalid query with invalid_input and the position', async () => {
    const error = await listFindings(db, { q: 'finding.severty:high' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_input');
    expect((error as AppError).message).toContain('did you mean finding.severity?');
    expect((error as AppError).message).toContain('at character 1');
  });

  it('reads dates in the organization time zone', async () => {
    await setOrganizationTimeZone(db, 'Asia/Tokyo');
    try {
      const q = 'finding.lastFoundDate:2026-02-01';
      const page = await listFindings(db, { q, limit: 500 });
      const expected = expectedIds('finding', q, 'Asia/Tokyo');
      expect(page.items.map((item) => item.id).sort((a, b) => a - b)).toEqual(expected);
      expect(expected).not.toEqual(expectedIds('finding', q, 'UTC'));
    } finally {
      await setOrganizationTimeZone(db, 'UTC');
    }
  });
});
