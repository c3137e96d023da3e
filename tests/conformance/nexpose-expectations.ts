// Independent reading of Nexpose XML exports with regular expressions. Each node is one host,
// named by its first DNS name, else its first other name, else its address. Each vulnerable test
// result (status vulnerable-*) is one finding per node, vulnerability id, port and protocol.
// Severity is the definition's 0–10 severity in CVSS v3 bands.

import { bandOf, IdentityTally } from './identity-tally';
import { elements, flattenXml, type ReportExpectation } from './report-expectations';

export interface NexposeDefinitionFacts {
  title: string;
  severity: number;
  cves: string[];
}

/** Returns each definition's title, 0–10 severity and CVEs, keyed by lower-case id. */
export function nexposeDefinitions(xml: string): Map<string, NexposeDefinitionFacts> {
  const text = flattenXml(xml);
  const section = /<VulnerabilityDefinitions>([\s\S]*)<\/VulnerabilityDefinitions>/i.exec(text)?.[1] ?? '';
  const definitions = new Map<string, NexposeDefinitionFacts>();
  for (const vulnerability of elements(section, 'vulnerability')) {
    const cves = [...vulnerability.body.matchAll(/<reference source="CVE">\s*([^<]+?)\s*<\/reference>/g)].map((match) => (match[1] ?? '').toUpperCase());
    definitions.set((vulnerability.attributes.id ?? '').toLowerCase(), {
      title: vulnerability.attributes.title ?? '',
      severity: Number(vulnerability.attributes.severity),
      cves,
    });
  }
  return definitions;
}

export interface NexposeResult {
  asset: string;
  id: string;
  port?: number;
  protocol?: string;
}

/** Returns every vulnerable test result with the name of its node's asset and its endpoint. */
export function nexposeResults(xml: string): NexposeResult[] {
  const text = flattenXml(xml);
  const results: NexposeResult[] = [];
  for (const node of elements(text, 'node')) {
    const names = elements(node.body, 'name').map((name) => name.body.trim());
    const asset = names.find((name) => name.includes('.')) ?? names[0] ?? node.attributes.address ?? '';
    const nodeTests = node.body.replace(/<endpoints>[\s\S]*<\/endpoints>/, '');
    for (const test of elements(nodeTests, 'test')) {
      if (test.attributes.status?.startsWith('vulnerable')) results.push({ asset, id: test.attributes.id ?? '' });
    }
    for (const endpoint of elements(node.body, 'endpoint')) {
      for (const test of elements(endpoint.body, 'test')) {
        if (!test.attributes.status?.startsWith('vulnerable')) continue;
        results.push({ asset, id: test.attributes.id ?? '', port: Number(endpoint.attributes.port), protocol: endpoint.attributes.protocol?.toLowerCase() ?? '' });
      }
    }
  }
  return results;
}

export function expectNexpose(xml: string): ReportExpectation {
  const definitions = nexposeDefinitions(xml);
  const tally = new IdentityTally();
  for (const node of elements(flattenXml(xml), 'node')) {
    const names = elements(node.body, 'name').map((name) => name.body.trim());
    tally.addAsset(names.find((name) => name.includes('.')) ?? names[0] ?? node.attributes.address ?? '');
  }
  for (const result of nexposeResults(xml)) {
    const definition = definitions.get(result.id.toLowerCase());
    if (!definition) throw new Error(`test ${result.id} has no definition`);
    const where = result.port === undefined ? '' : `${result.port}/${result.protocol}`;
    tally.addFinding(result.asset, `${result.id}|${where}`, bandOf(definition.severity));
  }
  return tally.result();
}
