import type { SeededRandom } from './random';
import type { DemoHost, HostService, OsRelease, Trait } from './types';

// The hosts of Harbourline Freight, a fictitious logistics company: an Active Directory domain
// (corp.harbourline.example), Windows servers and workstations, Linux web, application and
// database servers, network devices, and a DMZ in the RFC 5737 documentation ranges
// 203.0.113.0/24 and 198.51.100.0/24. Internal addresses are in 10.0.0.0/8.

export const INTERNAL_DOMAIN = 'corp.harbourline.example';
export const PUBLIC_DOMAIN = 'harbourline.example';

/** First scan probe of the demo scan. Fixed so that every generation gives the same file. */
export const SCAN_START = new Date(Date.UTC(2026, 10, 23, 21, 0, 0));

/** Address ranges the demo scan policy targets. */
export const SCAN_TARGETS = ['10.0.0.0/16', '10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16', '10.40.0.0/24', '203.0.113.0/24', '198.51.100.0/24'];

const OS_NAMES: Record<OsRelease, string> = {
  win2008r2: 'Microsoft Windows Server 2008 R2 Standard Service Pack 1',
  win2012r2: 'Microsoft Windows Server 2012 R2 Standard',
  win2016: 'Microsoft Windows Server 2016 Standard',
  win2019: 'Microsoft Windows Server 2019 Standard',
  win2022: 'Microsoft Windows Server 2022 Standard',
  'win10-1909': 'Microsoft Windows 10 Enterprise Build 18363',
  'win10-22h2': 'Microsoft Windows 10 Enterprise Build 19045',
  'win11-23h2': 'Microsoft Windows 11 Enterprise Build 22631',
  rhel8: 'Linux Kernel 4.18.0-477.27.1.el8_8.x86_64 on Red Hat Enterprise Linux release 8.8 (Ootpa)',
  rhel9: 'Linux Kernel 5.14.0-362.8.1.el9_3.x86_64 on Red Hat Enterprise Linux release 9.3 (Plow)',
  ubuntu2004: 'Linux Kernel 5.4.0-165-generic on Ubuntu 20.04',
  ubuntu2204: 'Linux Kernel 5.15.0-88-generic on Ubuntu 22.04',
  centos6: 'Linux Kernel 2.6.32-431.el6.x86_64 on CentOS release 6.5 (Final)',
  centos7: 'Linux Kernel 3.10.0-1160.el7.x86_64 on CentOS Linux release 7.9.2009 (Core)',
  debian11: 'Linux Kernel 5.10.0-26-amd64 on Debian 11.8',
  'debian-testing': 'Linux Kernel 6.6.15-amd64 on Debian GNU/Linux trixie/sid',
  photon3: 'VMware Photon OS 3.0 (vCenter Server Appliance 7.0.1)',
  'ios-xe': 'Cisco IOS XE 17.6.4',
  fortios: 'Fortinet FortiOS',
  panos: 'Palo Alto Networks PAN-OS 10.2.8',
  netscaler: 'Citrix NetScaler 13.1',
  bigip: 'F5 Networks BIG-IP 16.1.2',
  esxi7: 'VMware ESXi 7.0.1 build-16850804',
  'printer-firmware': 'HP LaserJet Enterprise M607 printer',
};

const SSH_BANNERS: Partial<Record<OsRelease, string>> = {
  rhel8: 'SSH-2.0-OpenSSH_8.0',
  rhel9: 'SSH-2.0-OpenSSH_8.7',
  ubuntu2004: 'SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.9',
  ubuntu2204: 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.4',
  centos6: 'SSH-2.0-OpenSSH_5.3',
  centos7: 'SSH-2.0-OpenSSH_7.4',
  debian11: 'SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u2',
  'debian-testing': 'SSH-2.0-OpenSSH_9.6p1 Debian-4',
  photon3: 'SSH-2.0-OpenSSH_8.8',
  esxi7: 'SSH-2.0-OpenSSH_8.3',
  'ios-xe': 'SSH-2.0-Cisco-1.25',
};

/** Releases whose OpenSSH is 8.5p1–9.7p1, the range affected by CVE-2024-6387. */
const REGRESSHION_RELEASES: OsRelease[] = ['rhel9', 'ubuntu2204', 'debian-testing', 'photon3'];

