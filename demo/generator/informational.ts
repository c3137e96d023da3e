import type { OutputContext, PluginEntry, ServiceKind } from './types';

// Informational plugins (severity 0) that Nessus reports on nearly every host: scan settings,
// service and OS detection, TLS and SSH inventories. Ids and names follow Nessus's well-known
// informational plugins; the prose is written for this demo.

/** Scanner address printed by the scan-information and traceroute plugins. */
export const SCANNER_IP = '10.0.5.20';

const SERVICE_LABELS: Record<ServiceKind, string> = {
  dns: 'A DNS server',
  kerberos: 'A Kerberos server',
  msrpc: 'A DCE/RPC endpoint mapper',
  netbios: 'A NetBIOS session service',
  ldap: 'An LDAP server',
  ldaps: 'An LDAP server over TLS',
  smb: 'A SMB server',
  rdp: 'A Terminal Services (RDP) server',
  winrm: 'A WinRM server over HTTP',
  http: 'A web server',
  https: 'A TLS-encrypted web server',
  'http-alt': 'A web server',
  ajp: 'An AJP13 connector',
  ssh: 'An SSH server',
  smtp: 'An SMTP server',
  mssql: 'A Microsoft SQL Server',
  mysql: 'A MySQL server',
  postgresql: 'A PostgreSQL server',
  redis: 'A Redis server',
  activemq: 'An ActiveMQ OpenWire broker',
  snmp: 'An SNMP agent',
  slp: 'A Service Location Protocol agent',
  'smart-install': 'A Cisco Smart Install client',
  kubelet: 'A Kubernetes kubelet API over TLS',
  printer: 'An HP JetDirect printer service',
};

function scanInformation({ host }: OutputContext): string {
  const start = host.start;
  const startText = `${start.getUTCFullYear()}/${start.getUTCMonth() + 1}/${start.getUTCDate()} ${start.getUTCHours()}:${String(start.getUTCMinutes()).padStart(2, '0')}`;
  const durationSeconds = Math.round((host.end.getTime() - host.start.getTime()) / 1000);
  return [
    'Information about this scan : ',
    '',
    'Nessus version : 10.8.3',
    'Nessus build : 20010',
    'Plugin feed version : 202611230514',
    'Scanner edition used : Nessus',
    `Scanner IP : ${SCANNER_IP}`,
    'Port scanner(s) : nessus_syn_scanner ',
    'Port range : default',
    'Ping RTT : 1.402 ms',
    'Thorough tests : no',
    'Experimental tests : no',
    'Paranoia level : 1',
    'Report verbosity : 1',
    'Safe checks : yes',
    'Optimize the test : yes',
    `Credentialed checks : ${host.credentialed ? `yes, as 'CORP\\svc-nessus' via ${host.traits.has('windows') ? 'SMB' : 'SSH'}` : 'no'}`,
    'Max hosts : 30',
    'Max checks : 4',
    'Recv timeout : 5',
    `Scan Start Date : ${startText}`,
    `Scan duration : ${durationSeconds} sec`,
    '',
  ].join('\n');
}

function operatingSystemOutput({ host }: OutputContext): string {
  let method = 'SinFP';
  if (host.credentialed) method = host.traits.has('windows') ? 'MSRPC' : 'LinuxDistribution';
  return `\nRemote operating system : ${host.os}\nConfidence level : ${host.credentialed ? 100 : 70}\nMethod : ${method}\n`;
}

function cpeOutput({ host }: OutputContext): string {
  const product = host.os
    .toLowerCase()
    .replace(/^microsoft /, 'microsoft:')
    .replace(/ build .*$/, '')
    .replace(/[^a-z0-9:.]+/g, '_');
  return `\nThe remote operating system matched the following CPE : \n\n  cpe:/o:${product}\n`;
}

function traceroute({ host }: OutputContext): string {
  const gateway = host.ip.replace(/\.\d+$/, '.1');
  const hops = host.traits.has('internet-facing') ? [SCANNER_IP, '10.0.5.1', '10.0.0.2', gateway, host.ip] : [SCANNER_IP, '10.0.5.1', host.ip];
  return `For your information, here is the traceroute from ${SCANNER_IP} to ${host.ip} : \n${hops.join('\n')}\n\nHop Count: ${hops.length - 1}\n`;
}

