import { describe, expect, it } from 'vitest';
import type { Observation } from '../../lib/identification/attributes';
import { DEFAULT_RULES, identityKey, rulesSchema, type IdentificationRule } from '../../lib/identification/rules';

function vulnerability(fields: Partial<Observation>): Observation {
  return { type: 'vulnerability', source: 'Nessus', title: 'Weakness', ...fields };
}

function misconfiguration(fields: Partial<Observation>): Observation {
  return { type: 'misconfiguration', source: 'Trivy', title: 'Check', ...fields };
}

const vulnerabilityKey = (observation: Observation) => identityKey(observation, DEFAULT_RULES.vulnerability);
const misconfigurationKey = (observation: Observation) => identityKey(observation, DEFAULT_RULES.misconfiguration);

// Each default attribute set, with an observation that has exactly what that rule needs (and
// what every earlier rule lacks), and the key it must give.
describe('default vulnerability rules', () => {
  const cases: { rule: string; observation: Observation; key: string }[] = [
    {
      rule: '[CVE, CPE]',
      observation: vulnerability({ cveId: 'CVE-2021-41773', cpe: 'cpe:/a:apache:http_server:2.4.49', technologyName: 'httpd', technologyVersion: '2.4.49', port: 443, protocol: 'tcp' }),
      key: 'cve+cpe|CVE-2021-41773|cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*',
    },
    {
      rule: '[CVE, Technology Name, Technology Version]',
      observation: vulnerability({ cveId: 'cve-2022-0778', technologyName: 'Apache HTTP Server', technologyVersion: '1.1.1k', port: 443 }),
      key: 'cve+technology_name+technology_version|CVE-2022-0778|http_server|1.1.1k',
    },
    {
      rule: '[CVE, Technology Name]',
      observation: vulnerability({ cveId: 'CVE-2022-0778', technologyName: 'OpenSSL', port: 443, protocol: 'tcp' }),
      key: 'cve+technology_name|CVE-2022-0778|openssl',
    },
    { rule: '[CVE, Port, Protocol]', observation: vulnerability({ cveId: 'CVE-2020-1472', port: 445, protocol: 'TCP', vendorId: '140657' }), key: 'cve+port+protocol|CVE-2020-1472|445|tcp' },
    { rule: '[CVE, Port]', observation: vulnerability({ cveId: 'CVE-2020-1472', port: 445 }), key: 'cve+port|CVE-2020-1472|445' },
    { rule: '[CVE]', observation: vulnerability({ cveId: 'CVE-2020-1472', protocol: 'tcp' }), key: 'cve|CVE-2020-1472' },
    { rule: '[Vendor ID]', observation: vulnerability({ vendorId: ' 19506 ', port: 443, protocol: 'tcp' }), key: 'vendor_id|nessus:19506' },
    { rule: '[Title]', observation: vulnerability({ title: '  Weak   Cipher Suites ', sourceFindingId: 'x-1' }), key: 'title|weak cipher suites' },
  ];

  it.each(cases)('$rule decides when its attributes are the first all present', ({ observation, key }) => {
    expect(vulnerabilityKey(observation)).toBe(key);
  });

  it('[Source Finding ID] decides when Title is disabled, scoped by source', () => {
    const rules = DEFAULT_RULES.vulnerability.map((rule) => (rule.attributes.join('+') === 'title' ? { ...rule, enabled: false } : rule));
    expect(identityKey(vulnerability({ sourceFindingId: 'ABC-1' }), rules)).toBe('source_finding_id|nessus:abc-1');
  });

  it('merges the same CVE on the same port from two scanners', () => {
    const nessus = vulnerability({ source: 'Nessus', cveId: 'CVE-2020-1472', port: 445, protocol: 'tcp', vendorId: '140657', title: 'Zerologon' });
    const qualys = vulnerability({ source: 'Qualys', cveId: 'CVE-2020-1472', port: 445, protocol: 'TCP', vendorId: '91668', title: 'Netlogon EoP' });
    expect(vulnerabilityKey(nessus)).toBe(vulnerabilityKey(qualys));
  });

  it('keeps equal vendor ids of two scanners apart', () => {
    expect(vulnerabilityKey(vulnerability({ source: 'Nessus', vendorId: '100' }))).not.toBe(vulnerabilityKey(vulnerability({ source: 'Qualys', vendorId: '100' })));
  });

  it('separates one CVE in two packages', () => {
    const first = vulnerabilityKey(vulnerability({ cveId: 'CVE-2023-0001', technologyName: 'openssl', technologyVersion: '1.1' }));
    const second = vulnerabilityKey(vulnerability({ cveId: 'CVE-2023-0001', technologyName: 'zlib', technologyVersion: '1.1' }));
    expect(first).not.toBe(second);
  });

  it('treats a CPE 2.2 URI and a 2.3 formatted string of one product as one finding', () => {
    const uri = vulnerabilityKey(vulnerability({ cveId: 'CVE-2021-41773', cpe: 'cpe:/a:apache:http_server:2.4.49' }));
    const formatted = vulnerabilityKey(vulnerability({ cveId: 'CVE-2021-41773', cpe: 'cpe:2.3:a:Apache:HTTP_Server:2.4.49:*:*:*:*:*:*:*' }));
    expect(uri).toBe(formatted);
  });

  it('treats vendor-alias and version spellings as one technology', () => {
    const trivy = vulnerabilityKey(vulnerability({ source: 'Trivy', cveId: 'CVE-2022-0778', technologyName: 'httpd', technologyVersion: 'v2.4.049' }));
    const qualys = vulnerabilityKey(vulnerability({ source: 'Qualys', cveId: 'CVE-2022-0778', technologyName: 'Apache HTTP Server', technologyVersion: '2.4.49' }));
    expect(trivy).toBe(qualys);
  });
});