// Well-known ports, with Nessus's svc_name for each.
const SERVICE_PORTS = {
  dns: { kind: 'dns', port: 53, protocol: 'udp', svcName: 'dns', tls: false },
  kerberos: { kind: 'kerberos', port: 88, protocol: 'tcp', svcName: 'kerberos', tls: false },
  msrpc: { kind: 'msrpc', port: 135, protocol: 'tcp', svcName: 'epmap', tls: false },
  netbios: { kind: 'netbios', port: 139, protocol: 'tcp', svcName: 'smb', tls: false },
  ldap: { kind: 'ldap', port: 389, protocol: 'tcp', svcName: 'ldap', tls: false },
  ldaps: { kind: 'ldaps', port: 636, protocol: 'tcp', svcName: 'ldap', tls: true },
  smb: { kind: 'smb', port: 445, protocol: 'tcp', svcName: 'cifs', tls: false },
  rdp: { kind: 'rdp', port: 3389, protocol: 'tcp', svcName: 'msrdp', tls: true },
  winrm: { kind: 'winrm', port: 5985, protocol: 'tcp', svcName: 'www', tls: false },
  http: { kind: 'http', port: 80, protocol: 'tcp', svcName: 'www', tls: false },
  https: { kind: 'https', port: 443, protocol: 'tcp', svcName: 'www', tls: true },
  httpAlt: { kind: 'http-alt', port: 8080, protocol: 'tcp', svcName: 'www', tls: false },
  ajp: { kind: 'ajp', port: 8009, protocol: 'tcp', svcName: 'ajp13', tls: false },
  ssh: { kind: 'ssh', port: 22, protocol: 'tcp', svcName: 'ssh', tls: false },
  smtp: { kind: 'smtp', port: 25, protocol: 'tcp', svcName: 'smtp', tls: true },
  mssql: { kind: 'mssql', port: 1433, protocol: 'tcp', svcName: 'mssql', tls: true },
  mysql: { kind: 'mysql', port: 3306, protocol: 'tcp', svcName: 'mysql', tls: false },
  postgresql: { kind: 'postgresql', port: 5432, protocol: 'tcp', svcName: 'postgresql', tls: true },
  redis: { kind: 'redis', port: 6379, protocol: 'tcp', svcName: 'redis', tls: false },
  activemq: { kind: 'activemq', port: 61616, protocol: 'tcp', svcName: 'activemq', tls: false },
  snmp: { kind: 'snmp', port: 161, protocol: 'udp', svcName: 'snmp', tls: false },
  slp: { kind: 'slp', port: 427, protocol: 'udp', svcName: 'svrloc', tls: false },
  smartInstall: { kind: 'smart-install', port: 4786, protocol: 'tcp', svcName: 'smi', tls: false },
  kubelet: { kind: 'kubelet', port: 10250, protocol: 'tcp', svcName: 'www', tls: true },
  jetdirect: { kind: 'printer', port: 9100, protocol: 'tcp', svcName: 'jetdirect', tls: false },
} as const satisfies Record<string, HostService>;

type PortName = keyof typeof SERVICE_PORTS;

/** Returns a service on its well-known port, or on the port and with the banner given in `overrides`. */
function service(name: PortName, overrides: Partial<HostService> = {}): HostService {
  return { ...SERVICE_PORTS[name], ...overrides };
}

interface HostSpec {
  hostname: string;
  ip: string;
  osRelease: OsRelease;
  /** Overrides the operating-system name for releases whose name depends on the model. */
  os?: string;
  systemType?: string;
  traits: Trait[];
  services: HostService[];
  /** Defaults to true for Windows and Linux servers, false for appliances. */
  credentialed?: boolean;
  /** Physical hardware (no VMware MAC). */
  physical?: boolean;
}

const WINDOWS_RELEASES: OsRelease[] = ['win2008r2', 'win2012r2', 'win2016', 'win2019', 'win2022', 'win10-1909', 'win10-22h2', 'win11-23h2'];
const LINUX_RELEASES: OsRelease[] = ['rhel8', 'rhel9', 'ubuntu2004', 'ubuntu2204', 'centos6', 'centos7', 'debian11', 'debian-testing', 'photon3'];

