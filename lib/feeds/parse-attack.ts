import { z } from 'zod';
import { ReportError } from '../ingest/report-error';

const CVE_IN_TEXT = /CVE-\d{4}-\d{4,}/gi;
const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
/** A technique id inside free text; `(?!\d)` keeps a typo such as `T11190` from reading as T1119. */
const TECHNIQUE_IN_TEXT = /\bT\d{4}(?:\.\d{3})?(?!\d)/g;
const TECHNIQUE_ID = /^T\d{4}(?:\.\d{3})?$/;

/** The STIX 2.0/2.1 fields the ATT&CK import reads; every other field is ignored. */
const stixObjectSchema = z.object({
  type: z.string(),
  id: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
  x_mitre_shortname: z.string().optional(),
  relationship_type: z.string().optional(),
  source_ref: z.string().optional(),
  target_ref: z.string().optional(),
  kill_chain_phases: z.array(z.object({ kill_chain_name: z.string(), phase_name: z.string() })).optional(),
  external_references: z
    .array(z.object({ source_name: z.string().optional(), external_id: z.string().optional(), url: z.string().optional(), description: z.string().optional() }))
    .optional(),
});
type StixObject = z.infer<typeof stixObjectSchema>;

const mappingFileSchema = z.object({
  metadata: z.object({
    mapping_framework: z.string(),
    mapping_framework_version: z.string().nullish(),
    attack_version: z.string().nullish(),
    technology_domain: z.string().nullish(),
  }),
  mapping_objects: z.array(
    z.object({
      capability_id: z.string(),
      mapping_type: z.string().nullish(),
      attack_object_id: z.string().nullish(),
      attack_object_name: z.string().nullish(),
    }),
  ),
});

export interface AttackTechniqueRecord {
  attackId: string;
  stixId: string;
  name: string;
  tactics: string[];
  retired: boolean;
  url: string | null;
}

export interface AttackGroupRecord {
  attackId: string;
  stixId: string;
  name: string;
  aliases: string[];
  url: string | null;
}

export interface CveGroupLink {
  cveId: string;
  groupId: string;
  via: 'group' | 'campaign' | 'software' | 'relationship';
  viaObject: string;
}

export interface CveTechniqueMapping {
  cveId: string;
  techniqueId: string;
  mappingType: string;
  techniqueName: string | null;
}

/** The data one ATT&CK import writes. A null list means the input had no such objects, so the stored ones stay. */
export interface AttackData {
  techniques: AttackTechniqueRecord[] | null;
  groups: AttackGroupRecord[] | null;
  cveGroups: CveGroupLink[];
  /** Mapping set name → its mappings; each set replaces the stored set of the same name. */
  mappings: Map<string, CveTechniqueMapping[]>;
  /** Technique tokens of a mapping CSV that are no valid id (typos in the published data), skipped. */
  skippedTokens: number;
}

/**
 * Collects ATT&CK documents and derives what Riskboard stores from them. It takes STIX bundles
 * (`enterprise-attack.json`), single STIX objects (the one-object-per-file layout of the
 * mitre/cti repository), Mappings Explorer mapping files and the `Att&ckToCveMappings.csv` of
 * the Center for Threat-Informed Defense. STIX objects are combined across files, because a
 * relationship and the objects it joins usually sit in different files.
 */
export class AttackCollector {
  private readonly objects = new Map<string, StixObject>();
  private readonly mappings = new Map<string, CveTechniqueMapping[]>();
  private skippedTokens = 0;
  /** Documents read, for the import summary. */
  documents = 0;

