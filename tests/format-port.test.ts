import { describe, expect, it } from 'vitest';
import { formatPort } from '../components/findings/format-port';

describe('formatPort', () => {
  const cases: [port: number | null, protocol: string | null, expected: string][] = [
    [443, 'tcp', '443/tcp'],
    [161, 'udp', '161/udp'],
    [8080, null, '8080'],
    [0, 'tcp', '—'],
    [0, null, '—'],
    [null, 'tcp', '—'],
    [null, null, '—'],
  ];
  for (const [port, protocol, expected] of cases) {
    it(`shows ${port}/${protocol} as ${expected}`, () => {
      expect(formatPort(port, protocol)).toBe(expected);
    });
  }
});