/** Turns a spec into a host with the traits that follow from its release. */
function makeHost(spec: HostSpec, random: SeededRandom): DemoHost {
  const isWindows = WINDOWS_RELEASES.includes(spec.osRelease);
  const isLinux = LINUX_RELEASES.includes(spec.osRelease);
  const traits = new Set<Trait>(spec.traits);

  if (isWindows) {
    traits.add('windows');
    traits.add(spec.osRelease.startsWith('win1') ? 'windows-workstation' : 'windows-server');
    if (spec.osRelease === 'win2008r2' || spec.osRelease === 'win2012r2') traits.add('windows-legacy');
    if (spec.osRelease.startsWith('win10')) traits.add('windows10');
    if (spec.osRelease === 'win10-1909') traits.add('windows10-1909');
  }
  if (isLinux) {
    traits.add('linux');
    if (spec.osRelease === 'centos6' || spec.osRelease === 'centos7') traits.add('unsupported-linux');
    if (spec.osRelease === 'ubuntu2204' || spec.osRelease === 'rhel9') traits.add('glibc-2.35');
  }
  if (REGRESSHION_RELEASES.includes(spec.osRelease) && spec.services.some((entry) => entry.kind === 'ssh')) traits.add('openssh-8.5-9.7');

  const credentialed = spec.credentialed ?? (isWindows || isLinux);
  if (credentialed) traits.add('credentialed');
  if (!spec.physical && (isWindows || isLinux)) traits.add('vmware-guest');

  const isPublic = spec.ip.startsWith('203.0.113.') || spec.ip.startsWith('198.51.100.');
  if (isPublic) traits.add('internet-facing');

  const services = spec.services.map((entry) => (entry.kind === 'ssh' && !entry.banner ? { ...entry, banner: SSH_BANNERS[spec.osRelease] } : entry));

  return {
    name: spec.ip,
    ip: spec.ip,
    fqdn: `${spec.hostname}.${isPublic ? PUBLIC_DOMAIN : INTERNAL_DOMAIN}`,
    netbiosName: isWindows ? spec.hostname.toUpperCase().slice(0, 15) : undefined,
    os: spec.os ?? OS_NAMES[spec.osRelease],
    osRelease: spec.osRelease,
    systemType: spec.systemType ?? 'general-purpose',
    mac: macAddress(random, traits.has('vmware-guest')),
    credentialed,
    traits,
    services,
    // The estate builder sets the scan times, because they depend on the scan order.
    start: SCAN_START,
    end: SCAN_START,
  };
}

function macAddress(random: SeededRandom, vmware: boolean): string {
  const bytes = vmware ? ['00', '50', '56'] : ['02', random.hex(2), random.hex(2)];
  while (bytes.length < 6) bytes.push(random.hex(2));
  return bytes.join(':');
}

const WINDOWS_SERVER_BASE = [service('msrpc'), service('netbios'), service('smb'), service('rdp'), service('winrm')];

