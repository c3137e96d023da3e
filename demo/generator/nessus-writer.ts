import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pluginSeverity } from './catalog';
import { NESSUS_RISK_FACTORS } from './cvss';
import type { DemoHost, PluginEntry } from './types';

// Writes Nessus v2 (.nessus) XML: NessusClientData_v2 > Policy, Report > ReportHost >
// HostProperties + ReportItem. Element order and date formats follow what Nessus 10 exports.

/** One ReportItem: a plugin reported on one port of one host. */
export interface NessusReportItem {
  plugin: PluginEntry;
  port: number;
  protocol: 'tcp' | 'udp' | 'icmp';
  svcName: string;
  /** `plugin_output`; omitted when empty. */
  output: string;
}

export interface NessusHostRecord {
  host: DemoHost;
  items: NessusReportItem[];
}

export interface NessusReportOptions {
  policyName: string;
  reportName: string;
  scanStart: Date;
  /** Scan targets as written in the policy's TARGET preference, e.g. CIDR ranges. */
  targets: string[];
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Formats a date as Nessus writes HOST_START and HOST_END (C `asctime` without the newline),
 * e.g. `Mon Jul  1 11:40:48 2013`: the day of the month is padded with a space. Uses UTC, as the
 * scanner of this demo runs in UTC.
 */
export function formatNessusDate(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const weekday = WEEKDAYS[date.getUTCDay()] ?? '';
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const day = String(date.getUTCDate()).padStart(2, ' ');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${weekday} ${month} ${day} ${time} ${date.getUTCFullYear()}`;
}

function element(name: string, value: string | number): string {
  return `<${name}>${escapeXml(String(value))}</${name}>\n`;
}

export function renderHeader(options: NessusReportOptions): string {
  const serverPreferences: [string, string][] = [
    ['max_hosts', '30'],
    ['max_checks', '4'],
    ['port_range', 'default'],
    ['safe_checks', 'yes'],
    ['report_verbosity', '1'],
    ['scan_start_timestamp', String(Math.floor(options.scanStart.getTime() / 1000))],
    ['TARGET', options.targets.join(',')],
  ];
  const preferences = serverPreferences.map(([name, value]) => `<preference><name>${escapeXml(name)}</name>\n<value>${escapeXml(value)}</value>\n</preference>\n`).join('');
  return [
    '<?xml version="1.0" ?>\n',
    '<NessusClientData_v2>\n',
    `<Policy><policyName>${escapeXml(options.policyName)}</policyName>\n`,
    '<Preferences><ServerPreferences>',
    preferences,
    '</ServerPreferences>\n',
    '<PluginsPreferences><item><pluginName>Ping the remote host</pluginName>\n<pluginId>10180</pluginId>\n<fullName>Ping the remote host[checkbox]:Do an ARP ping</fullName>\n<preferenceName>Do an ARP ping</preferenceName>\n<preferenceType>checkbox</preferenceType>\n<preferenceValues>yes</preferenceValues>\n<selectedValue>yes</selectedValue>\n</item>\n</PluginsPreferences>\n',
    '</Preferences>\n',
    '<FamilySelection><FamilyItem><FamilyName>Windows</FamilyName>\n<Status>enabled</Status>\n</FamilyItem>\n<FamilyItem><FamilyName>General</FamilyName>\n<Status>enabled</Status>\n</FamilyItem>\n</FamilySelection>\n',
    '</Policy>\n',
    `<Report name="${escapeXml(options.reportName)}" xmlns:cm="http://www.nessus.org/cm">\n`,
  ].join('');
}

export function renderFooter(): string {
  return '</Report>\n</NessusClientData_v2>\n';
}

function renderHostProperties(record: NessusHostRecord): string {
  const { host } = record;
  const cveCount = new Set(record.items.flatMap((item) => item.plugin.cves ?? [])).size;
  const tags: [string, string][] = [
    ['HOST_END', formatNessusDate(host.end)],
    ['patch-summary-total-cves', String(cveCount)],
    ['Credentialed_Scan', host.credentialed ? 'true' : 'false'],
    ['policy-used', 'Harbourline Weekly Infrastructure Scan'],
    ['system-type', host.systemType],
    ['operating-system', host.os],
    ['mac-address', host.mac],
    ['traceroute-hop-0', '10.0.5.1'],
    ['host-ip', host.ip],
    ['host-fqdn', host.fqdn],
  ];
  if (host.netbiosName) tags.push(['netbios-name', host.netbiosName]);
  tags.push(['HOST_START', formatNessusDate(host.start)]);
  return `<HostProperties>\n${tags.map(([name, value]) => `<tag name="${escapeXml(name)}">${escapeXml(value)}</tag>\n`).join('')}</HostProperties>\n`;
}

function renderItem(item: NessusReportItem): string {
  const { plugin } = item;
  const severity = pluginSeverity(plugin);
  const attributes = `port="${item.port}" svc_name="${escapeXml(item.svcName)}" protocol="${item.protocol}" severity="${severity}" pluginID="${plugin.id}" pluginName="${escapeXml(plugin.name)}" pluginFamily="${escapeXml(plugin.family)}"`;

  // Children in the alphabetical order Nessus uses, with plugin_output last.
  let body = '';
  if (plugin.cpe) body += element('cpe', plugin.cpe);
  for (const cve of plugin.cves ?? []) body += element('cve', cve);
  if (plugin.cvss3) {
    body += element('cvss3_base_score', plugin.cvss3.score.toFixed(1));
    body += element('cvss3_vector', plugin.cvss3.vector);
  }
  if (plugin.cvss2) {
    body += element('cvss_base_score', plugin.cvss2.score.toFixed(1));
    body += element('cvss_vector', `CVSS2#${plugin.cvss2.vector}`);
  }
  for (const cwe of plugin.cwes ?? []) body += element('cwe', cwe);
  body += element('description', plugin.description);
  if (plugin.exploitAvailable !== undefined) {
    body += element('exploit_available', plugin.exploitAvailable ? 'true' : 'false');
    if (plugin.metasploit) body += element('exploit_framework_metasploit', 'true');
    body += element('exploitability_ease', plugin.exploitAvailable ? 'Exploits are available' : 'No known exploits are available');
  }
  body += element('fname', plugin.script);
  if (plugin.patchPublished) body += element('patch_publication_date', plugin.patchPublished);
  body += element('plugin_modification_date', modificationDate(plugin));
  body += element('plugin_name', plugin.name);
  body += element('plugin_publication_date', plugin.published);
  body += element('plugin_type', plugin.type);
  body += element('risk_factor', NESSUS_RISK_FACTORS[severity]);
  body += element('script_version', '1.' + String(plugin.id % 97 + 3));
  if (plugin.seeAlso && plugin.seeAlso.length > 0) body += element('see_also', plugin.seeAlso.join('\n'));
  body += element('solution', plugin.solution);
  body += element('synopsis', plugin.synopsis);
  if (plugin.vulnPublished) body += element('vuln_publication_date', plugin.vulnPublished);
  for (const xref of plugin.xrefs ?? []) body += element('xref', xref);
  if (item.output) body += element('plugin_output', item.output);

