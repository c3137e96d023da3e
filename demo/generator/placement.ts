import type { NessusReportItem } from './nessus-writer';
import type { SeededRandom } from './random';
import type { DemoHost, HostService, PluginEntry } from './types';

/** A port a plugin reports on; `service` is absent for fixed ports the host does not list. */
interface PortTarget {
  port: number;
  protocol: HostService['protocol'];
  svcName: string;
  service?: HostService;
}

function targetOf(service: HostService): PortTarget {
  return { port: service.port, protocol: service.protocol, svcName: service.svcName, service };
}

/** Returns whether the host has every trait and release the plugin needs, none it excludes, and its service. */
export function pluginApplies(plugin: PluginEntry, host: DemoHost): boolean {
  if (!plugin.requires.every((trait) => host.traits.has(trait))) return false;
  if (plugin.excludes?.some((trait) => host.traits.has(trait))) return false;
  if (plugin.osReleases && !plugin.osReleases.includes(host.osRelease)) return false;
  return portTargets(plugin, host) !== undefined;
}

/**
 * Returns the ports a plugin reports on, `[]` for a host-level (port 0) report, or undefined when
 * the host lacks the service the plugin needs.
 */
function portTargets(plugin: PluginEntry, host: DemoHost): PortTarget[] | undefined {
  if (plugin.fixedPort) return [{ ...plugin.fixedPort }];
  if (plugin.allServices) {
    const services = plugin.allServices === 'tcp' ? host.services.filter((service) => service.protocol === 'tcp') : host.services;
    return services.length > 0 ? services.map(targetOf) : undefined;
  }

  let matching: HostService[];
  if (plugin.onTls) matching = host.services.filter((service) => service.tls);
  else if (plugin.services) matching = host.services.filter((service) => plugin.services?.includes(service.kind));
  else return [];

  if (matching.length === 0) return undefined;
  return (plugin.eachService ? matching : matching.slice(0, 1)).map(targetOf);
}

/** Builds the ReportItems of one plugin on one host; call only when `pluginApplies` is true. */
export function placePlugin(plugin: PluginEntry, host: DemoHost, random: SeededRandom): NessusReportItem[] {
  const targets = portTargets(plugin, host) ?? [];
  if (targets.length === 0) {
    const protocol = plugin.hostProtocol ?? 'tcp';
    return [{ plugin, port: 0, protocol, svcName: 'general', output: plugin.output?.({ host, random }) ?? '' }];
  }
  return targets.map((target) => ({
    plugin,
    port: target.port,
    protocol: target.protocol,
    svcName: target.svcName,
    output: plugin.output?.({ host, service: target.service, random }) ?? '',
  }));
}
