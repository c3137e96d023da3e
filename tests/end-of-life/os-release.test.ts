import { describe, expect, it } from 'vitest';
import { parseOperatingSystem } from '../../lib/end-of-life/os-release';

// OS strings as the shared scanner reports and the parsers store them (Nessus host properties,
// Qualys OS fields, Trivy and Grype distro names, AWS platforms, Wazuh agents, Defender machines),
// plus the common spellings of other scanners.
const CASES: [os: string, expected: { product: string; version: string } | undefined][] = [
  ['Ubuntu 18.04', { product: 'ubuntu', version: '18.04' }],
  ['Ubuntu 24.04.1 LTS (Noble Numbat)', { product: 'ubuntu', version: '24.04.1' }],
  ['Linux Kernel 4.15.0-213-generic on Ubuntu 18.04', { product: 'ubuntu', version: '18.04' }],
  ['ubuntu', undefined],
  ['Ubuntu / Tiny Core Linux / Linux 2.6.x', undefined],
  ['debian 10.13', { product: 'debian', version: '10.13' }],
  ['debian 10', { product: 'debian', version: '10' }],
  ['Debian GNU/Linux 11 (bullseye)', { product: 'debian', version: '11' }],
  ['DEBIAN_10', { product: 'debian', version: '10' }],
  ['alpine 3.10.2', { product: 'alpine-linux', version: '3.10.2' }],
  ['alpine 3.9.4', { product: 'alpine-linux', version: '3.9.4' }],
  ['Alpine Linux v3.18', { product: 'alpine-linux', version: '3.18' }],
  ['CentOS Linux 7', { product: 'centos', version: '7' }],
  ['CENTOS_7', { product: 'centos', version: '7' }],
  ['Linux Kernel 3.10.0-1160 on CentOS Linux release 7.9.2009 (Core)', { product: 'centos', version: '7.9.2009' }],
  ['CentOS Stream 9', { product: 'centos-stream', version: '9' }],
  ['redhat 8.7', { product: 'rhel', version: '8.7' }],
  ['Red Hat Enterprise Linux Server release 7.9 (Maipo)', { product: 'rhel', version: '7.9' }],
  ['Red Hat Enterprise Linux 9.2', { product: 'rhel', version: '9.2' }],
  ['Oracle Linux Server 8.7', { product: 'oracle-linux', version: '8.7' }],
  ['Rocky Linux 9.3 (Blue Onyx)', { product: 'rocky-linux', version: '9.3' }],
  ['AlmaLinux 8.9', { product: 'almalinux', version: '8.9' }],
  ['Amazon Linux 2', { product: 'amazon-linux', version: '2' }],
  ['Amazon Linux AMI 2018.03', { product: 'amazon-linux', version: '2018.03' }],
  ['amzn 2023', { product: 'amazon-linux', version: '2023' }],
  ['SUSE Linux Enterprise Server 15 SP4', { product: 'sles', version: '15.4' }],
  ['sles 12.5', { product: 'sles', version: '12.5' }],
  ['SUSE Linux Enterprise Server 15', { product: 'sles', version: '15.0' }],
  ['openSUSE Leap 15.5', { product: 'opensuse', version: '15.5' }],
  ['Fedora Linux 38', { product: 'fedora', version: '38' }],
  ['FreeBSD 13.2-RELEASE', { product: 'freebsd', version: '13.2' }],
  ['macOS 13.4', { product: 'macos', version: '13.4' }],
  ['Mac OS X 10.15.7', { product: 'macos', version: '10.15.7' }],
  ['VMware Photon OS 3.0', { product: 'vmware-photon', version: '3.0' }],
  ['Microsoft Windows Server 2012 R2 Standard', { product: 'windows-server', version: '2012-r2' }],
  ['Microsoft Windows Server 2008 R2 Standard Service Pack 1', { product: 'windows-server', version: '2008-r2-sp1' }],
  ['Microsoft Windows Server 2008 Enterprise SP2', { product: 'windows-server', version: '2008-sp2' }],
  ['Windows Server 2019 Datacenter', { product: 'windows-server', version: '2019' }],
  ['WindowsServer2016', { product: 'windows-server', version: '2016' }],
  ['Windows10 22H2', { product: 'windows', version: '10-22h2-w' }],
  ['Microsoft Windows 11 Enterprise 23H2', { product: 'windows', version: '11-23h2-e' }],
  ['Microsoft Windows 10 Pro', undefined],
  ['NetScaler', undefined],
  ['linux', undefined],
  ['', undefined],
];

describe('parseOperatingSystem', () => {
  it.each(CASES)('reads %j', (os, expected) => {
    expect(parseOperatingSystem(os)).toEqual(expected);
  });

  it('returns undefined without a string', () => {
    expect(parseOperatingSystem(null)).toBeUndefined();
    expect(parseOperatingSystem(undefined)).toBeUndefined();
  });
});
