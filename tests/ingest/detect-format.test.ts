import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../lib/ingest/detect-format';
import { FORMATS } from '../../lib/ingest/model';
import { formatLabels, parsers } from '../../lib/ingest/parsers';
import { readFixture } from './parse-report';

describe('detectFormat', () => {
  const fixtures: [string, string][] = [
    ['nessus-two-hosts.nessus', 'nessus'],
    ['qualys-asset-data.xml', 'qualys-asset-data'],
    ['qualys-scan.xml', 'qualys-scan'],
    ['qualys-detection.xml', 'qualys-detection'],
    ['trivy-image.json', 'trivy'],
    ['trivy-filesystem.json', 'trivy'],
    ['trivy-legacy.json', 'trivy'],
    ['trivy-kubernetes.json', 'trivy'],
    ['grype-image.json', 'grype'],
    ['cyclonedx-app.json', 'cyclonedx'],
    ['osv-scanner.json', 'osv-scanner'],
    ['nessus-export.csv', 'nessus-csv'],
    ['tenable-export.csv', 'nessus-csv'],
    ['qualys-vmdr-cve.csv', 'qualys-csv'],
    ['qualys-report.csv', 'qualys-csv'],
    ['openvas-results.csv', 'openvas-csv'],
    ['generic/findings.json', 'generic-json'],
    ['aws/inspector2-findings.json', 'aws-inspector2'],
    ['aws/securityhub-findings.json', 'aws-securityhub'],
    ['ms-defender/vulnerabilities.json', 'ms-defender'],
    ['kube-bench/controls.json', 'kube-bench'],
    ['kube-bench/legacy-array.json', 'kube-bench'],
    ['kube-bench/single-control.json', 'kube-bench'],
    ['checkov/terraform.json', 'checkov'],
    ['checkov/multiple-runners.json', 'checkov'],
    ['prowler/aws.ocsf.json', 'prowler-ocsf'],
    ['prowler/azure.csv', 'prowler-csv'],
    ['prowler/v3.csv', 'prowler-csv'],
    ['wazuh/web-01.json', 'wazuh'],
    ['wazuh/indexer.json', 'wazuh'],
    ['openvas-report.xml', 'openvas-xml'],
    ['cyclonedx-app.xml', 'cyclonedx-xml'],
    ['dependency-check.xml', 'dependency-check'],
    ['nexpose-export.xml', 'nexpose'],
    ['sarif-multi-run.sarif', 'sarif'],
    ['npm-audit-v6.json', 'npm-audit'],
    ['npm-audit-v7.json', 'npm-audit'],
    ['qualys-was-webapp.xml', 'qualys-was'],
    ['yarn-audit-v1.json', 'yarn-audit'],
    ['yarn-audit-berry.json', 'yarn-audit'],
    ['wiz-issues.csv', 'wiz'],
    ['wiz-vulnerabilities.csv', 'wiz'],
  ];

  it.each(fixtures)('detects %s', (name, format) => {
    expect(detectFormat(readFixture(name))).toBe(format);
  });

  const heads: [string, string, string | undefined][] = [
    ['BOM and XML declaration', '\uFEFF<?xml version="1.0"?>\n<NessusClientData_v2>', 'nessus'],
    ['comments and processing instructions', '<!-- a > b --><?xml-stylesheet href="x"?>\n<SCAN value="scan/1">', 'qualys-scan'],
    ['DOCTYPE with an internal subset', '<!DOCTYPE ASSET_DATA_REPORT [<!ELEMENT x (#PCDATA)> <!-- ] > -->]>\n<ASSET_DATA_REPORT>', 'qualys-asset-data'],
    ['DOCTYPE with a quoted >', '<!DOCTYPE SCAN SYSTEM "https://example.test/a>b.dtd"><SCAN>', 'qualys-scan'],
    ['a head cut inside the root tag', '<?xml version="1.0"?><HOST_LIST_VM_DETECTION_OUTPUT', 'qualys-detection'],
    ['a head cut before the root', '<?xml version="1.0"?><!-- long comment', undefined],
    ['Nessus v1', '<NessusClientData><Report/></NessusClientData>', undefined],
    ['another XML report', '<?xml version="1.0"?><analysis xmlns="https://example.test/dependency-check">', undefined],
    ['Greenbone report file', '<report id="r" format_id="a994b278" extension="xml" content_type="text/xml">\n<owner>', 'openvas-xml'],
    ['Greenbone GMP response', '<get_reports_response status="200" status_text="OK"><report id="r">', 'openvas-xml'],
    ['other report root', '<?xml version="1.0"?><report xmlns="http://www.arachni-scanner.com/schema/report"><version>1.5</version>', undefined],
    ['CycloneDX XML 1.4', '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">', 'cyclonedx-xml'],
    ['CycloneDX XML with a prefix', '<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.6" version="1">', 'cyclonedx-xml'],
    ['other bom root', '<bom xmlns="http://example.test/bill-of-materials">', undefined],
    ['Dependency-Check XML', '<?xml version="1.0"?>\n<analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.4.0.xsd">', 'dependency-check'],
    ['Trivy header cut in Metadata', '{"SchemaVersion": 2, "ArtifactName": "a:1", "ArtifactType": "container_image", "Metadata": {"Size": ', 'trivy'],
    ['Trivy keys inside strings only', '{"note": "\\"SchemaVersion\\": 2, \\"ArtifactName\\": 1", "x": {"SchemaVersion": 2, "ArtifactName": "a"}}', undefined],
    ['Trivy Kubernetes resources', '{"ClusterName": "c", "Resources": [', 'trivy'],
    ['Grype JSON', '{"matches": [], "source": {"type": "image"}, "distro": {}}', 'grype'],
    ['Grype head cut in its first match', '{"matches": [{"vulnerability": {"id": "CVE-2020-1"}, "matchDetails": [{"matcher": ', 'grype'],
    ['matches without Grype keys', '{"matches": [{"name": "x"}]}', undefined],
    ['CycloneDX head', '{"$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json", "bomFormat": "CycloneDX", "specVersion": "1.5"', 'cyclonedx'],
    ['SPDX-like bomFormat', '{"bomFormat": "SPDX", "specVersion": "2.3"}', undefined],
    ['OSV-Scanner head', '{\n  "results": [\n    {\n      "source": {"path": "/src/go.mod"', 'osv-scanner'],
    ['other results array', '{"results": [{"id": 1}]}', undefined],
    ['an array of other objects', '[{"name": "x", "Target": "y"}]', undefined],
    ['an empty object', '{}', undefined],
    ['null', 'null', undefined],
    ['Nessus CSV header', 'Plugin ID,CVE,CVSS,Risk,Host\n', 'nessus-csv'],
    ['quoted Nessus CSV header', '"Plugin ID","CVE","Risk","Host","Port"\r\n', 'nessus-csv'],
    ['other CSV', 'id,name,severity\n1,x,high\n', undefined],
    ['Qualys CSV after metadata lines', '"Scan Report","x"\n"Company"\n"QID","Title","Severity","IP","Port"\n', 'qualys-csv'],
    ['Security Hub ASFF head', '{"Findings": [{"SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:x", "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub"', 'aws-securityhub'],
    ['Security Hub ASFF with lower-case findings', '{"findings": [{"SchemaVersion": "2018-10-08", "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/guardduty"', 'aws-securityhub'],
    ['Amazon Inspector findings head', '{"findings": [{"awsAccountId": "1", "findingArn": "arn:aws:inspector2:us-east-1:1:finding/a", "type": "PACKAGE_VULNERABILITY"', 'aws-inspector2'],
    ['a findingArn of another service', '{"findings": [{"findingArn": "arn:aws:guardduty:us-east-1:1:finding/a"}]}', undefined],
    ['Defender vulnerabilities page', '{"@odata.context": "https://api.security.microsoft.com/api/$metadata#Collection(x)", "value": [{"cveId": "CVE-2024-1", "machineId": "m"', 'ms-defender'],
    ['Defender machines page alone', '{"@odata.context": "https://api.security.microsoft.com/api/$metadata#Machines", "value": [{"id": "m", "computerDnsName": "a"}]}', undefined],
    ['empty text', '', undefined],
    ['whitespace', ' \n\t', undefined],
    ['Nexpose XML Export', '<?xml version="1.0" encoding="UTF-8" ?>\n<NexposeReport version="2.0">\n<scans>', 'nexpose'],
    ['Nexpose Simple XML', '<?xml version="1.0"?><NeXposeSimpleXML version="1.0">', undefined],
    ['SARIF with version first', '{"version": "2.1.0", "runs": [{"tool": ', 'sarif'],
    ['SARIF with schema first', '{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [', 'sarif'],
    ['SARIF runs before version', '{"runs": [{"tool": {"driver": {"name": "x"}}, "results": []}]', 'sarif'],
    ['runs without SARIF keys', '{"runs": [{"id": 1}], "version": "3"}', undefined],
    ['npm 7 audit', '{\n  "auditReportVersion": 2,\n  "vulnerabilities": {', 'npm-audit'],
    ['npm 6 audit cut in actions', '{"actions": [{"isMajor": false, "action": "install", "resolves": [{"id": 1, "path": "a>b"', 'npm-audit'],
    ['npm 6 audit without actions', '{"actions": [], "advisories": {}, "muted": [], "metadata": {}}', 'npm-audit'],
    ['other actions array', '{"actions": [{"name": "deploy"}]}', undefined],
    ['other advisories object', '{"advisories": {"1": {}}}', undefined],
    ['kube-bench head cut in a result', '{"Controls": [{"id": "1", "version": "cis-1.7", "node_type": "master", "tests": [{"section": "1.1", "results": [{"test_number": ', 'kube-bench'],
    ['Controls without node types', '{"Controls": [{"id": "AC-1", "title": "Access control policy"}]}', undefined],
    ['Checkov head cut in its results', '[{"check_type": "terraform", "results": {"passed_checks": [{"check_id": "CKV_AWS_20", ', 'checkov'],
    ['other check_type object', '{"check_type": "lint"}', undefined],
    ['OCSF findings of another product', '[{"metadata": {"event_code": "x", "product": {"name": "Other", "vendor_name": "Prowler"}}, "finding_info": {"uid": "1"}}]', undefined],
    ['Prowler OCSF with sorted keys', '[{"activity_id": 1, "class_uid": 2004, "finding_info": {"uid": "u"}, "metadata": {"event_code": "c", "product": {"name": "Prowler", "uid": "prowler"}}}]', 'prowler-ocsf'],
    ['other Wazuh API response', '{"data": {"affected_items": [{"id": "001", "name": "agent-1", "ip": "10.0.0.1"}]}, "error": 0}', undefined],
    ['Wazuh 5 indexer hit', '{"hits": {"hits": [{"_index": "wazuh-states-vulnerabilities", "_source": {"package": {"name": "p"}', 'wazuh'],
    ['other search response', '{"hits": {"hits": [{"_index": "logs", "_source": {"vulnerability": {"id": "CVE-1"}, "agent": {"name": "a"}}}]}}', undefined],
    ['CSV with CHECK_ID only', 'CHECK_ID;STATUS;RESULT\nc1;FAIL;x\n', undefined],
    ['Generic Findings Import cut in a finding', '{"name": "x", "findings": [{"title": "A", "severity": "Low", "descr', 'generic-json'],
    ['findings with keys DefectDojo rejects', '{"findings": [{"title": "A", "findingArn": "x"}]}', undefined],
    ['DefectDojo generic CSV, read only with a profile', 'Date,Title,CweId,Url,Severity,Description\n', undefined],
    ['Qualys WAS scan report', '<?xml version="1.0"?>\n<WAS_SCAN_REPORT>\n<HEADER>', 'qualys-was'],
    ['yarn 1 audit after an info line', '{"type":"info","data":"x"}\n{"type":"auditAdvisory","data":{"resolution":', 'yarn-audit'],
    ['yarn 1 audit cut in its first line', '{"type":"auditAdvisory","data":{"resolution":{"id":1', 'yarn-audit'],
    ['other type and data lines', '{"type":"info","data":"Done"}\n{"type":"success","data":"x"}\n', undefined],
    ['yarn 2 audit line', '{"value":"semver","children":{"ID":1092310,"Issue":"x"', 'yarn-audit'],
    ['other value and children object', '{"value":"a","children":[]}', undefined],
    ['Wiz issues header', 'Created At,Title,Severity,Status,Description,Resource Type,Resource external ID,Control ID,Issue ID\n', 'wiz'],
    ['Wiz vulnerability findings header', 'ID,WizURL,Name,CVSSSeverity,VendorSeverity,AssetID,AssetName\n', 'wiz'],
    ['CSV with Title and Severity only', 'Title,Severity,Resource external ID\n', undefined],
  ];

  it.each(heads)('handles %s', (_name, head, format) => {
    expect(detectFormat(head)).toBe(format);
  });
});

describe('parser registry', () => {
  it('has a parser and label per format', () => {
    for (const format of FORMATS) {
      expect(parsers[format].format).toBe(format);
      expect(formatLabels[format].length).toBeGreaterThan(0);
    }
  });
});