function windowsServers(): HostSpec[] {
  const iis = (version = '10.0'): HostService[] => [service('http', { banner: `Microsoft-IIS/${version}` }), service('https', { banner: `Microsoft-IIS/${version}` })];
  return [
    { hostname: 'dc01', ip: '10.10.0.10', osRelease: 'win2019', traits: ['dc', 'dns-server'], services: [service('dns'), service('kerberos'), service('ldap'), service('ldaps'), ...WINDOWS_SERVER_BASE] },
    { hostname: 'dc02', ip: '10.10.0.11', osRelease: 'win2019', traits: ['dc', 'dns-server'], services: [service('dns'), service('kerberos'), service('ldap'), service('ldaps'), ...WINDOWS_SERVER_BASE] },
    { hostname: 'dc03', ip: '10.10.0.12', osRelease: 'win2016', traits: ['dc', 'dns-server'], services: [service('dns'), service('kerberos'), service('ldap'), service('ldaps'), ...WINDOWS_SERVER_BASE] },
    { hostname: 'ca01', ip: '10.10.1.20', osRelease: 'win2019', traits: ['adcs', 'iis'], services: [...WINDOWS_SERVER_BASE, ...iis()] },
    { hostname: 'fs01', ip: '10.10.1.21', osRelease: 'win2019', traits: [], services: WINDOWS_SERVER_BASE },
    { hostname: 'fs02', ip: '10.10.1.22', osRelease: 'win2016', traits: [], services: WINDOWS_SERVER_BASE },
    { hostname: 'prt01', ip: '10.10.1.23', osRelease: 'win2016', traits: ['print-server'], services: WINDOWS_SERVER_BASE },
    { hostname: 'sccm01', ip: '10.10.1.24', osRelease: 'win2019', traits: ['iis'], services: [...WINDOWS_SERVER_BASE, ...iis()] },
    { hostname: 'wsus01', ip: '10.10.1.25', osRelease: 'win2016', traits: ['iis'], services: [...WINDOWS_SERVER_BASE, service('http', { port: 8530, banner: 'Microsoft-IIS/10.0' })] },
    { hostname: 'rds01', ip: '10.10.1.26', osRelease: 'win2019', traits: ['outlook'], services: WINDOWS_SERVER_BASE },
    { hostname: 'rds02', ip: '10.10.1.27', osRelease: 'win2019', traits: ['outlook'], services: WINDOWS_SERVER_BASE },
    { hostname: 'veeam01', ip: '10.10.1.28', osRelease: 'win2022', traits: [], services: [...WINDOWS_SERVER_BASE, service('https', { port: 9419, banner: 'Microsoft-HTTPAPI/2.0' })] },
    { hostname: 'hrapp01', ip: '10.10.1.29', osRelease: 'win2008r2', traits: ['iis'], services: [...WINDOWS_SERVER_BASE, ...iis('7.5')] },
    { hostname: 'erp02', ip: '10.10.1.30', osRelease: 'win2012r2', traits: ['iis'], services: [...WINDOWS_SERVER_BASE, ...iis('8.5')] },
    { hostname: 'itsupport01', ip: '10.10.1.31', osRelease: 'win2019', traits: ['screenconnect'], services: [...WINDOWS_SERVER_BASE, service('httpAlt', { port: 8040, banner: 'ScreenConnect/23.9.7.8804-1287645203 Microsoft-HTTPAPI/2.0' })] },
    { hostname: 'helpdesk01', ip: '10.10.1.32', osRelease: 'win2016', traits: ['manageengine'], services: [...WINDOWS_SERVER_BASE, service('httpAlt', { banner: 'ManageEngine ServiceDesk Plus' })] },
    { hostname: 'exch01', ip: '10.10.2.10', osRelease: 'win2019', traits: ['exchange', 'iis'], services: [service('smtp', { banner: 'Microsoft ESMTP MAIL Service' }), ...WINDOWS_SERVER_BASE, ...iis()] },
    { hostname: 'exch02', ip: '10.10.2.11', osRelease: 'win2016', traits: ['exchange', 'iis'], services: [service('smtp', { banner: 'Microsoft ESMTP MAIL Service' }), ...WINDOWS_SERVER_BASE, ...iis()] },
    { hostname: 'sql01', ip: '10.10.3.10', osRelease: 'win2016', traits: ['sql-server', 'ssrs'], services: [...WINDOWS_SERVER_BASE, service('mssql'), service('http', { banner: 'Microsoft-HTTPAPI/2.0' })] },
    { hostname: 'sql02', ip: '10.10.3.11', osRelease: 'win2019', traits: ['sql-server'], services: [...WINDOWS_SERVER_BASE, service('mssql')] },
    { hostname: 'mft01', ip: '203.0.113.25', osRelease: 'win2019', traits: ['moveit', 'iis'], services: [service('https', { banner: 'Microsoft-IIS/10.0' }), service('ssh', { banner: 'SSH-2.0-MOVEit Transfer SFTP' })] },
  ];
}