  /** Adds one document; throws ReportError naming the field or line that does not fit. */
  add(text: string): void {
    const trimmed = text.replace(/^\uFEFF/, '').trimStart();
    this.documents += 1;
    if (/^CVE ID,/i.test(trimmed)) {
      this.addMappingCsv(trimmed);
      return;
    }
    let document: unknown;
    try {
      document = JSON.parse(trimmed);
    } catch (error) {
      throw new ReportError('malformed', `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (isRecord(document) && 'mapping_objects' in document) {
      this.addMappingFile(document);
      return;
    }
    if (isRecord(document) && document.type === 'bundle') {
      const objects = z.array(z.unknown()).safeParse(document.objects);
      if (!objects.success) throw new ReportError('invalid_field', 'the STIX bundle has no "objects" array', { field: 'objects' });
      objects.data.forEach((object, index) => this.addStixObject(object, `objects.${index}`));
      return;
    }
    this.addStixObject(document, '');
  }

  private addStixObject(object: unknown, field: string): void {
    const parsed = stixObjectSchema.safeParse(object);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = [field, ...(issue?.path ?? []).map(String)].filter((part) => part !== '').join('.');
      throw new ReportError('invalid_field', `not a STIX object: ${issue?.message ?? 'invalid'}`, path ? { field: path } : {});
    }
    this.objects.set(parsed.data.id, parsed.data);
  }

  private addMappingFile(document: unknown): void {
    const parsed = mappingFileSchema.safeParse(document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = (issue?.path ?? []).map(String).join('.');
      throw new ReportError('invalid_field', `not a Mappings Explorer file: ${issue?.message ?? 'invalid'}`, path ? { field: path } : {});
    }
    const { metadata, mapping_objects: objects } = parsed.data;
    const source = ['mappings-explorer', metadata.mapping_framework, metadata.mapping_framework_version, 'attack', metadata.attack_version, metadata.technology_domain]
      .filter((part) => part)
      .join(' ');
    const list = this.mappings.get(source) ?? [];
    for (const entry of objects) {
      const cveId = entry.capability_id.trim().toUpperCase();
      const techniqueId = entry.attack_object_id?.trim();
      // Non-CVE capabilities (other frameworks) and entries marked non-mappable carry no technique.
      if (!CVE_ID.test(cveId) || !techniqueId || !TECHNIQUE_ID.test(techniqueId)) continue;
      list.push({ cveId, techniqueId, mappingType: entry.mapping_type ?? 'uncategorized', techniqueName: entry.attack_object_name ?? null });
    }
    this.mappings.set(source, list);
  }

  private addMappingCsv(text: string): void {
    const lines = text.split(/\r?\n/);
    const header = (lines[0] ?? '').split(',').map((cell) => cell.trim().toLowerCase());
    const columns: [number, string][] = [
      [header.indexOf('primary impact'), 'primary_impact'],
      [header.indexOf('secondary impact'), 'secondary_impact'],
      [header.indexOf('exploitation technique'), 'exploitation_technique'],
      [header.indexOf('uncategorized'), 'uncategorized'],
    ];
    if (header[0] !== 'cve id' || columns.some(([index]) => index < 0)) {
      throw new ReportError('invalid_field', 'expected the header "CVE ID,Primary Impact,Secondary Impact,Exploitation Technique,Uncategorized"', { line: 1 });
    }
    const list: CveTechniqueMapping[] = [];
    lines.slice(1).forEach((line, offset) => {
      if (line.trim() === '') return;
      // The published file quotes no cell and uses ';' inside cells, so a plain split is exact.
      const cells = line.split(',');
      const cveId = (cells[0] ?? '').trim().toUpperCase();
      if (!CVE_ID.test(cveId)) throw new ReportError('invalid_field', `invalid CVE id "${cveId.slice(0, 40)}"`, { line: offset + 2, field: 'CVE ID' });
      for (const [index, mappingType] of columns) {
        const cell = cells[index] ?? '';
        const found = cell.match(TECHNIQUE_IN_TEXT) ?? [];
        const tokens = cell.split(/[;\s]+/).filter((token) => token.replace(/\.$/, '') !== '');
        this.skippedTokens += Math.max(0, tokens.length - found.length);
        for (const techniqueId of found) list.push({ cveId, techniqueId, mappingType, techniqueName: null });
      }
    });
    this.mappings.set('attack_to_cve', list);
  }

  /** Derives techniques, groups and the CVE links from everything added. */
  result(): AttackData {
    const objects = [...this.objects.values()];
    const active = (object: StixObject): boolean => !object.revoked && !object.x_mitre_deprecated;

    const tacticNames = new Map<string, string>();
    for (const object of objects) {
      if (object.type === 'x-mitre-tactic' && object.x_mitre_shortname && object.name) tacticNames.set(object.x_mitre_shortname, object.name);
    }

    const techniques: AttackTechniqueRecord[] = [];
    for (const object of objects) {
      const reference = attackReference(object, /^T\d{4}(\.\d{3})?$/);
      if (object.type !== 'attack-pattern' || !reference || !object.name) continue;
      const tactics = (object.kill_chain_phases ?? [])
        .filter((phase) => phase.kill_chain_name === 'mitre-attack' || phase.kill_chain_name.startsWith('mitre-'))
        .map((phase) => tacticNames.get(phase.phase_name) ?? titleCase(phase.phase_name));
      techniques.push({ attackId: reference.id, stixId: object.id, name: object.name, tactics: [...new Set(tactics)], retired: !active(object), url: reference.url });
    }

    const groupsByStix = new Map<string, AttackGroupRecord>();
    for (const object of objects) {
      const reference = attackReference(object, /^G\d{4}$/);
      if (object.type !== 'intrusion-set' || !reference || !object.name || !active(object)) continue;
      groupsByStix.set(object.id, { attackId: reference.id, stixId: object.id, name: object.name, aliases: (object.aliases ?? []).filter((alias) => alias !== object.name), url: reference.url });
    }

    return {
      techniques: techniques.length > 0 ? techniques : null,
      groups: groupsByStix.size > 0 ? [...groupsByStix.values()] : null,
      cveGroups: groupsByStix.size > 0 ? linkCvesToGroups(objects.filter(active), groupsByStix) : [],
      mappings: this.mappings,
      skippedTokens: this.skippedTokens,
    };
  }
}

/**
 * Ties CVEs to groups along four paths, each kept with the object that names the CVE. A CVE
 * counts when the group's own description or references name it, when a campaign attributed to
 * the group names it, or when malware or a tool the group uses names it. It also counts when
 * the description of a `uses` relationship from the group (or from a campaign attributed to it)
 * names it, as in ATT&CK's "APT28 has exploited CVE-…".
 */
function linkCvesToGroups(objects: StixObject[], groups: Map<string, AttackGroupRecord>): CveGroupLink[] {
  const byId = new Map(objects.map((object) => [object.id, object]));
  const links = new Map<string, CveGroupLink>();
  const add = (cves: string[], group: AttackGroupRecord | undefined, via: CveGroupLink['via'], viaObject: string): void => {
    if (!group) return;
    for (const cveId of cves) links.set(`${cveId}|${group.attackId}|${via}|${viaObject}`, { cveId, groupId: group.attackId, via, viaObject });
  };

  const relationships = objects.filter((object) => object.type === 'relationship' && object.source_ref && object.target_ref);
  const campaignGroups = new Map<string, string[]>();
  for (const relationship of relationships) {
    if (relationship.relationship_type !== 'attributed-to' || !relationship.source_ref?.startsWith('campaign--')) continue;
    const list = campaignGroups.get(relationship.source_ref) ?? [];
    list.push(relationship.target_ref ?? '');
    campaignGroups.set(relationship.source_ref, list);
  }

  for (const [stixId, group] of groups) add(cvesIn(byId.get(stixId)), group, 'group', group.attackId);

  for (const object of objects) {
    if (object.type !== 'campaign') continue;
    const cves = cvesIn(object);
    if (cves.length === 0) continue;
    const name = attackReference(object, /^C\d{4}$/)?.id ?? object.id;
    for (const groupRef of campaignGroups.get(object.id) ?? []) add(cves, groups.get(groupRef), 'campaign', name);
  }

  for (const relationship of relationships) {
    if (relationship.relationship_type !== 'uses' || !relationship.source_ref || !relationship.target_ref) continue;
    const sourceGroups = relationship.source_ref.startsWith('intrusion-set--') ? [relationship.source_ref] : (campaignGroups.get(relationship.source_ref) ?? []);
    const ownCves = matchCves(relationship.description ?? '');
    const target = byId.get(relationship.target_ref);
    const softwareCves = target && (target.type === 'malware' || target.type === 'tool') ? cvesIn(target) : [];
    const softwareName = target ? (attackReference(target, /^S\d{4}$/)?.id ?? target.id) : '';
    for (const groupRef of sourceGroups) {
      add(ownCves, groups.get(groupRef), 'relationship', relationship.id);
      add(softwareCves, groups.get(groupRef), 'software', softwareName);
    }
  }
  return [...links.values()];
}

/** CVE ids named in an object's description or in any field of its external references. */
function cvesIn(object: StixObject | undefined): string[] {
  if (!object) return [];
  const texts = [object.description ?? '', ...(object.external_references ?? []).flatMap((reference) => [reference.external_id ?? '', reference.url ?? '', reference.description ?? ''])];
  return matchCves(texts.join('\n'));
}

function matchCves(text: string): string[] {
  return [...new Set((text.match(CVE_IN_TEXT) ?? []).map((cve) => cve.toUpperCase()))];
}

function attackReference(object: StixObject, pattern: RegExp): { id: string; url: string | null } | undefined {
  const reference = object.external_references?.find((entry) => entry.source_name === 'mitre-attack' && entry.external_id && pattern.test(entry.external_id));
  return reference?.external_id ? { id: reference.external_id, url: reference.url ?? null } : undefined;
}

function titleCase(shortname: string): string {
  return shortname
    .split('-')
    .map((word) => (word ? word[0]!.toUpperCase() + word.slice(1) : word))
    .join(' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
