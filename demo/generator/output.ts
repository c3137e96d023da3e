import type { OsRelease, OutputContext } from './types';

// Builders for the `plugin_output` text that Nessus prints under a finding. The wording imitates
// the layout of Nessus's own output (label, colon, value) without copying any plugin's text.

/** Output of a Windows patch check: the missing update and one file that proves it. */
export function missingWindowsUpdate(kb: string, file: string, fixedBuild: string) {
  return ({ random }: OutputContext): string => {
    const parts = fixedBuild.split('.');
    const last = Number(parts.pop());
    const remoteBuild = [...parts, String(Math.max(1, last - random.int(40, 900)))].join('.');
    return [
      '',
      'The remote host is missing one of the following rollup KBs :',
      `  - ${kb}`,
      '',
      `  - C:\\Windows\\system32\\${file} has not been patched.`,
      `    Remote version : ${remoteBuild}`,
      `    Should be      : ${fixedBuild}`,
      '',
    ].join('\n');
  };
}

/** Output of a Linux package check; the plugin applies only to the releases listed. */
export function outdatedPackage(packages: Partial<Record<OsRelease, [installed: string, fixed: string]>>) {
  return ({ host }: OutputContext): string => {
    const versions = packages[host.osRelease];
    if (!versions) return '';
    return ['', `Remote package installed : ${versions[0]}`, `Should be                : ${versions[1]}`, ''].join('\n');
  };
}

/** Output of a version check against a product found on a path or URL. */
export function installedVersion(location: string, installed: string, fixed: string, label = 'Path') {
  return (): string => ['', `  ${label.padEnd(17)} : ${location}`, `  Installed version : ${installed}`, `  Fixed version     : ${fixed}`, ''].join('\n');
}

/** Output that names the port's URL, for remote checks on a web service. */
export function urlOutput(path: string, detail: string) {
  return ({ host, service }: OutputContext): string => {
    const scheme = service?.tls ? 'https' : 'http';
    const port = service?.port ?? 80;
    return `\n${detail}\n\n  URL : ${scheme}://${host.fqdn}:${port}${path}\n`;
  };
}

/** Output listing TLS cipher suites, in the columns Nessus uses. */
export function cipherList(heading: string, ciphers: string[]) {
  return (): string => {
    const lines = ciphers.map((cipher) => `    ${cipher}`);
    return ['', `Here is the list of ${heading} supported by the remote server :`, '', ...lines, ''].join('\n');
  };
}