/** 24 workstations: 3 still on Windows 10 1909, 15 on Windows 10 22H2 and 6 on Windows 11 23H2. */
function workstations(): HostSpec[] {
  const departments = ['fin', 'ops', 'hr', 'it', 'sales', 'dispatch'];
  const specs: HostSpec[] = [];
  for (let index = 0; index < 24; index += 1) {
    let osRelease: OsRelease = 'win11-23h2';
    if (index < 3) osRelease = 'win10-1909';
    else if (index < 18) osRelease = 'win10-22h2';
    const department = departments[index % departments.length] ?? 'ops';
    const services = [service('msrpc'), service('netbios'), service('smb')];
    if (department === 'it') services.push(service('rdp'));
    specs.push({
      hostname: `ws-${department}-${String(101 + index).padStart(3, '0')}`,
      ip: `10.30.${10 + (index % 6)}.${20 + index}`,
      osRelease,
      traits: index % 5 === 4 ? [] : ['outlook'],
      services,
      physical: true,
    });
  }
  return specs;
}

function linuxServers(): HostSpec[] {
  const ssh = service('ssh');
  return [
    { hostname: 'web01', ip: '10.20.1.10', osRelease: 'ubuntu2004', traits: ['apache'], services: [ssh, service('http', { banner: 'Apache/2.4.41 (Ubuntu)' }), service('https', { banner: 'Apache/2.4.41 (Ubuntu)' })] },
    { hostname: 'web02', ip: '10.20.1.11', osRelease: 'rhel8', traits: ['apache', 'apache-2.4.48'], services: [ssh, service('http', { banner: 'Apache/2.4.37 (Red Hat Enterprise Linux)' }), service('https', { banner: 'Apache/2.4.37 (Red Hat Enterprise Linux)' })] },
    { hostname: 'web03', ip: '10.20.1.12', osRelease: 'centos7', traits: ['apache', 'apache-2.4.49'], services: [ssh, service('http', { banner: 'Apache/2.4.49 (Unix)' }), service('https', { banner: 'Apache/2.4.49 (Unix) OpenSSL/1.0.2k-fips' })] },
    { hostname: 'web04', ip: '10.20.1.13', osRelease: 'ubuntu2204', traits: ['nginx', 'http2'], services: [ssh, service('http', { banner: 'nginx/1.18.0 (Ubuntu)' }), service('https', { banner: 'nginx/1.18.0 (Ubuntu)' })] },
    { hostname: 'intranet01', ip: '10.20.1.14', osRelease: 'ubuntu2204', traits: ['apache', 'http2'], services: [ssh, service('https', { banner: 'Apache/2.4.52 (Ubuntu)' })] },
    { hostname: 'app01', ip: '10.20.2.10', osRelease: 'rhel8', traits: ['java', 'log4j-2.14', 'spring-mvc', 'tomcat-ajp'], services: [ssh, service('httpAlt', { banner: 'Apache-Coyote/1.1' }), service('ajp')] },
    { hostname: 'app02', ip: '10.20.2.11', osRelease: 'rhel8', traits: ['java', 'log4j-2.14'], services: [ssh, service('httpAlt', { banner: 'Apache-Coyote/1.1' })] },
    { hostname: 'app03', ip: '10.20.2.12', osRelease: 'ubuntu2004', traits: ['java', 'spring-mvc'], services: [ssh, service('httpAlt', { banner: 'Apache-Coyote/1.1' }), service('ajp')] },
    { hostname: 'app04', ip: '10.20.2.13', osRelease: 'ubuntu2204', traits: ['java'], services: [ssh, service('httpAlt', { banner: 'Apache-Coyote/1.1' })] },
    { hostname: 'app05', ip: '10.20.2.14', osRelease: 'rhel9', traits: ['java', 'log4j-2.14'], services: [ssh, service('httpAlt', { banner: 'Apache-Coyote/1.1' })] },
    { hostname: 'app06', ip: '10.20.2.15', osRelease: 'centos7', traits: ['java', 'struts', 'tomcat-ajp'], services: [ssh, service('httpAlt', { banner: 'Apache-Coyote/1.1' }), service('ajp')] },
    { hostname: 'db01', ip: '10.20.3.10', osRelease: 'ubuntu2204', traits: ['postgresql'], services: [ssh, service('postgresql')] },
    { hostname: 'db02', ip: '10.20.3.11', osRelease: 'ubuntu2204', traits: ['postgresql'], services: [ssh, service('postgresql')] },
    { hostname: 'db03', ip: '10.20.3.12', osRelease: 'rhel8', traits: ['postgresql'], services: [ssh, service('postgresql')] },
    { hostname: 'db04', ip: '10.20.3.13', osRelease: 'centos7', traits: ['mysql-5.5'], services: [ssh, service('mysql')] },
    { hostname: 'cache01', ip: '10.20.3.20', osRelease: 'debian11', traits: ['redis-debian'], services: [ssh, service('redis')] },
    { hostname: 'jenkins01', ip: '10.20.4.10', osRelease: 'ubuntu2204', traits: ['jenkins', 'java'], services: [ssh, service('httpAlt', { banner: 'Jetty(10.0.18)' })] },
    { hostname: 'gitlab01', ip: '10.20.4.11', osRelease: 'ubuntu2004', traits: ['gitlab', 'nginx'], services: [ssh, service('http', { banner: 'nginx' }), service('https', { banner: 'nginx' })] },
    { hostname: 'wiki01', ip: '10.20.4.12', osRelease: 'ubuntu2204', traits: ['confluence', 'java'], services: [ssh, service('httpAlt', { port: 8090, banner: 'Apache-Coyote/1.1' })] },
    { hostname: 'mq01', ip: '10.20.4.13', osRelease: 'rhel8', traits: ['activemq', 'java'], services: [ssh, service('activemq'), service('httpAlt', { port: 8161, banner: 'Jetty(9.4.51.v20230217)' })] },
    { hostname: 'mon01', ip: '10.20.4.14', osRelease: 'rhel9', traits: ['nginx', 'http2'], services: [ssh, service('https', { banner: 'nginx/1.20.1' }), service('snmp')] },
    { hostname: 'bastion01', ip: '10.20.4.15', osRelease: 'rhel9', traits: [], services: [ssh] },
    { hostname: 'build03', ip: '10.20.4.16', osRelease: 'debian-testing', traits: ['xz-5.6'], services: [ssh] },
    { hostname: 'relay01', ip: '10.20.4.17', osRelease: 'debian11', traits: [], services: [ssh, service('smtp', { banner: 'Postfix' })] },
    { hostname: 'k8s-node01', ip: '10.20.5.10', osRelease: 'ubuntu2204', traits: [], services: [ssh, service('kubelet')] },
    { hostname: 'k8s-node02', ip: '10.20.5.11', osRelease: 'ubuntu2204', traits: [], services: [ssh, service('kubelet')] },
    { hostname: 'k8s-node03', ip: '10.20.5.12', osRelease: 'ubuntu2204', traits: [], services: [ssh, service('kubelet')] },
  ];
}

