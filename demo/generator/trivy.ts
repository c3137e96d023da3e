import { cvss2BaseScore, cvss3BaseScore } from './cvss';
import type { SeededRandom } from './random';

// Trivy JSON reports (SchemaVersion 2) for two container images of the demo company. CVE ids,
// packages, NVD CVSS vectors and scores, CWE ids and publication days are real. Installed and
// fixed versions are plausible for the base image but not checked against each distribution's
// tracker, the times of day are made up, and titles and descriptions are written for this demo.

interface ImagePackage {
  name: string;
  version: string;
  /** Path of the package file inside the image, for language packages. */
  path?: string;
}

interface ImageVulnerability {
  id: string;
  package: ImagePackage;
  fixedVersion: string;
  title: string;
  description: string;
  cwes: string[];
  cvss3: { vector: string; score: number };
  cvss2?: { vector: string; score: number };
  references: string[];
  /** `YYYY-MM-DD`, the NVD publication day. */
  published: string;
  lastModified: string;
}

interface ImageResult {
  target: string;
  class: 'os-pkgs' | 'lang-pkgs';
  type: string;
  dataSource: { ID: string; Name: string; URL: string };
  vulnerabilities: ImageVulnerability[];
}

interface ImageDefinition {
  name: string;
  os: { Family: string; Name: string };
  results: ImageResult[];
}

const nvd = (cve: string): string => `https://nvd.nist.gov/vuln/detail/${cve}`;

/**
 * Last-modified date written for every CVE: the day NVD updated most older records in bulk. A
 * record may have changed again since.
 */
const NVD_REPROCESSED = '2024-11-21';

const UBUNTU_TRACKER = { ID: 'ubuntu', Name: 'Ubuntu CVE Tracker', URL: 'https://git.launchpad.net/ubuntu-cve-tracker' };
const ALPINE_SECDB = { ID: 'alpine', Name: 'Alpine Secdb', URL: 'https://secdb.alpinelinux.org/' };
const GHSA_MAVEN = { ID: 'ghsa', Name: 'GitHub Security Advisory Maven', URL: 'https://github.com/advisories?query=type%3Areviewed+ecosystem%3Amaven' };
const GHSA_NPM = { ID: 'ghsa', Name: 'GitHub Security Advisory npm', URL: 'https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm' };