  return `<ReportItem ${attributes}>\n${body}</ReportItem>\n`;
}

/** Returns a fixed modification date between the plugin's publication and 2026/11/20, derived from its id. */
function modificationDate(plugin: PluginEntry): string {
  const published = Number(plugin.published.slice(0, 4));
  const year = Math.max(published, 2024 + (plugin.id % 3));
  const month = year === 2026 ? (plugin.id % 10) + 1 : (plugin.id % 12) + 1;
  const day = (plugin.id % 27) + 1;
  return `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`;
}

export function renderHost(record: NessusHostRecord): string {
  return `<ReportHost name="${escapeXml(record.host.name)}">${renderHostProperties(record)}${record.items.map(renderItem).join('')}</ReportHost>\n`;
}

/**
 * Streams a .nessus file to `path`, one host at a time, so that a report with millions of
 * findings needs memory for one host only. Returns the number of bytes written.
 */
export async function writeNessusFile(path: string, options: NessusReportOptions, hosts: Iterable<NessusHostRecord>): Promise<number> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('close', resolve);
  });
  // The writes below report a stream error themselves; this keeps an early one from being unhandled.
  finished.catch(() => undefined);
  let bytes = 0;

  const write = async (chunk: string): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!stream.write(chunk)) await once(stream, 'drain');
  };

  try {
    await write(renderHeader(options));
    for (const record of hosts) await write(renderHost(record));
    await write(renderFooter());
  } catch (error) {
    stream.destroy();
    throw error;
  }
  stream.end();
  await finished;
  return bytes;
}
