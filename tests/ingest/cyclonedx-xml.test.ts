import { describe, expect, it } from 'vitest';
import { cycloneDxParser } from '../../lib/ingest/formats/cyclonedx';
import { cycloneDxXmlParser } from '../../lib/ingest/formats/cyclonedx-xml';
import { parseError, parseFixture, parseText, readFixture } from './parse-report';

const XML_FIXTURE = 'cyclonedx-app.xml';
const JSON_FIXTURE = 'cyclonedx-app.json';

const bom = (body: string, namespace = 'http://cyclonedx.org/schema/bom/1.5') => `<?xml version="1.0"?>\n<bom xmlns="${namespace}" serialNumber="urn:uuid:1" version="1">${body}</bom>`;

describe('cycloneDxXmlParser same BOM as JSON', () => {
  it('emits the JSON asset', async () => {
    const xml = await parseFixture(cycloneDxXmlParser, XML_FIXTURE);
    const json = await parseFixture(cycloneDxParser, JSON_FIXTURE);
    expect(xml.assets).toEqual(json.assets);
    expect(xml.metadata).toEqual({ ...json.metadata, format: 'cyclonedx-xml' });
  });

  it('emits the JSON findings', async () => {
    const xml = await parseFixture(cycloneDxXmlParser, XML_FIXTURE);
    const json = await parseFixture(cycloneDxParser, JSON_FIXTURE);
    expect(xml.findings).toHaveLength(9);
    expect(xml.findings).toEqual(json.findings);
  });

  it('shares the JSON source name', () => {
    // Identification rules prefix vendor ids with the source, so both encodings must name it alike.
    expect(cycloneDxXmlParser.source).toBe(cycloneDxParser.source);
  });

  it('matches JSON in one-byte chunks', async () => {
    const xml = await parseText(cycloneDxXmlParser, readFixture(XML_FIXTURE), 1);
    const json = await parseFixture(cycloneDxParser, JSON_FIXTURE);
    expect(xml.findings).toEqual(json.findings);
  });
});

describe('cycloneDxXmlParser mapping', () => {
  it('flags a not-affected analysis', async () => {
    const report = await parseFixture(cycloneDxXmlParser, XML_FIXTURE);
    const finding = report.findings.find((candidate) => candidate.vendorId === 'sonatype-2021-4682');
    expect(finding?.raw.suppressed).toBe(true);
    expect(finding?.raw.analysis).toEqual({ state: 'not_affected', justification: 'code_not_reachable', detail: 'template() is never called' });
  });

  it('reads a false-positive analysis with responses', async () => {
    const report = await parseText(
      cycloneDxXmlParser,
      bom(`<metadata><component type="application"><name>api</name></component></metadata>
        <components><component type="library" bom-ref="c1"><name>openssl</name><version>3.0.1</version>
          <hashes><hash alg="SHA-256">abc</hash></hashes></component></components>
        <vulnerabilities><vulnerability><id>CVE-2022-3602</id>
          <ratings><rating><score>7.5</score><severity>high</severity><method>CVSSv31</method></rating></ratings>
          <analysis><state>false_positive</state><responses><response>will_not_fix</response><response>update</response></responses></analysis>
          <affects><target><ref>c1</ref></target></affects></vulnerability></vulnerabilities>`),
    );
    const [finding] = report.findings;
    expect(finding?.raw.suppressed).toBe(true);
    expect(finding?.raw.analysis).toEqual({ state: 'false_positive', response: ['will_not_fix', 'update'] });
    expect(finding?.raw.component).toEqual({ type: 'library', 'bom-ref': 'c1', hashes: [{ alg: 'SHA-256', content: 'abc' }] });
    expect(finding?.technology).toEqual({ product: 'openssl', version: '3.0.1' });
    expect(finding?.severity).toBe(4);
    expect(finding?.cvss3BaseScore).toBe(7.5);
  });

  it('reads 1.4 tools and a prefixed namespace', async () => {
    const report = await parseText(
      cycloneDxXmlParser,
      `<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.4" version="1">
        <cdx:metadata><cdx:tools><cdx:tool><cdx:vendor>anchore</cdx:vendor><cdx:name>grype</cdx:name></cdx:tool></cdx:tools>
          <cdx:component type="container"><cdx:name>nginx:1.25</cdx:name></cdx:component></cdx:metadata>
        <cdx:vulnerabilities><cdx:vulnerability><cdx:id>CVE-2023-44487</cdx:id><cdx:cwes><cdx:cwe>400</cdx:cwe></cdx:cwes></cdx:vulnerability></cdx:vulnerabilities>
      </cdx:bom>`,
    );
    expect(report.assets[0]).toMatchObject({ name: 'nginx:1.25', kind: 'container_image', raw: { specVersion: '1.4', metadata: { tools: [{ vendor: 'anchore', name: 'grype' }] } } });
    expect(report.findings[0]).toMatchObject({ vendorId: 'CVE-2023-44487', cweIds: ['CWE-400'], severity: 1 });
  });

  it('reads vulnerabilities of a BOM without components', async () => {
    const report = await parseText(cycloneDxXmlParser, bom('<vulnerabilities><vulnerability><id>CVE-2021-44228</id></vulnerability></vulnerabilities>'));
    expect(report.assets[0]?.name).toBe('urn:uuid:1');
    expect(report.findings.map((finding) => finding.cveId)).toEqual(['CVE-2021-44228']);
  });
});

describe('cycloneDxXmlParser errors', () => {
  it('rejects another root element', async () => {
    const error = await parseError(cycloneDxXmlParser, '<analysis/>');
    expect(error.code).toBe('wrong_format');
  });

  it('rejects a foreign namespace', async () => {
    const error = await parseError(cycloneDxXmlParser, bom('', 'http://example.test/bom'));
    expect(error.code).toBe('wrong_format');
    expect(error.message).toContain('http://example.test/bom');
  });

  it('rejects truncated XML', async () => {
    const text = readFixture(XML_FIXTURE);
    const error = await parseError(cycloneDxXmlParser, text.slice(0, text.indexOf('<vulnerability>') + 40));
    expect(error.code).toBe('malformed');
    expect(error.position.line).toBeGreaterThan(1);
  });

  it('names the line of a vulnerability without id', async () => {
    const error = await parseError(cycloneDxXmlParser, bom('\n<vulnerabilities>\n<vulnerability><description>x</description></vulnerability></vulnerabilities>'));
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('vulnerabilities[0].id');
    expect(error.position.line).toBe(4);
  });

  it('names the field of an invalid score', async () => {
    const error = await parseError(
      cycloneDxXmlParser,
      bom('<vulnerabilities><vulnerability><id>CVE-2021-1</id><ratings><rating><score>high</score></rating></ratings></vulnerability></vulnerabilities>'),
    );
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('vulnerabilities[0].ratings[0].score');
  });

  it('names a component without name', async () => {
    const error = await parseError(cycloneDxXmlParser, bom('<components><component type="library"><version>1</version></component></components>'));
    expect(error.code).toBe('invalid_field');
    expect(error.position.field).toBe('components[0].name');
    expect(error.position.line).toBe(2);
  });
});