function internetFacingHosts(): HostSpec[] {
  return [
    { hostname: 'www', ip: '203.0.113.10', osRelease: 'ubuntu2204', traits: ['nginx', 'http2'], services: [service('http', { banner: 'nginx/1.24.0' }), service('https', { banner: 'nginx/1.24.0' })] },
    { hostname: 'api', ip: '203.0.113.11', osRelease: 'ubuntu2204', traits: ['nginx', 'http2'], services: [service('https', { banner: 'nginx/1.24.0' })] },
    { hostname: 'mx01', ip: '203.0.113.30', osRelease: 'debian11', traits: [], services: [service('smtp', { banner: 'Postfix' })] },
    { hostname: 'sftp', ip: '198.51.100.20', osRelease: 'ubuntu2204', traits: [], services: [service('ssh')] },
    { hostname: 'partners', ip: '198.51.100.40', osRelease: 'centos6', traits: ['openssl-1.0.1'], services: [service('ssh'), service('http', { banner: 'Apache/2.2.15 (CentOS)' }), service('https', { banner: 'Apache/2.2.15 (CentOS) OpenSSL/1.0.1e-fips' })] },
    { hostname: 'fw-edge01', ip: '203.0.113.1', osRelease: 'panos', systemType: 'firewall', traits: ['panos', 'network-device'], services: [service('https', { banner: 'PanWeb Server/ -' })], physical: true },
    { hostname: 'vpn', ip: '203.0.113.2', osRelease: 'fortios', os: 'Fortinet FortiOS 7.2.6 on FortiGate-200F', systemType: 'firewall', traits: ['fortios-7.2', 'network-device'], services: [service('https', { banner: 'xxxxxxxx-xxxxx' })], physical: true },
    { hostname: 'lb01', ip: '203.0.113.5', osRelease: 'bigip', systemType: 'load-balancer', traits: ['bigip', 'network-device'], services: [service('https', { banner: 'Apache' })], physical: true },
    { hostname: 'gateway', ip: '203.0.113.20', osRelease: 'netscaler', systemType: 'load-balancer', traits: ['netscaler', 'network-device'], services: [service('https', { banner: 'Apache' })], physical: true },
    { hostname: 'branch-vpn', ip: '198.51.100.1', osRelease: 'fortios', os: 'Fortinet FortiOS 6.0.4 on FortiGate-60E', systemType: 'firewall', traits: ['fortios-6.0', 'network-device'], services: [service('https', { banner: 'xxxxxxxx-xxxxx' })], physical: true },
  ];
}

