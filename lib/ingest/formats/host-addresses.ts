// Addresses of a host that can tell it apart from other hosts. Agents and cloud APIs list every
// interface, including loopback (127.0.0.1, ::1) and link-local (169.254.0.0/16, fe80::/10)
// addresses that every machine has. Matching assets on those would merge unrelated hosts.

import { splitAddresses } from '../field-values';

/** Sorts the values into IPv4 and IPv6 and drops loopback, link-local and unspecified addresses. */
export function hostAddresses(values: (string | null | undefined)[]): { ipv4?: string[]; ipv6?: string[] } {
  const { ipv4 = [], ipv6 = [] } = splitAddresses(values.map((value) => value ?? undefined));
  const keptV4 = ipv4.filter((ip) => !/^(127\.|169\.254\.|0\.)/.test(ip));
  const keptV6 = ipv6.filter((ip) => ip !== '::1' && ip !== '::' && !/^fe[89ab][0-9a-f]:/i.test(ip));
  return {
    ...(keptV4.length > 0 ? { ipv4: keptV4 } : {}),
    ...(keptV6.length > 0 ? { ipv6: keptV6 } : {}),
  };
}
