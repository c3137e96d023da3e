import { Card } from '@tremor/react';
import type { Metadata } from 'next';
import { PageHeading } from '@/components/ui/states';
import { TOKENS, type TokenDefinition } from '@/lib/query/catalog';
import { MAX_NESTING, MAX_QUERY_LENGTH } from '@/lib/query/parser';

export const metadata: Metadata = { title: 'Query syntax' };

const SYNTAX: [string, string][] = [
  ['finding.title:openssl', 'Text tokens: contains, ignoring case.'],
  ['asset.tags.name:production', 'Names and ids: equal, ignoring case. CVE and CWE ids are normalized, so cve-2021-44228 and 79 work.'],
  ['finding.title:"remote code execution"', 'A phrase in double quotes; write \\" for a quote and \\\\ for a backslash inside it. Quoting turns * into a plain character.'],
  ['finding.title:`Exact Title`', 'An exact value in backticks: equal, case-sensitive, no wildcards.'],
  ['asset.name:web-*', 'A * in a bare value matches any run of characters, and the value must match as a whole.'],
  ['finding.detectionScore>=70', 'Comparisons >, >=, <, <= and = for numbers, dates, IP addresses and severity. = on text means exactly equal.'],
  ['finding.port:[1 .. 1024]', 'An inclusive range. Round brackets exclude an end: (1 .. 1024) or [1 .. 1024).'],
  ['finding.status:[new, reopened]', 'A list: any of the values.'],
  ['finding.severity>=high', 'Severity takes informational, low, medium, high, critical or 1 to 5.'],
  ['finding.lastFoundDate:2026-03-31', "A date is a whole day in the organization's time zone (UTC unless set otherwise)."],
  ['finding.lastFoundDate>2026-03-31', 'After that day; >= includes it, < is before it, <= includes it.'],
  ['finding.firstFoundDate>=2026-03-31T08:00:00Z', "A timestamp with Z or an offset is an instant; without one it is read in the organization's time zone."],
  ['finding.lastFoundDate>=now-30d', 'Relative to now: m minutes, h hours, d days, w weeks, M months, y years; now+1d works too. Compare with it, as no stored time equals an instant.'],
  ['asset.ip:10.0.0.0/8', 'IP addresses: one address, a CIDR block, a range [10.0.0.1 .. 10.0.0.99] or a comparison, IPv4 or IPv6.'],
  ['a:1 AND b:2, a:1 b:2', 'AND; two conditions side by side also mean AND.'],
  ['a:1 OR b:2 AND c:3', 'AND binds tighter than OR, so this is a:1 OR (b:2 AND c:3). Use parentheses to group.'],
  ['NOT finding.status:fixed', 'NOT negates the condition or group after it. AND, OR and NOT may be written in lower case.'],
];

function typeDescription(token: TokenDefinition): string {
  if (token.type === 'enum') return `enum: ${(token.values ?? []).join(', ')}`;
  if (token.type === 'number' && token.min !== undefined && token.max !== undefined) return `${token.integer ? 'whole number' : 'number'} ${token.min}–${token.max}`;
  return token.type;
}

/** Renders the query language reference from the token catalog, so it lists exactly the tokens the parser accepts. */
export default function QueryHelpPage() {
  return (
    <>
      <PageHeading title="Query syntax" />
      <Card className="mb-6">
        <p className="mb-4 text-sm text-gray-700">
          The search boxes of the findings and assets lists, and the <code>q</code> parameter of <code>GET /api/v1/findings</code> and <code>GET /api/v1/assets</code>,
          take the same queries. A query has at most {MAX_QUERY_LENGTH} characters and {MAX_NESTING} levels of parentheses.
        </p>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b text-gray-500">
              <th className="py-2 pr-4 font-medium">Example</th>
              <th className="py-2 font-medium">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {SYNTAX.map(([example, meaning]) => (
              <tr key={example} className="border-b border-gray-100 align-top">
                <td className="py-2 pr-4 font-mono text-blue-700">{example}</td>
                <td className="py-2 text-gray-700">{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-4 text-sm text-gray-700">
          A findings query may use asset tokens, which test the finding&apos;s asset. An assets query may use finding tokens: finding conditions joined by AND or OR
          test one finding of the asset together, so <code>finding.severity:critical AND finding.isKev:true</code> finds assets with a critical KEV finding, and
          <code> NOT finding.severity:critical</code> finds assets without a critical finding.
        </p>
      </Card>
      <Card>
        <h2 className="mb-4 text-lg font-semibold">Tokens</h2>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b text-gray-500">
              <th className="py-2 pr-4 font-medium">Token</th>
              <th className="py-2 pr-4 font-medium">Type</th>
              <th className="py-2 pr-4 font-medium">Meaning</th>
              <th className="py-2 font-medium">Example</th>
            </tr>
          </thead>
          <tbody>
            {TOKENS.map((token: TokenDefinition) => (
              <tr key={token.name} id={token.name} className="border-b border-gray-100 align-top">
                <td className="py-2 pr-4 font-mono">{token.name}</td>
                <td className="py-2 pr-4 text-gray-600">{typeDescription(token)}</td>
                <td className="py-2 pr-4 text-gray-700">{token.description}</td>
                <td className="py-2 font-mono text-blue-700">{token.example}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