function networkDevices(): HostSpec[] {
  const catalyst9500 = 'Cisco IOS XE 17.6.4 on Catalyst 9500';
  const catalyst2960 = 'Cisco IOS 15.2(2)E6 on Catalyst 2960-X';
  return [
    { hostname: 'core-sw01', ip: '10.0.0.2', osRelease: 'ios-xe', os: catalyst9500, systemType: 'switch', traits: ['cisco-ios-xe', 'network-device', 'snmp-public'], services: [service('ssh'), service('https', { banner: 'openresty' }), service('snmp')], physical: true },
    { hostname: 'core-sw02', ip: '10.0.0.3', osRelease: 'ios-xe', os: catalyst9500, systemType: 'switch', traits: ['cisco-ios-xe', 'network-device'], services: [service('ssh'), service('https', { banner: 'openresty' }), service('snmp')], physical: true },
    { hostname: 'wlc01', ip: '10.0.0.10', osRelease: 'ios-xe', os: 'Cisco IOS XE 17.9.3 on Catalyst 9800-40 Wireless Controller', systemType: 'wireless-access-point', traits: ['cisco-ios-xe', 'network-device'], services: [service('ssh'), service('https', { banner: 'openresty' })], physical: true },
    ...[2, 3, 4].map((last, index): HostSpec => ({
      hostname: `dist-sw0${index + 1}`,
      ip: `10.0.1.${last}`,
      osRelease: 'ios-xe',
      os: catalyst2960,
      systemType: 'switch',
      traits: ['cisco-smart-install', 'network-device', 'snmp-public'],
      services: [service('ssh', { banner: 'SSH-1.99-Cisco-1.25' }), service('smartInstall'), service('snmp')],
      physical: true,
    })),
    ...[11, 12, 13].map((last, index): HostSpec => ({
      hostname: `esx0${index + 1}`,
      ip: `10.40.0.${last}`,
      osRelease: 'esxi7',
      systemType: 'hypervisor',
      traits: ['esxi'],
      services: [service('ssh'), service('https', { banner: 'VMware ESXi Server httpd' }), service('slp')],
      credentialed: false,
      physical: true,
    })),
    { hostname: 'vcsa01', ip: '10.40.0.10', osRelease: 'photon3', traits: ['vcenter'], services: [service('ssh'), service('https', { banner: 'envoy' })], credentialed: false },
    ...[10, 11, 12].map((last, index): HostSpec => ({
      hostname: `prn-hq-0${index + 1}`,
      ip: `10.30.90.${last}`,
      osRelease: 'printer-firmware',
      systemType: 'printer',
      traits: ['printer', 'snmp-public'],
      services: [service('http', { banner: 'HP HTTP Server; HP LaserJet M607 - K0Q14A' }), service('https', { banner: 'HP HTTP Server; HP LaserJet M607 - K0Q14A' }), service('jetdirect'), service('snmp')],
      physical: true,
    })),
  ];
}

/** Builds every host of the demo estate, in scan order. Scan times are set by the caller. */
export function buildHosts(random: SeededRandom): DemoHost[] {
  const specs = [...networkDevices(), ...windowsServers(), ...linuxServers(), ...workstations(), ...internetFacingHosts()];
  return specs.map((spec) => makeHost(spec, random));
}