describe('default misconfiguration rules', () => {
  const cases: { rule: string; observation: Observation; key: string }[] = [
    {
      rule: '[Policy Name, Title, Technology Name]',
      observation: misconfiguration({ policyName: 'CIS Docker 1.6', title: 'Run as non-root', technologyName: 'Dockerfile', vendorId: 'DS002' }),
      key: 'policy_name+title+technology_name|cis docker 1.6|run as non-root|dockerfile',
    },
    { rule: '[Vendor ID, Technology Name]', observation: misconfiguration({ vendorId: 'AVD-KSV-0001', resource: 'default/Deployment/web' }), key: 'vendor_id+technology_name|trivy:avd-ksv-0001|default/deployment/web' },
    { rule: '[Title, Technology Name]', observation: misconfiguration({ title: 'Root user', technologyName: 'nginx' }), key: 'title+technology_name|root user|nginx' },
    { rule: '[Title]', observation: misconfiguration({ title: 'Password policy too weak', sourceFindingId: '1' }), key: 'title|password policy too weak' },
  ];

  it.each(cases)('$rule decides when its attributes are the first all present', ({ observation, key }) => {
    expect(misconfigurationKey(observation)).toBe(key);
  });

  it('[Source Finding ID] decides when Title is disabled', () => {
    const rules = DEFAULT_RULES.misconfiguration.map((rule) => ({ ...rule, enabled: !rule.attributes.includes('title') }));
    expect(identityKey(misconfiguration({ sourceFindingId: 'KSV001:web' }), rules)).toBe('source_finding_id|trivy:ksv001:web');
  });

  it('separates one check in two files', () => {
    const dockerfile = misconfigurationKey(misconfiguration({ vendorId: 'github-pat', resource: 'Dockerfile' }));
    const secretFile = misconfigurationKey(misconfiguration({ vendorId: 'github-pat', resource: 'secret.txt' }));
    expect(dockerfile).not.toBe(secretFile);
  });
});

describe('rule evaluation', () => {
  const rules: IdentificationRule[] = [
    { attributes: ['cve', 'port'], enabled: false },
    { attributes: ['cve'], enabled: true },
  ];

  it('skips a disabled rule', () => {
    expect(identityKey(vulnerability({ cveId: 'CVE-2024-1', port: 80 }), rules)).toBe('cve|CVE-2024-1');
  });

  it('skips a rule with an empty attribute value', () => {
    const key = identityKey(vulnerability({ cveId: 'CVE-2024-1', technologyName: '   ', technologyVersion: '1' }), DEFAULT_RULES.vulnerability);
    expect(key).toBe('cve|CVE-2024-1');
  });

  it('gives an observation no rule applies to a key of its own', () => {
    const first = identityKey(vulnerability({ title: 'A', sourceFindingId: '1' }), rules);
    const second = identityKey(vulnerability({ title: 'A', sourceFindingId: '2' }), rules);
    expect(first).toMatch(/^unmatched\|/);
    expect(first).not.toBe(second);
  });

  it('escapes the separator, so values cannot run into each other', () => {
    const pipeRules: IdentificationRule[] = [{ attributes: ['title', 'protocol'], enabled: true }];
    const first = identityKey(vulnerability({ title: 'a|b', protocol: 'c' }), pipeRules);
    const second = identityKey(vulnerability({ title: 'a', protocol: 'b|c' }), pipeRules);
    expect(first).not.toBe(second);
  });

  it('hashes keys too long for the unique index', () => {
    const key = identityKey(vulnerability({ title: 'x'.repeat(5000) }), DEFAULT_RULES.vulnerability);
    expect(key).toMatch(/^title\|sha256:[0-9a-f]{64}$/);
  });

  it('rejects a rule list that repeats an attribute set or an attribute', () => {
    expect(rulesSchema.safeParse({ vulnerability: [{ attributes: ['cve'], enabled: true }, { attributes: ['cve'], enabled: false }], misconfiguration: [] }).success).toBe(false);
    expect(rulesSchema.safeParse({ vulnerability: [{ attributes: ['cve', 'cve'], enabled: true }], misconfiguration: [] }).success).toBe(false);
    expect(rulesSchema.safeParse({ vulnerability: [{ attributes: ['nonsense'], enabled: true }], misconfiguration: [] }).success).toBe(false);
    expect(rulesSchema.safeParse(DEFAULT_RULES).success).toBe(true);
  });
});
