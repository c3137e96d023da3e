import { cvss2BaseScore, cvss3BaseScore, nessusSeverity } from './cvss';
import { INFORMATIONAL_PLUGINS } from './informational';
import type { PluginEntry } from './types';
import { VULNERABILITY_PLUGINS } from './vulnerabilities';

export { INFORMATIONAL_PLUGINS, VULNERABILITY_PLUGINS };

/** Nessus severity 0–4 of a plugin: from its CVSS v3 score, else its v2 score, else 0. */
export function pluginSeverity(plugin: PluginEntry): 0 | 1 | 2 | 3 | 4 {
  return nessusSeverity(plugin.cvss3?.score ?? plugin.cvss2?.score);
}

const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;
const DATE_PATTERN = /^\d{4}\/\d{2}\/\d{2}$/;

/**
 * Throws when the catalog contradicts itself: a CVSS vector whose computed base score differs
 * from the score written beside it, a vulnerability plugin that would come out as informational,
 * a duplicate plugin id, or a malformed CVE id or date. Run before every generation so that a
 * typo in a vector never reaches the shipped demo.
 */
export function checkCatalog(): void {
  const problems: string[] = [];
  const seenIds = new Set<number>();

  for (const plugin of [...VULNERABILITY_PLUGINS, ...INFORMATIONAL_PLUGINS]) {
    const label = `plugin ${plugin.id} (${plugin.name})`;
    if (seenIds.has(plugin.id)) problems.push(`${label}: duplicate plugin id`);
    seenIds.add(plugin.id);

    if (plugin.cvss3) {
      const computed = cvss3BaseScore(plugin.cvss3.vector);
      if (computed !== plugin.cvss3.score) problems.push(`${label}: ${plugin.cvss3.vector} scores ${computed}, catalog says ${plugin.cvss3.score}`);
    }
    if (plugin.cvss2) {
      const computed = cvss2BaseScore(plugin.cvss2.vector);
      if (computed !== plugin.cvss2.score) problems.push(`${label}: ${plugin.cvss2.vector} scores ${computed}, catalog says ${plugin.cvss2.score}`);
    }
    for (const cve of plugin.cves ?? []) {
      if (!CVE_PATTERN.test(cve)) problems.push(`${label}: invalid CVE id ${cve}`);
    }
    for (const date of [plugin.published, plugin.vulnPublished, plugin.patchPublished]) {
      if (date !== undefined && !DATE_PATTERN.test(date)) problems.push(`${label}: invalid date ${date}, expected YYYY/MM/DD`);
    }
    if (plugin.prevalence < 0 || plugin.prevalence > 1) problems.push(`${label}: prevalence ${plugin.prevalence} is outside 0–1`);
  }

  for (const plugin of VULNERABILITY_PLUGINS) {
    if (pluginSeverity(plugin) === 0) problems.push(`plugin ${plugin.id} (${plugin.name}): a vulnerability plugin needs a CVSS score`);
  }
  for (const plugin of INFORMATIONAL_PLUGINS) {
    if (plugin.cvss2 || plugin.cvss3) problems.push(`plugin ${plugin.id} (${plugin.name}): an informational plugin must not have a CVSS score`);
  }

  if (problems.length > 0) throw new Error(`invalid plugin catalog:\n  ${problems.join('\n  ')}`);
}
