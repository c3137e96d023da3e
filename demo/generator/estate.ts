import { INFORMATIONAL_PLUGINS, VULNERABILITY_PLUGINS, pluginSeverity } from './catalog';
import { SCAN_START, buildHosts } from './hosts';
import type { NessusHostRecord, NessusReportItem } from './nessus-writer';
import { placePlugin, pluginApplies } from './placement';
import type { SeededRandom } from './random';
import type { DemoHost } from './types';

/** Bounds on the ReportItems of one host, informational ones included. */
export const MIN_ITEMS_PER_HOST = 10;
export const MAX_ITEMS_PER_HOST = 40;

/** Informational plugins every host keeps even when the item limit forces others out. */
const ESSENTIAL_PLUGIN_IDS = new Set([19506, 10180, 11936, 54615, 12053]);

/**
 * Builds the demo estate: every host with the findings drawn for it. The same random generator
 * state gives the same estate.
 */
export function buildEstate(random: SeededRandom): NessusHostRecord[] {
  const hosts = buildHosts(random);
  scheduleScan(hosts, random);
  return hosts.map((host) => ({ host, items: drawItems(host, random) }));
}

/** Gives each host a start and end time as a scan of 30 hosts in parallel would. */
function scheduleScan(hosts: DemoHost[], random: SeededRandom): void {
  const parallelHosts = 30;
  const slotEnds: number[] = Array.from({ length: parallelHosts }, () => SCAN_START.getTime());
  for (const host of hosts) {
    // Take the slot that frees up first.
    let slot = 0;
    for (let index = 1; index < slotEnds.length; index += 1) {
      if ((slotEnds[index] ?? 0) < (slotEnds[slot] ?? 0)) slot = index;
    }
    const start = (slotEnds[slot] ?? SCAN_START.getTime()) + random.int(1, 20) * 1000;
    const durationSeconds = host.credentialed ? random.int(420, 1800) : random.int(180, 900);
    host.start = new Date(start);
    host.end = new Date(start + durationSeconds * 1000);
    slotEnds[slot] = host.end.getTime();
  }
}

function drawItems(host: DemoHost, random: SeededRandom): NessusReportItem[] {
  const vulnerabilities: NessusReportItem[] = [];
  for (const plugin of VULNERABILITY_PLUGINS) {
    if (!pluginApplies(plugin, host)) continue;
    if (!random.chance(plugin.prevalence)) continue;
    vulnerabilities.push(...placePlugin(plugin, host, random));
  }

  const essentials: NessusReportItem[] = [];
  const optional: NessusReportItem[] = [];
  for (const plugin of INFORMATIONAL_PLUGINS) {
    if (!pluginApplies(plugin, host)) continue;
    const items = placePlugin(plugin, host, random);
    if (ESSENTIAL_PLUGIN_IDS.has(plugin.id)) essentials.push(...items);
    else optional.push(...items);
  }

  // Keep the most severe vulnerabilities when a host has more than fit beside its essentials.
  vulnerabilities.sort((left, right) => pluginSeverity(right.plugin) - pluginSeverity(left.plugin));
  const vulnerabilityRoom = MAX_ITEMS_PER_HOST - essentials.length;
  const keptVulnerabilities = vulnerabilities.slice(0, vulnerabilityRoom);
  // A random share of the remaining informational items, so hosts differ in size as real ones do.
  const informationalRoom = Math.min(MAX_ITEMS_PER_HOST - essentials.length - keptVulnerabilities.length, random.int(4, 16));
  const keptOptional = random.shuffle(optional).slice(0, Math.max(0, informationalRoom));

  const items = [...essentials, ...keptVulnerabilities, ...keptOptional];
  if (items.length < MIN_ITEMS_PER_HOST) {
    throw new Error(`demo host ${host.fqdn} has ${items.length} report items, fewer than ${MIN_ITEMS_PER_HOST}: give it more services or traits`);
  }

  // Sorted by port, then plugin id, so the report reads service by service.
  return items.sort((left, right) => left.port - right.port || left.plugin.id - right.plugin.id);
}
