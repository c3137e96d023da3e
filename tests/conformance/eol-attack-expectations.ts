// Independent readings of the shared endoflife.date and ATT&CK files for the feed conformance
// tests: plain regular expressions, JSON.parse and a line split, never lib/feeds.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export interface EolExpectation {
  products: number;
  cycles: number;
  /** Cycles whose `eol:` is `true` or `false` rather than a date. */
  booleanEol: number;
  /** `product cycle` → the `eol:` date the page gives. */
  eolDates: Map<string, string>;
}

/** Counts product pages (Markdown with `- releaseCycle:` lines) and their distinct cycles. */
export function expectEol(productsDir: string): EolExpectation {
  const expectation: EolExpectation = { products: 0, cycles: 0, booleanEol: 0, eolDates: new Map() };
  for (const file of filesUnder(productsDir)) {
    if (!file.endsWith('.md')) continue;
    const text = readFileSync(file, 'utf8');
    const frontMatter = text.split(/^---\s*$/m)[1] ?? '';
    const blocks = frontMatter.split(/^\s*-\s*releaseCycle\s*:/m).slice(1);
    if (blocks.length === 0) continue;
    expectation.products += 1;
    const product = /^permalink:\s*\/(\S+)/m.exec(frontMatter)?.[1]?.toLowerCase() ?? path.basename(file, '.md');
    const seen = new Set<string>();
    for (const block of blocks) {
      const cycle = unquote(block.split('\n')[0] ?? '');
      if (seen.has(cycle)) continue;
      seen.add(cycle);
      const eol = /^\s*eol\s*:\s*(\S+)/m.exec(block)?.[1];
      if (eol === 'true' || eol === 'false') expectation.booleanEol += 1;
      else if (eol && /^\d{4}-\d{2}-\d{2}$/.test(eol)) expectation.eolDates.set(`${product} ${cycle}`, eol);
    }
    expectation.cycles += seen.size;
  }
  return expectation;
}

function unquote(value: string): string {
  return value.replace(/#.*$/, '').trim().replace(/^["']|["']$/g, '');
}

export interface AttackExpectation {
  /** Distinct ATT&CK technique ids (`T…`) of attack-pattern files with a `mitre-attack` reference. */
  techniques: number;
  /** `intrusion-set` objects with a `mitre-attack` group id that are neither revoked nor deprecated. */
  groups: number;
  /** Mapping set → distinct `cve|technique|mapping type` keys. */
  mappings: Map<string, Set<string>>;
}

/** Reads every STIX object file and mapping file under the ATT&CK folder. */
export function expectAttack(dir: string): AttackExpectation {
  const techniques = new Set<string>();
  let groups = 0;
  const mappings = new Map<string, Set<string>>();
  const addMapping = (source: string, key: string): void => {
    const set = mappings.get(source) ?? new Set<string>();
    set.add(key);
    mappings.set(source, set);
  };

  for (const file of filesUnder(dir)) {
    if (file.endsWith('.csv')) {
      const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
      if (!lines[0]?.startsWith('CVE ID,')) continue;
      const types = ['primary_impact', 'secondary_impact', 'exploitation_technique', 'uncategorized'];
      for (const line of lines.slice(1)) {
        const cells = line.split(',');
        if (!cells[0]) continue;
        types.forEach((type, index) => {
          for (const token of (cells[index + 1] ?? '').split(/[;\s]+/)) {
            const id = token.replace(/\.$/, '');
            if (/^T\d{4}(\.\d{3})?$/.test(id)) addMapping('attack_to_cve', `${cells[0]}|${id}|${type}`);
          }
        });
      }
      continue;
    }
    if (!file.endsWith('.json')) continue;
    const document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (Array.isArray(document.mapping_objects)) {
      const meta = document.metadata as Record<string, string>;
      const source = `mappings-explorer ${meta.mapping_framework} ${meta.mapping_framework_version} attack ${meta.attack_version} ${meta.technology_domain}`;
      mappings.set(source, mappings.get(source) ?? new Set());
      for (const entry of document.mapping_objects as Record<string, string | null>[]) {
        if (entry.attack_object_id && /^CVE-/.test(entry.capability_id ?? '')) addMapping(source, `${entry.capability_id}|${entry.attack_object_id}|${entry.mapping_type}`);
      }
      continue;
    }
    // mitre/cti stores each object in a bundle of its own.
    const objects = (document.type === 'bundle' ? document.objects : [document]) as Record<string, unknown>[];
    for (const object of objects) {
      const references = (object.external_references ?? []) as { source_name?: string; external_id?: string }[];
      const attackId = references.find((reference) => reference.source_name === 'mitre-attack')?.external_id;
      if (object.type === 'attack-pattern' && attackId?.startsWith('T')) techniques.add(attackId);
      if (object.type === 'intrusion-set' && attackId?.startsWith('G') && !object.revoked && !object.x_mitre_deprecated) groups += 1;
    }
  }
  return { techniques: techniques.size, groups, mappings };
}