function serviceDetection({ service }: OutputContext): string {
  if (!service) return '';
  const label = SERVICE_LABELS[service.kind];
  return service.tls && !label.includes('TLS') ? `\n${label} is running on this port through TLS.\n` : `\n${label} is running on this port.\n`;
}

function httpBanner({ service }: OutputContext): string {
  return `The remote web server type is :\n\n${service?.banner ?? 'Apache'}\n`;
}

function sshBanner({ service }: OutputContext): string {
  const banner = service?.banner ?? 'SSH-2.0-OpenSSH_8.0';
  return `\nSSH version : ${banner}\nSSH supported authentication : publickey,password\n`;
}

function tlsVersions({ host, service }: OutputContext): string {
  const legacy = host.traits.has('windows-legacy') || host.traits.has('openssl-1.0.1') || host.traits.has('printer');
  const versions = legacy ? 'TLSv1, TLSv1.1, TLSv1.2' : 'TLSv1.2, TLSv1.3';
  return `\nThis port supports ${versions}.\n\n  Port : ${service?.port ?? 443}\n`;
}

function certificateInformation({ host }: OutputContext): string {
  return [
    '',
    `Subject Name: `,
    '',
    `Common Name: ${host.fqdn}`,
    '',
    'Issuer Name: ',
    '',
    'Common Name: Harbourline Issuing CA 01',
    '',
    'Signature Algorithm: SHA-256 With RSA Encryption',
    'Key Length: 2048 bits',
    '',
  ].join('\n');
}

function smbDetection(): string {
  return '\nA CIFS server is running on this port.\n';
}

function nativeLanManager({ host }: OutputContext): string {
  const domain = host.traits.has('windows') ? 'CORP' : 'WORKGROUP';
  return `\nThe remote Operating System is : ${host.os}\nThe remote native LAN manager is : ${host.os}\nThe remote SMB Domain Name is : ${domain}\n`;
}

function syn({ service }: OutputContext): string {
  return service ? `Port ${service.port}/${service.protocol} was found to be open` : '';
}

function sqlServer({ service }: OutputContext): string {
  return `\nThe remote SQL Server version is 13.0.6300.2.\n\n  Port : ${service?.port ?? 1433}\n`;
}

function ethernetManufacturer({ host }: OutputContext): string {
  return `\nThe following card manufacturers were identified :\n\n${host.mac} : VMware, Inc.\n`;
}

function fqdnResolution({ host }: OutputContext): string {
  return `\n${host.ip} resolves as ${host.fqdn}.\n`;
}

function deviceType({ host }: OutputContext): string {
  return `Remote device type : ${host.systemType}\nConfidence level : ${host.credentialed ? 100 : 70}\n`;
}

/**
 * Informational plugins, in the order Nessus prints them. `requires` uses the same traits as the
 * vulnerability catalog, and the host filler in estate.ts decides how many a host gets.
 */
