import type { SeededRandom } from './random';

/** A network service a host exposes, as Nessus names it in `svc_name`. */
export type ServiceKind =
  | 'dns'
  | 'kerberos'
  | 'msrpc'
  | 'netbios'
  | 'ldap'
  | 'ldaps'
  | 'smb'
  | 'rdp'
  | 'winrm'
  | 'http'
  | 'https'
  | 'http-alt'
  | 'ajp'
  | 'ssh'
  | 'smtp'
  | 'mssql'
  | 'mysql'
  | 'postgresql'
  | 'redis'
  | 'activemq'
  | 'snmp'
  | 'slp'
  | 'smart-install'
  | 'kubelet'
  | 'printer';

export interface HostService {
  kind: ServiceKind;
  port: number;
  protocol: 'tcp' | 'udp';
  /** Nessus `svc_name`, e.g. `cifs`, `www`, `msrdp`. */
  svcName: string;
  /** Whether the service speaks TLS, so the SSL/TLS plugins apply to it. */
  tls: boolean;
  /** Banner or product string for the version plugins, e.g. `Apache/2.4.49 (Ubuntu)`. */
  banner?: string;
}

/**
 * Operating system release, used both for the `operating-system` tag and to choose the package
 * versions that local-check plugins print.
 */
export type OsRelease =
  | 'win2008r2'
  | 'win2012r2'
  | 'win2016'
  | 'win2019'
  | 'win2022'
  | 'win10-1909'
  | 'win10-22h2'
  | 'win11-23h2'
  | 'rhel8'
  | 'rhel9'
  | 'ubuntu2004'
  | 'ubuntu2204'
  | 'centos6'
  | 'centos7'
  | 'debian11'
  | 'debian-testing'
  | 'photon3'
  | 'ios-xe'
  | 'fortios'
  | 'panos'
  | 'netscaler'
  | 'bigip'
  | 'esxi7'
  | 'printer-firmware';

/**
 * A property of a host that decides which vulnerabilities can appear on it, e.g. the role
 * (`dc`), an installed product (`tomcat`) or an exposure (`internet-facing`).
 */
export type Trait =
  | 'windows'
  | 'windows-server'
  | 'windows-workstation'
  | 'windows-legacy'
  | 'windows10'
  | 'windows10-1909'
  | 'dc'
  | 'exchange'
  | 'iis'
  | 'sql-server'
  | 'ssrs'
  | 'print-server'
  | 'adcs'
  | 'moveit'
  | 'screenconnect'
  | 'manageengine'
  | 'outlook'
  | 'linux'
  | 'unsupported-linux'
  | 'apache'
  | 'apache-2.4.48'
  | 'apache-2.4.49'
  | 'nginx'
  | 'http2'
  | 'java'
  | 'log4j-2.14'
  | 'spring-mvc'
  | 'struts'
  | 'tomcat-ajp'
  | 'confluence'
  | 'jenkins'
  | 'gitlab'
  | 'activemq'
  | 'postgresql'
  | 'mysql-5.5'
  | 'redis-debian'
  | 'openssh-8.5-9.7'
  | 'openssh'
  | 'openssl-1.0.1'
  | 'xz-5.6'
  | 'glibc-2.35'
  | 'network-device'
  | 'cisco-ios-xe'
  | 'cisco-smart-install'
  | 'fortios-6.0'
  | 'fortios-7.2'
  | 'panos'
  | 'netscaler'
  | 'bigip'
  | 'esxi'
  | 'vcenter'
  | 'printer'
  | 'snmp-public'
  | 'internet-facing'
  | 'dns-server'
  | 'vmware-guest'
  | 'credentialed';

export interface DemoHost {
  /** Nessus `ReportHost name`: the target as scanned, here always the IP address. */
  name: string;
  ip: string;
  fqdn: string;
  netbiosName?: string;
  os: string;
  osRelease: OsRelease;
  /** Nessus `system-type`, e.g. `general-purpose`, `router`, `printer`. */
  systemType: string;
  mac: string;
  credentialed: boolean;
  traits: ReadonlySet<Trait>;
  services: HostService[];
  start: Date;
  end: Date;
}

/** Input of a plugin's output template. */
export interface OutputContext {
  host: DemoHost;
  service?: HostService;
  random: SeededRandom;
}

export interface CvssScore {
  vector: string;
  score: number;
}

/**
 * One Nessus plugin as the demo writes it. Severity and risk factor are not stored: they follow
 * from the CVSS v3 score, or the v2 score when the plugin has no v3 score, or are 0/None.
 */
export interface PluginEntry {
  id: number;
  name: string;
  family: string;
  /** Nessus script file name (`fname`). */
  script: string;
  type: 'remote' | 'local' | 'combined' | 'summary';
  synopsis: string;
  description: string;
  solution: string;
  seeAlso?: string[];
  cves?: string[];
  /** CWE numbers, written as Nessus does (`<cwe>20</cwe>`). */
  cwes?: number[];
  /** CVSS v2 vector without the `CVSS2#` prefix. */
  cvss2?: CvssScore;
  /** CVSS v3 vector with its `CVSS:3.0/` or `CVSS:3.1/` prefix. */
  cvss3?: CvssScore;
  exploitAvailable?: boolean;
  metasploit?: boolean;
  /** Cross references such as `MSFT:MS17-010` or `CISA-KNOWN-EXPLOITED:2021/12/24`. */
  xrefs?: string[];
  cpe?: string;
  /** `YYYY/MM/DD`, as Nessus writes dates inside a plugin. */
  published: string;
  vulnPublished?: string;
  patchPublished?: string;
  /** Every trait a host needs before the plugin can report on it. */
  requires: Trait[];
  /** Traits that rule the plugin out, e.g. domain controllers for "SMB signing not required". */
  excludes?: Trait[];
  /** Releases the plugin applies to; any release when absent. */
  osReleases?: OsRelease[];
  /** Services the plugin reports on. Without services or `onTls` it reports on port 0. */
  services?: ServiceKind[];
  /** Report on the host's TLS services (any kind). */
  onTls?: boolean;
  /** Report once for every matching service instead of once on the first. */
  eachService?: boolean;
  /** Report on every open service, or on every open TCP service (port scanner results). */
  allServices?: 'all' | 'tcp';
  /** Report on this port whether or not the host lists it as a service. */
  fixedPort?: { port: number; protocol: HostService['protocol']; svcName: string };
  /** Protocol of a port-0 report; Nessus uses `icmp` for ICMP checks and `udp` for traceroute. */
  hostProtocol?: 'tcp' | 'udp' | 'icmp';
  /** Share of matching hosts that have the finding, 0–1. */
  prevalence: number;
  output?: (context: OutputContext) => string;
}
