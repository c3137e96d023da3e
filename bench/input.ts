import { INFORMATIONAL_PLUGINS, VULNERABILITY_PLUGINS } from '../demo/generator/catalog';
import type { NessusHostRecord, NessusReportItem } from '../demo/generator/nessus-writer';
import type { SeededRandom } from '../demo/generator/random';
import type { DemoHost, OsRelease, PluginEntry, ServiceKind, Trait } from '../demo/generator/types';

// Benchmark input: H synthetic hosts carrying N findings between them, drawn from the demo's
// plugin catalog without its per-host rules, so any N and H can be produced. The rows are
// generated one host at a time and never held all at once.

/** First probe of the benchmark scan. */
export const BENCH_SCAN_START = new Date(Date.UTC(2026, 10, 23, 21, 0, 0));

/** Plugins in the order hosts take them. Vulnerabilities come first, so small reports are not all informational. */
const BENCH_PLUGINS: readonly PluginEntry[] = [...VULNERABILITY_PLUGINS, ...INFORMATIONAL_PLUGINS];

const DEFAULT_PORTS: Partial<Record<ServiceKind, { port: number; protocol: 'tcp' | 'udp'; svcName: string }>> = {
  dns: { port: 53, protocol: 'udp', svcName: 'dns' },
  msrpc: { port: 135, protocol: 'tcp', svcName: 'epmap' },
  ldap: { port: 389, protocol: 'tcp', svcName: 'ldap' },
  ldaps: { port: 636, protocol: 'tcp', svcName: 'ldap' },
  smb: { port: 445, protocol: 'tcp', svcName: 'cifs' },
  rdp: { port: 3389, protocol: 'tcp', svcName: 'msrdp' },
  http: { port: 80, protocol: 'tcp', svcName: 'www' },
  https: { port: 443, protocol: 'tcp', svcName: 'www' },
  'http-alt': { port: 8080, protocol: 'tcp', svcName: 'www' },
  ajp: { port: 8009, protocol: 'tcp', svcName: 'ajp13' },
  ssh: { port: 22, protocol: 'tcp', svcName: 'ssh' },
  smtp: { port: 25, protocol: 'tcp', svcName: 'smtp' },
  mssql: { port: 1433, protocol: 'tcp', svcName: 'mssql' },
  mysql: { port: 3306, protocol: 'tcp', svcName: 'mysql' },
  postgresql: { port: 5432, protocol: 'tcp', svcName: 'postgresql' },
  redis: { port: 6379, protocol: 'tcp', svcName: 'redis' },
  activemq: { port: 61616, protocol: 'tcp', svcName: 'activemq' },
  snmp: { port: 161, protocol: 'udp', svcName: 'snmp' },
  slp: { port: 427, protocol: 'udp', svcName: 'svrloc' },
  'smart-install': { port: 4786, protocol: 'tcp', svcName: 'smi' },
};

interface BenchProfile {
  osRelease: OsRelease;
  os: string;
  traits: Trait[];
}

const PROFILES: BenchProfile[] = [
  { osRelease: 'win2019', os: 'Microsoft Windows Server 2019 Standard', traits: ['windows', 'windows-server', 'credentialed', 'vmware-guest'] },
  { osRelease: 'win10-22h2', os: 'Microsoft Windows 10 Enterprise Build 19045', traits: ['windows', 'windows-workstation', 'credentialed'] },
  { osRelease: 'ubuntu2204', os: 'Linux Kernel 5.15.0-88-generic on Ubuntu 22.04', traits: ['linux', 'credentialed', 'vmware-guest'] },
  { osRelease: 'rhel8', os: 'Linux Kernel 4.18.0-477.27.1.el8_8.x86_64 on Red Hat Enterprise Linux release 8.8 (Ootpa)', traits: ['linux', 'credentialed', 'vmware-guest'] },
];

/** Returns the port a plugin reports on: its first service's well-known port, 443 for TLS checks, else port 0. */
function defaultTarget(plugin: PluginEntry): { port: number; protocol: 'tcp' | 'udp' | 'icmp'; svcName: string } {
  if (plugin.fixedPort) return plugin.fixedPort;
  const kind = plugin.services?.[0];
  const known = kind ? DEFAULT_PORTS[kind] : undefined;
  if (known) return known;
  if (plugin.onTls) return { port: 443, protocol: 'tcp', svcName: 'www' };
  if (plugin.allServices) return { port: 445, protocol: 'tcp', svcName: 'cifs' };
  return { port: 0, protocol: plugin.hostProtocol ?? 'tcp', svcName: 'general' };
}

function benchHost(index: number, random: SeededRandom): DemoHost {
  const profile = PROFILES[index % PROFILES.length];
  if (!profile) throw new Error('benchmark host profiles are empty');
  // 10.64.0.1 onwards, 254 hosts per /24: room for about 12 million hosts.
  const ip = `10.${64 + Math.floor(index / 65024)}.${Math.floor(index / 254) % 256}.${(index % 254) + 1}`;
  const hostname = `bench-${String(index + 1).padStart(6, '0')}`;
  const start = new Date(BENCH_SCAN_START.getTime() + index * 2000);
  return {
    name: ip,
    ip,
    fqdn: `${hostname}.bench.example`,
    netbiosName: profile.traits.includes('windows') ? hostname.toUpperCase() : undefined,
    os: profile.os,
    osRelease: profile.osRelease,
    systemType: 'general-purpose',
    mac: `00:50:56:${random.hex(2)}:${random.hex(2)}:${random.hex(2)}`,
    credentialed: true,
    traits: new Set(profile.traits),
    services: [],
    start,
    end: new Date(start.getTime() + random.int(300, 1500) * 1000),
  };
}

/**
 * Builds the items of one host: plugin k of the catalog for the k-th item, starting at an offset
 * that differs per host. When a host needs more items than the catalog has plugins, later rounds
 * report the same plugins on ports 20001, 20002, … so that (plugin, port) stays unique per host,
 * as Nessus output is.
 */
function benchItems(host: DemoHost, hostIndex: number, count: number, random: SeededRandom): NessusReportItem[] {
  const items: NessusReportItem[] = [];
  for (let index = 0; index < count; index += 1) {
    const plugin = BENCH_PLUGINS[(hostIndex * 7 + index) % BENCH_PLUGINS.length];
    if (!plugin) throw new Error('benchmark plugin catalog is empty');
    const round = Math.floor(index / BENCH_PLUGINS.length);
    const target = round === 0 ? defaultTarget(plugin) : { port: 20000 + round, protocol: 'tcp' as const, svcName: 'unknown' };
    const output = plugin.output?.({ host, random }) ?? '';
    items.push({ plugin, ...target, output });
  }
  return items;
}

/** Yields `hosts` hosts carrying `findings` report items in all, spread as evenly as possible. */
export function* benchHostRecords(findings: number, hosts: number, random: SeededRandom): Generator<NessusHostRecord> {
  const perHost = Math.floor(findings / hosts);
  const remainder = findings % hosts;
  for (let index = 0; index < hosts; index += 1) {
    const host = benchHost(index, random);
    const count = perHost + (index < remainder ? 1 : 0);
    yield { host, items: benchItems(host, index, count, random) };
  }
}