const LOG4J_CORE: ImagePackage = { name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', path: 'app/shipment-api.jar/BOOT-INF/lib/log4j-core-2.14.1.jar' };

const SHIPMENT_API: ImageDefinition = {
  name: 'registry.harbourline.example/shipping/shipment-api:4.2.0',
  os: { Family: 'ubuntu', Name: '22.04' },
  results: [
    {
      target: 'registry.harbourline.example/shipping/shipment-api:4.2.0 (ubuntu 22.04)',
      class: 'os-pkgs',
      type: 'ubuntu',
      dataSource: UBUNTU_TRACKER,
      vulnerabilities: [
        {
          id: 'CVE-2023-4911',
          package: { name: 'libc6', version: '2.35-0ubuntu3.1' },
          fixedVersion: '2.35-0ubuntu3.4',
          title: 'glibc: buffer overflow in ld.so while parsing GLIBC_TUNABLES',
          description: 'The dynamic loader of glibc 2.34 and later overflows a buffer while it processes the GLIBC_TUNABLES environment variable. A local user can run a setuid program with a crafted value and gain root privileges (Looney Tunables).',
          cwes: ['CWE-787'],
          cvss3: { vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', score: 7.8 },
          references: [nvd('CVE-2023-4911'), 'https://www.qualys.com/2023/10/03/cve-2023-4911/looney-tunables-local-privilege-escalation-glibc-ld-so.txt'],
          published: '2023-10-03',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2023-38545',
          package: { name: 'libcurl4', version: '7.81.0-1ubuntu1.10' },
          fixedVersion: '7.81.0-1ubuntu1.14',
          title: 'curl: heap buffer overflow in the SOCKS5 proxy handshake',
          description: 'When curl resolves a host name through a SOCKS5 proxy and the name is longer than 255 bytes, a slow handshake makes it copy the long name into a heap buffer meant for the short form. A malicious server can use a redirect to trigger the overflow.',
          cwes: ['CWE-787'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
          references: [nvd('CVE-2023-38545'), 'https://curl.se/docs/CVE-2023-38545.html'],
          published: '2023-10-18',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2023-38546',
          package: { name: 'libcurl4', version: '7.81.0-1ubuntu1.10' },
          fixedVersion: '7.81.0-1ubuntu1.14',
          title: 'curl: cookie injection with a file named none',
          description: 'libcurl enables its cookie engine and reads cookies from a file named "none" in the working directory when an application duplicates an easy handle. An attacker who can write that file can inject cookies into requests.',
          cwes: ['CWE-73'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N', score: 3.7 },
          references: [nvd('CVE-2023-38546'), 'https://curl.se/docs/CVE-2023-38546.html'],
          published: '2023-10-18',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2023-0286',
          package: { name: 'libssl3', version: '3.0.2-0ubuntu1.7' },
          fixedVersion: '3.0.2-0ubuntu1.8',
          title: 'openssl: type confusion on X.400 addresses in GENERAL_NAME',
          description: 'OpenSSL treats the x400Address field of a GENERAL_NAME as an ASN1_TYPE while the structure holds an ASN1_STRING. When CRL checking is enabled, an attacker who supplies both a certificate chain and a CRL can read memory or crash the process.',
          cwes: ['CWE-843'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H', score: 7.4 },
          references: [nvd('CVE-2023-0286'), 'https://www.openssl.org/news/secadv/20230207.txt'],
          published: '2023-02-08',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2023-0464',
          package: { name: 'libssl3', version: '3.0.2-0ubuntu1.7' },
          fixedVersion: '3.0.2-0ubuntu1.9',
          title: 'openssl: excessive resource use when verifying X.509 policy constraints',
          description: 'Certificate chain verification with policy checking enabled grows the policy tree exponentially for crafted chains. An attacker can use a malicious chain to exhaust CPU and memory of the verifying process.',
          cwes: ['CWE-295'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          references: [nvd('CVE-2023-0464'), 'https://www.openssl.org/news/secadv/20230322.txt'],
          published: '2023-03-22',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-37434',
          package: { name: 'zlib1g', version: '1:1.2.11.dfsg-2ubuntu9' },
          fixedVersion: '1:1.2.11.dfsg-2ubuntu9.1',
          title: 'zlib: heap buffer overflow in inflateGetHeader with a large gzip extra field',
          description: 'inflate in zlib through 1.2.12 writes past the buffer that an application registered with inflateGetHeader when the gzip header carries a large extra field. Only applications that call inflateGetHeader are affected.',
          cwes: ['CWE-787'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
          references: [nvd('CVE-2022-37434'), 'https://github.com/madler/zlib/issues/723'],
          published: '2022-08-05',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-29458',
          package: { name: 'libtinfo6', version: '6.3-2' },
          fixedVersion: '6.3-2ubuntu0.1',
          title: 'ncurses: out-of-bounds read in convert_strings of the terminfo compiler',
          description: 'The terminfo compiler tic in ncurses 6.3 reads out of bounds while it converts strings of a crafted terminfo source file, which can crash it or disclose memory.',
          cwes: ['CWE-125'],
          cvss3: { vector: 'CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:H', score: 7.1 },
          cvss2: { vector: 'AV:N/AC:M/Au:N/C:P/I:N/A:P', score: 5.8 },
          references: [nvd('CVE-2022-29458')],
          published: '2022-04-18',
          lastModified: NVD_REPROCESSED,
        },
      ],
    },
    {
      target: 'Java',
      class: 'lang-pkgs',
      type: 'jar',
      dataSource: GHSA_MAVEN,
      vulnerabilities: [
        {
          id: 'CVE-2021-44228',
          package: LOG4J_CORE,
          fixedVersion: '2.15.0, 2.3.1, 2.12.2',
          title: 'log4j-core: remote code execution through JNDI lookups in logged data (Log4Shell)',
          description: 'Log4j 2 before 2.15.0 expands ${jndi:…} lookups found in log messages and loads classes from the LDAP server they name. An attacker who gets a crafted string logged can run arbitrary code.',
          cwes: ['CWE-20', 'CWE-400', 'CWE-502', 'CWE-917'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', score: 10 },
          cvss2: { vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', score: 9.3 },
          references: [nvd('CVE-2021-44228'), 'https://logging.apache.org/log4j/2.x/security.html'],
          published: '2021-12-10',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2021-45046',
          package: LOG4J_CORE,
          fixedVersion: '2.16.0, 2.12.2',
          title: 'log4j-core: remote code execution through Thread Context lookups (incomplete fix of CVE-2021-44228)',
          description: 'The fix in Log4j 2.15.0 still evaluates lookups in non-default pattern layouts that use Thread Context data. An attacker who controls that data can leak information or run code in some environments.',
          cwes: ['CWE-917'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H', score: 9 },
          cvss2: { vector: 'AV:N/AC:H/Au:N/C:P/I:P/A:P', score: 5.1 },
          references: [nvd('CVE-2021-45046'), 'https://logging.apache.org/log4j/2.x/security.html'],
          published: '2021-12-14',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2021-45105',
          package: LOG4J_CORE,
          fixedVersion: '2.17.0, 2.12.3, 2.3.1',
          title: 'log4j-core: denial of service through recursive lookups',
          description: 'Log4j 2 before 2.17.0 does not protect against self-referential lookups. A crafted string in Thread Context data causes infinite recursion and stops the application.',
          cwes: ['CWE-20', 'CWE-674'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 5.9 },
          cvss2: { vector: 'AV:N/AC:M/Au:N/C:N/I:N/A:P', score: 4.3 },
          references: [nvd('CVE-2021-45105'), 'https://logging.apache.org/log4j/2.x/security.html'],
          published: '2021-12-18',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2021-44832',
          package: LOG4J_CORE,
          fixedVersion: '2.17.1, 2.12.4, 2.3.2',
          title: 'log4j-core: remote code execution through a JDBC appender data source',
          description: 'Log4j 2 before 2.17.1 resolves the data source of a JDBC appender through JNDI without restrictions. An attacker who can change the logging configuration can run remote code.',
          cwes: ['CWE-20', 'CWE-74'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:H', score: 6.6 },
          cvss2: { vector: 'AV:N/AC:M/Au:S/C:C/I:C/A:C', score: 8.5 },
          references: [nvd('CVE-2021-44832'), 'https://logging.apache.org/log4j/2.x/security.html'],
          published: '2021-12-28',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-22965',
          package: { name: 'org.springframework:spring-beans', version: '5.3.17', path: 'app/shipment-api.jar/BOOT-INF/lib/spring-beans-5.3.17.jar' },
          fixedVersion: '5.2.20.RELEASE, 5.3.18',
          title: 'spring-beans: remote code execution through data binding on JDK 9+ (Spring4Shell)',
          description: 'Spring MVC and WebFlux applications on JDK 9 or later expose the class loader through request parameter binding. On Tomcat deployed as a WAR an unauthenticated attacker can write a web shell.',
          cwes: ['CWE-94'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
          cvss2: { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', score: 7.5 },
          references: [nvd('CVE-2022-22965'), 'https://spring.io/security/cve-2022-22965'],
          published: '2022-04-01',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2020-36518',
          package: { name: 'com.fasterxml.jackson.core:jackson-databind', version: '2.13.1', path: 'app/shipment-api.jar/BOOT-INF/lib/jackson-databind-2.13.1.jar' },
          fixedVersion: '2.12.6.1, 2.13.2.1',
          title: 'jackson-databind: denial of service through deeply nested JSON',
          description: 'jackson-databind before 2.13.2.1 deserializes nested objects recursively without a depth limit. A JSON document with deep nesting exhausts the stack of the application.',
          cwes: ['CWE-787'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          cvss2: { vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P', score: 5 },
          references: [nvd('CVE-2020-36518'), 'https://github.com/FasterXML/jackson-databind/issues/2816'],
          published: '2022-03-11',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-42003',
          package: { name: 'com.fasterxml.jackson.core:jackson-databind', version: '2.13.1', path: 'app/shipment-api.jar/BOOT-INF/lib/jackson-databind-2.13.1.jar' },
          fixedVersion: '2.12.7.1, 2.13.4.2',
          title: 'jackson-databind: denial of service through deep wrapper array nesting',
          description: 'When UNWRAP_SINGLE_VALUE_ARRAYS is enabled, jackson-databind before 2.13.4.2 unwraps nested arrays without a depth check, so a crafted document exhausts resources.',
          cwes: ['CWE-502'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          references: [nvd('CVE-2022-42003')],
          published: '2022-10-02',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-42889',
          package: { name: 'org.apache.commons:commons-text', version: '1.9', path: 'app/shipment-api.jar/BOOT-INF/lib/commons-text-1.9.jar' },
          fixedVersion: '1.10.0',
          title: 'commons-text: remote code execution through variable interpolation (Text4Shell)',
          description: 'StringSubstitutor in Apache Commons Text 1.5 to 1.9 enables the script, dns and url lookups by default. An application that interpolates untrusted input runs attacker-supplied code.',
          cwes: ['CWE-94'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
          references: [nvd('CVE-2022-42889')],
          published: '2022-10-13',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2023-44487',
          package: { name: 'io.netty:netty-codec-http2', version: '4.1.94.Final', path: 'app/shipment-api.jar/BOOT-INF/lib/netty-codec-http2-4.1.94.Final.jar' },
          fixedVersion: '4.1.100.Final',
          title: 'netty-codec-http2: denial of service through HTTP/2 rapid stream resets',
          description: 'An HTTP/2 client can open and immediately cancel streams faster than the server releases the work they cause. Netty servers before 4.1.100.Final can be exhausted with a few connections (Rapid Reset).',
          cwes: ['CWE-400'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          references: [nvd('CVE-2023-44487'), 'https://www.cisa.gov/news-events/alerts/2023/10/10/http2-rapid-reset-vulnerability-cve-2023-44487'],
          published: '2023-10-10',
          lastModified: NVD_REPROCESSED,
        },
      ],
    },
  ],
};

const STOREFRONT: ImageDefinition = {
  name: 'registry.harbourline.example/web/storefront:2.14.3',
  os: { Family: 'alpine', Name: '3.15.4' },
  results: [
    {
      target: 'registry.harbourline.example/web/storefront:2.14.3 (alpine 3.15.4)',
      class: 'os-pkgs',
      type: 'alpine',
      dataSource: ALPINE_SECDB,
      vulnerabilities: [
        {
          id: 'CVE-2022-28391',
          package: { name: 'busybox', version: '1.34.1-r4' },
          fixedVersion: '1.34.1-r5',
          title: 'busybox: terminal escape sequences injected through a DNS PTR record in netstat',
          description: 'The netstat applet of BusyBox prints host names from DNS PTR records without filtering control characters. A malicious DNS server can inject terminal escape sequences into the terminal of the user who runs it.',
          cwes: ['CWE-78'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', score: 8.8 },
          cvss2: { vector: 'AV:N/AC:M/Au:N/C:P/I:P/A:P', score: 6.8 },
          references: [nvd('CVE-2022-28391')],
          published: '2022-04-03',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-37434',
          package: { name: 'zlib', version: '1.2.12-r0' },
          fixedVersion: '1.2.12-r2',
          title: 'zlib: heap buffer overflow in inflateGetHeader with a large gzip extra field',
          description: 'inflate in zlib through 1.2.12 writes past the buffer that an application registered with inflateGetHeader when the gzip header carries a large extra field. Only applications that call inflateGetHeader are affected.',
          cwes: ['CWE-787'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
          references: [nvd('CVE-2022-37434'), 'https://github.com/madler/zlib/issues/723'],
          published: '2022-08-05',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2023-0286',
          package: { name: 'libcrypto1.1', version: '1.1.1n-r0' },
          fixedVersion: '1.1.1t-r0',
          title: 'openssl: type confusion on X.400 addresses in GENERAL_NAME',
          description: 'OpenSSL treats the x400Address field of a GENERAL_NAME as an ASN1_TYPE while the structure holds an ASN1_STRING. When CRL checking is enabled, an attacker who supplies both a certificate chain and a CRL can read memory or crash the process.',
          cwes: ['CWE-843'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H', score: 7.4 },
          references: [nvd('CVE-2023-0286'), 'https://www.openssl.org/news/secadv/20230207.txt'],
          published: '2023-02-08',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-2097',
          package: { name: 'libssl1.1', version: '1.1.1n-r0' },
          fixedVersion: '1.1.1q-r0',
          title: 'openssl: AES OCB fails to encrypt some bytes on 32-bit x86',
          description: 'The AES OCB implementation of OpenSSL for 32-bit x86 with AES-NI leaves the last 16 bytes of some messages unencrypted. Data encrypted in place can leak, though TLS does not use OCB.',
          cwes: ['CWE-327'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 },
          cvss2: { vector: 'AV:N/AC:L/Au:N/C:P/I:N/A:N', score: 5 },
          references: [nvd('CVE-2022-2097'), 'https://www.openssl.org/news/secadv/20220705.txt'],
          published: '2022-07-05',
          lastModified: NVD_REPROCESSED,
        },
      ],
    },
    {
      target: 'Node.js',
      class: 'lang-pkgs',
      type: 'node-pkg',
      dataSource: GHSA_NPM,
      vulnerabilities: [
        {
          id: 'CVE-2021-44906',
          package: { name: 'minimist', version: '1.2.5', path: 'app/node_modules/minimist/package.json' },
          fixedVersion: '1.2.6, 0.2.4',
          title: 'minimist: prototype pollution through crafted arguments',
          description: 'minimist before 1.2.6 lets argument names such as __proto__ and constructor reach setKey, so crafted command-line arguments change the prototype of every object in the process.',
          cwes: ['CWE-1321'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
          cvss2: { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', score: 7.5 },
          references: [nvd('CVE-2021-44906'), 'https://github.com/advisories/GHSA-xvch-5gv4-984h'],
          published: '2022-03-17',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2021-3749',
          package: { name: 'axios', version: '0.21.1', path: 'app/node_modules/axios/package.json' },
          fixedVersion: '0.21.2',
          title: 'axios: regular expression denial of service in trim',
          description: 'The trim helper of axios before 0.21.2 uses a regular expression with catastrophic backtracking. A long crafted string in a response header blocks the event loop.',
          cwes: ['CWE-1333'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          cvss2: { vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:C', score: 7.8 },
          references: [nvd('CVE-2021-3749'), 'https://github.com/advisories/GHSA-cph5-m8f7-6c5x'],
          published: '2021-08-31',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-24999',
          package: { name: 'qs', version: '6.9.6', path: 'app/node_modules/qs/package.json' },
          fixedVersion: '6.9.7, 6.10.3',
          title: 'qs: prototype pollution through __proto__ keys in query strings',
          description: 'qs before 6.10.3 lets a query string such as a[__proto__]=b set properties on the prototype of the parsed object. An Express application that parses such a query can stop responding.',
          cwes: ['CWE-1321'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          references: [nvd('CVE-2022-24999'), 'https://github.com/advisories/GHSA-hrpp-h998-j3pp'],
          published: '2022-11-26',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2022-25883',
          package: { name: 'semver', version: '7.3.7', path: 'app/node_modules/semver/package.json' },
          fixedVersion: '7.5.2, 6.3.1, 5.7.2',
          title: 'semver: regular expression denial of service in new Range',
          description: 'semver before 7.5.2 parses ranges with a regular expression that backtracks heavily on crafted input. An application that passes untrusted strings to new Range can be blocked.',
          cwes: ['CWE-1333'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          references: [nvd('CVE-2022-25883'), 'https://github.com/advisories/GHSA-c2qf-rxjj-qqgw'],
          published: '2023-06-21',
          lastModified: NVD_REPROCESSED,
        },
        {
          id: 'CVE-2024-37890',
          package: { name: 'ws', version: '8.11.0', path: 'app/node_modules/ws/package.json' },
          fixedVersion: '8.17.1, 7.5.10, 6.2.3, 5.2.4',
          title: 'ws: denial of service through a request with many HTTP headers',
          description: 'A ws server before 8.17.1 crashes when the number of headers in an upgrade request exceeds the server.maxHeadersCount threshold of Node.js. An unauthenticated client can stop the server.',
          cwes: ['CWE-476'],
          cvss3: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5 },
          references: [nvd('CVE-2024-37890'), 'https://github.com/advisories/GHSA-3h5v-q93c-6h6q'],
          published: '2024-06-17',
          lastModified: NVD_REPROCESSED,
        },
      ],
    },
  ],
};

export const DEMO_IMAGES: readonly ImageDefinition[] = [SHIPMENT_API, STOREFRONT];

function trivySeverity(score: number): string {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  return 'LOW';
}

/** Throws when a vector in the image data does not give the score written beside it. */
export function checkImages(): void {
  const problems: string[] = [];
  for (const image of DEMO_IMAGES) {
    for (const result of image.results) {
      for (const vulnerability of result.vulnerabilities) {
        const computed3 = cvss3BaseScore(vulnerability.cvss3.vector);
        if (computed3 !== vulnerability.cvss3.score) problems.push(`${vulnerability.id}: ${vulnerability.cvss3.vector} scores ${computed3}, data says ${vulnerability.cvss3.score}`);
        if (vulnerability.cvss2) {
          const computed2 = cvss2BaseScore(vulnerability.cvss2.vector);
          if (computed2 !== vulnerability.cvss2.score) problems.push(`${vulnerability.id}: ${vulnerability.cvss2.vector} scores ${computed2}, data says ${vulnerability.cvss2.score}`);
        }
      }
    }
  }
  if (problems.length > 0) throw new Error(`invalid image vulnerability data:\n  ${problems.join('\n  ')}`);
}

/** Builds the Trivy JSON report of one image, as `trivy image --format json` writes it. */
export function buildTrivyReport(image: ImageDefinition, createdAt: Date, random: SeededRandom): Record<string, unknown> {
  const layers = Array.from({ length: 4 }, () => `sha256:${random.hex(64)}`);
  const repository = image.name.replace(/:[^:/]+$/, '');
  return {
    SchemaVersion: 2,
    CreatedAt: createdAt.toISOString(),
    ArtifactName: image.name,
    ArtifactType: 'container_image',
    Metadata: {
      OS: image.os,
      ImageID: `sha256:${random.hex(64)}`,
      DiffIDs: layers,
      RepoTags: [image.name],
      RepoDigests: [`${repository}@sha256:${random.hex(64)}`],
    },
    Results: image.results.map((result) => ({
      Target: result.target,
      Class: result.class,
      Type: result.type,
      Vulnerabilities: result.vulnerabilities.map((vulnerability) => {
        const nvdScores: Record<string, string | number> = {};
        if (vulnerability.cvss2) {
          nvdScores.V2Vector = vulnerability.cvss2.vector;
          nvdScores.V2Score = vulnerability.cvss2.score;
        }
        nvdScores.V3Vector = vulnerability.cvss3.vector;
        nvdScores.V3Score = vulnerability.cvss3.score;
        const entry: Record<string, unknown> = {
          VulnerabilityID: vulnerability.id,
          PkgID: `${vulnerability.package.name}@${vulnerability.package.version}`,
          PkgName: vulnerability.package.name,
        };
        if (vulnerability.package.path) entry.PkgPath = vulnerability.package.path;
        Object.assign(entry, {
          InstalledVersion: vulnerability.package.version,
          FixedVersion: vulnerability.fixedVersion,
          Status: 'fixed',
          Layer: { DiffID: layers[result.class === 'os-pkgs' ? 0 : layers.length - 1] },
          SeveritySource: 'nvd',
          PrimaryURL: `https://avd.aquasec.com/nvd/${vulnerability.id.toLowerCase()}`,
          DataSource: result.dataSource,
          Title: vulnerability.title,
          Description: vulnerability.description,
          Severity: trivySeverity(vulnerability.cvss3.score),
          CweIDs: vulnerability.cwes,
          CVSS: { nvd: nvdScores },
          References: vulnerability.references,
          PublishedDate: `${vulnerability.published}T15:15:00Z`,
          LastModifiedDate: `${vulnerability.lastModified}T08:15:00Z`,
        });
        return entry;
      }),
    })),
  };
}