export const INFORMATIONAL_PLUGINS: readonly PluginEntry[] = [
  info(19506, 'Nessus Scan Information', 'Settings', 'scan_info.nasl', 'summary', 'This plugin displays information about the Nessus scan.', 'The plugin lists the scanner version, the plugin feed, the port scanner and the options used for this host, and whether credentialed checks worked.', { output: scanInformation, published: '2005/08/26' }),
  info(10180, 'Ping the remote host', 'Port scanners', 'ping_host.nasl', 'remote', 'It was possible to identify the status of the remote host (alive or dead).', 'Nessus tried to reach the remote host with ARP, ICMP and TCP probes before the port scan.', { output: ({ host }) => (host.traits.has('internet-facing') ? 'The remote host is up\nThe remote host replied to a TCP SYN packet sent to port 443 with a SYN,ACK packet\n' : 'The remote host is up\nThe host replied to an ARP who-is query.\n'), published: '1999/06/24' }),
  info(11219, 'Nessus SYN scanner', 'Port scanners', 'nessus_syn_scanner.nbin', 'remote', 'It is possible to determine which TCP ports are open.', 'Nessus sent SYN packets to the TCP ports in the scan range and recorded the ports that answered with SYN,ACK.', { services: 'tcp', output: syn, published: '2009/02/04' }),
  info(22964, 'Service Detection', 'Service detection', 'find_service.nasl', 'remote', 'The remote service could be identified.', 'Nessus identified the service on this port from its reply to a probe, or from the TLS handshake it completed first.', { services: 'all', output: serviceDetection, published: '2007/08/19' }),
  info(11936, 'OS Identification', 'General', 'os_fingerprint.nasl', 'combined', 'It is possible to guess the remote operating system.', 'Nessus combined the results of several fingerprinting methods (SMB, SSH banners, TCP/IP stack behavior) to identify the operating system.', { output: operatingSystemOutput, published: '2003/12/09' }),
  info(54615, 'Device Type', 'General', 'device_type.nasl', 'combined', 'It is possible to guess the remote device type.', 'Based on the remote operating system, Nessus determined what kind of device the host is, such as a general-purpose computer, a router or a printer.', { output: deviceType, published: '2011/05/23' }),
  info(45590, 'Common Platform Enumeration (CPE)', 'General', 'cpe.nbin', 'local', 'It was possible to enumerate CPE names that matched on the remote system.', 'Nessus derived Common Platform Enumeration names for the operating system and the software it found.', { output: cpeOutput, published: '2010/04/21' }),
  info(10287, 'Traceroute Information', 'General', 'traceroute.nasl', 'remote', 'It was possible to obtain traceroute information.', 'Nessus recorded the network path from the scanner to the remote host.', { output: traceroute, hostProtocol: 'udp', published: '1999/11/27' }),
  info(12053, 'Host Fully Qualified Domain Name (FQDN) Resolution', 'General', 'fqdn.nasl', 'remote', 'It was possible to resolve the name of the remote host.', 'Nessus resolved the fully qualified domain name of the remote host through reverse DNS.', { output: fqdnResolution, published: '2004/02/11' }),
  info(25220, 'TCP/IP Timestamps Supported', 'General', 'tcp_timestamps.nasl', 'remote', 'The remote service implements TCP timestamps.', 'The remote host implements TCP timestamps as defined by RFC 1323, which lets an observer estimate its uptime.', { published: '2007/05/16' }),
  info(35716, 'Ethernet Card Manufacturer Detection', 'Misc.', 'ethernet_manufacturer.nasl', 'combined', 'The manufacturer can be identified from the Ethernet OUI.', 'The first three bytes of each MAC address (the OUI) identify the vendor of the network interface.', { requires: ['vmware-guest'], output: ethernetManufacturer, published: '2009/02/19' }),
  info(20094, 'VMware Virtual Machine Detection', 'General', 'vmware_detect.nasl', 'combined', 'The remote host is a VMware virtual machine.', 'The MAC address of the remote host belongs to VMware, so the host is most likely a virtual machine.', { requires: ['vmware-guest'], published: '2005/10/27' }),
  info(117887, 'OS Security Patch Assessment Available', 'Settings', 'os_patch_assessment_available.nasl', 'summary', 'Nessus was able to log in to the remote host using the provided credentials and enumerate OS security patch levels.', 'Credentialed checks ran, so the local patch checks on this host are complete.', { requires: ['credentialed'], output: ({ host }) => `\nThe following issues were reported :\n\n  - Plugin      : ${host.traits.has('windows') ? 'smb_hotfixes.nasl' : 'ssh_get_info2.nasl'}\n    Protocol    : ${host.traits.has('windows') ? 'SMB' : 'SSH'}\n    Message     : Credentialed checks enabled.\n`, published: '2018/10/02' }),
  info(11011, 'Microsoft Windows SMB Service Detection', 'Windows', 'cifs445.nasl', 'remote', 'A file / print sharing service is listening on the remote host.', 'The remote service understands the CIFS (SMB) protocol, used to share files and printers.', { services: ['smb'], output: smbDetection, published: '2002/06/05' }),
  info(10785, 'Microsoft Windows SMB NativeLanManager Remote System Information Disclosure', 'Windows', 'samba_detect.nasl', 'remote', 'It was possible to obtain information about the remote operating system.', 'The SMB server discloses its operating system and LAN manager version in the session setup reply.', { services: ['smb'], output: nativeLanManager, published: '2001/10/17' }),
  info(10736, 'DCE Services Enumeration', 'Windows', 'dcetest.nasl', 'remote', 'A DCE/RPC service is running on the remote host.', 'Nessus queried the endpoint mapper and listed the RPC interfaces it registers.', { services: ['msrpc'], output: () => '\nThe following DCERPC services are available locally :\n\nObject UUID : 00000000-0000-0000-0000-000000000000\nUUID : 12345778-1234-abcd-ef00-0123456789ab, version 0.0\nDescription : Local Security Authority\nType : Local RPC service\n', published: '2001/08/26' }),
  info(10940, 'Remote Desktop Protocol Service Detection', 'Windows', 'remote_desktop_protocol.nasl', 'remote', 'The remote host has a remote desktop protocol service enabled.', 'Remote Desktop Services listen on this port, which lets users log in to a graphical session over the network.', { services: ['rdp'], published: '2002/04/20' }),
  info(53513, 'Link-Local Multicast Name Resolution (LLMNR) Detection', 'Service detection', 'llmnr-detect.nasl', 'remote', 'The remote device supports LLMNR.', 'The host answers Link-Local Multicast Name Resolution queries, which an attacker on the same segment can spoof to capture NTLM hashes.', { requires: ['windows'], fixedPort: { port: 5355, protocol: 'udp', svcName: 'llmnr' }, output: ({ host }) => `\nAccording to LLMNR, the name of the remote host is '${host.netbiosName ?? host.fqdn}'.\n`, published: '2011/04/21' }),
  info(10267, 'SSH Server Type and Version Information', 'Service detection', 'ssh_detect.nasl', 'remote', 'An SSH server is listening on this port.', 'Nessus read the SSH server banner, which names the software and its version.', { services: ['ssh'], output: sshBanner, published: '1999/10/12' }),
  info(10881, 'SSH Protocol Versions Supported', 'General', 'ssh_proto_version.nasl', 'remote', 'A SSH server is running on the remote host.', 'Nessus determined which versions of the SSH protocol the server supports.', { services: ['ssh'], output: () => '\nThe remote SSH daemon supports the following versions of the\nSSH protocol :\n\n  - 1.99\n  - 2.0\n', published: '2002/03/06' }),
  info(10107, 'HTTP Server Type and Version', 'Web Servers', 'http_version.nasl', 'remote', 'A web server is running on the remote host.', 'Nessus read the Server header of the web server, which names the software and often its version.', { services: ['http', 'https', 'http-alt'], output: httpBanner, published: '2000/01/04' }),
  info(24260, 'HyperText Transfer Protocol (HTTP) Information', 'Web Servers', 'http_info.nasl', 'remote', 'Some information about the remote HTTP configuration can be extracted.', 'Nessus recorded the HTTP protocol version, keep-alive support and the headers the web server returns.', { services: ['http', 'https', 'http-alt'], output: () => '\nResponse Code : HTTP/1.1 200 OK\n\nProtocol version : HTTP/1.1\nSSL : no\nKeep-Alive : yes\n', published: '2007/01/30' }),
  info(10863, 'SSL Certificate Information', 'General', 'ssl_certificate_info.nasl', 'remote', 'This plugin displays the SSL certificate.', 'Nessus read the certificate that the service presents during the TLS handshake.', { services: 'tls', output: certificateInformation, published: '2008/05/19' }),
  info(56984, 'SSL / TLS Versions Supported', 'General', 'ssl_supported_versions.nasl', 'remote', 'The remote service encrypts communications.', 'Nessus determined which versions of SSL and TLS the service accepts.', { services: 'tls', output: tlsVersions, published: '2011/12/01' }),
  info(21643, 'SSL Cipher Suites Supported', 'General', 'ssl_supported_ciphers.nasl', 'remote', 'The remote service encrypts communications using SSL.', 'Nessus listed the cipher suites that the service accepts.', { services: 'tls', output: () => '\nHere is the list of SSL ciphers supported by the remote server :\n\n  High Strength Ciphers (>= 112-bit key)\n\n    ECDHE-RSA-AES128-GCM-SHA256  Kx=ECDH  Au=RSA  Enc=AES-GCM(128)  Mac=SHA256\n    ECDHE-RSA-AES256-GCM-SHA384  Kx=ECDH  Au=RSA  Enc=AES-GCM(256)  Mac=SHA384\n', published: '2006/06/05' }),
  info(20870, 'LDAP Server Detection', 'Service detection', 'ldap_detect.nasl', 'remote', 'An LDAP server was detected on the remote host.', 'The remote host runs a Lightweight Directory Access Protocol server, here part of Active Directory.', { services: ['ldap', 'ldaps'], published: '2006/02/06' }),
  info(11002, 'DNS Server Detection', 'DNS', 'dns_server.nasl', 'remote', 'A DNS server is listening on the remote host.', 'The remote host answers DNS queries.', { services: ['dns'], published: '2003/02/13' }),
  info(10144, 'Microsoft SQL Server TCP/IP Listener Detection', 'Service detection', 'mssqlserver_detect.nasl', 'remote', 'A database server is listening on the remote port.', 'The remote host runs Microsoft SQL Server and accepts connections on this port.', { services: ['mssql'], output: sqlServer, published: '2001/10/05' }),
  info(26024, 'PostgreSQL Server Detection', 'Service detection', 'postgresql_detect.nasl', 'remote', 'A database service is listening on the remote host.', 'The remote host runs PostgreSQL and accepts connections on this port.', { services: ['postgresql'], published: '2007/09/14' }),
  info(10719, 'MySQL Server Detection', 'Databases', 'mysql_version.nasl', 'remote', 'A database server is listening on the remote port.', 'The remote host runs MySQL and sent its version in the handshake.', { services: ['mysql'], output: () => '\nVersion  : 5.5.23\nProtocol : 10\n', published: '2001/08/13' }),
  info(35296, 'SNMP Protocol Version Detection', 'SNMP', 'snmp_detect_version.nasl', 'remote', 'It was possible to obtain the protocol version of the remote SNMP agent.', 'Nessus determined which SNMP versions the agent answers.', { services: ['snmp'], output: () => '\nNessus has determined that the remote SNMP agent supports SNMPv1 and SNMPv2c.\n', published: '2009/01/28' }),
  info(10263, 'SMTP Server Detection', 'Service detection', 'smtpserver_detect.nasl', 'remote', 'An SMTP server is listening on the remote port.', 'The remote host runs a mail server and sent its greeting banner.', { services: ['smtp'], output: ({ host }) => `\nRemote SMTP server banner :\n\n220 ${host.fqdn} ESMTP\n`, published: '1999/10/12' }),
  info(66334, 'Patch Report', 'General', 'patches_summary.nbin', 'summary', 'The remote host is missing several patches.', 'The remote host is missing one or more security patches. This plugin lists the newest version of each patch to install so that the host is up to date.', { requires: ['credentialed'], output: () => '\n. You need to take the following action :\n\n[ Install the latest cumulative update ]\n', published: '2013/07/08' }),
];

interface InformationalOptions {
  published: string;
  requires?: PluginEntry['requires'];
  /** `all`, `tcp` and `tls` select services by transport; a list selects them by kind. */
  services?: ServiceKind[] | 'all' | 'tcp' | 'tls';
  fixedPort?: PluginEntry['fixedPort'];
  hostProtocol?: PluginEntry['hostProtocol'];
  output?: PluginEntry['output'];
}

function info(
  id: number,
  name: string,
  family: string,
  script: string,
  type: PluginEntry['type'],
  synopsis: string,
  description: string,
  options: InformationalOptions,
): PluginEntry {
  const entry: PluginEntry = {
    id,
    name,
    family,
    script,
    type,
    synopsis,
    description,
    solution: 'n/a',
    published: options.published,
    requires: options.requires ?? [],
    prevalence: 1,
    hostProtocol: options.hostProtocol,
    fixedPort: options.fixedPort,
    output: options.output,
  };
  if (options.services === 'all' || options.services === 'tcp') {
    entry.allServices = options.services;
  } else if (options.services === 'tls') {
    entry.onTls = true;
    entry.eachService = true;
  } else if (options.services) {
    entry.services = options.services;
    entry.eachService = true;
  }
  return entry;
}
