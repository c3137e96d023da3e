// The parser and the name shown to users for each supported report format.

import { awsInspector2Parser } from './formats/aws-inspector2';
import { awsSecurityHubParser } from './formats/aws-securityhub';
import { checkovParser } from './formats/checkov';
import { cycloneDxParser } from './formats/cyclonedx';
import { cycloneDxXmlParser } from './formats/cyclonedx-xml';
import { dependencyCheckParser } from './formats/dependency-check';
import { genericCsvWithoutProfileParser } from './formats/generic-csv';
import { genericJsonParser } from './formats/generic-json';
import { grypeParser } from './formats/grype';
import { kubeBenchParser } from './formats/kube-bench';
import { msDefenderParser } from './formats/ms-defender';
import { nessusParser } from './formats/nessus';
import { nessusCsvParser } from './formats/nessus-csv';
import { nexposeParser } from './formats/nexpose';
import { sarifParser } from './formats/sarif';
import { npmAuditParser } from './formats/npm-audit';
import { qualysWasParser } from './formats/qualys-was';
import { yarnAuditParser } from './formats/yarn-audit';
import { wizParser } from './formats/wiz';
import { openVasCsvParser } from './formats/openvas-csv';
import { openVasXmlParser } from './formats/openvas-xml';
import { osvScannerParser } from './formats/osv-scanner';
import { prowlerCsvParser } from './formats/prowler-csv';
import { prowlerOcsfParser } from './formats/prowler-ocsf';
import { qualysAssetDataParser } from './formats/qualys-asset-data';
import { qualysCsvParser } from './formats/qualys-csv';
import { qualysDetectionParser } from './formats/qualys-detection';
import { qualysScanParser } from './formats/qualys-scan';
import { trivyParser } from './formats/trivy';
import { wazuhParser } from './formats/wazuh';
import type { ReportFormat, ReportParser } from './model';

export const parsers: Record<ReportFormat, ReportParser> = {
  nessus: nessusParser,
  'qualys-asset-data': qualysAssetDataParser,
  'qualys-scan': qualysScanParser,
  'qualys-detection': qualysDetectionParser,
  trivy: trivyParser,
  grype: grypeParser,
  cyclonedx: cycloneDxParser,
  'osv-scanner': osvScannerParser,
  'nessus-csv': nessusCsvParser,
  'qualys-csv': qualysCsvParser,
  'openvas-csv': openVasCsvParser,
  'kube-bench': kubeBenchParser,
  'prowler-ocsf': prowlerOcsfParser,
  'prowler-csv': prowlerCsvParser,
  checkov: checkovParser,
  wazuh: wazuhParser,
  'ms-defender': msDefenderParser,
  'aws-inspector2': awsInspector2Parser,
  'aws-securityhub': awsSecurityHubParser,
  'openvas-xml': openVasXmlParser,
  'cyclonedx-xml': cycloneDxXmlParser,
  'dependency-check': dependencyCheckParser,
  nexpose: nexposeParser,
  sarif: sarifParser,
  'npm-audit': npmAuditParser,
  'qualys-was': qualysWasParser,
  'yarn-audit': yarnAuditParser,
  wiz: wizParser,
  'generic-csv': genericCsvWithoutProfileParser,
  'generic-json': genericJsonParser,
};

/**
 * Formats whose report describes one asset without a reliable identity. Some parsers name it
 * after the report's file: kube-bench, npm audit, yarn audit, a Wazuh 4.7 API response, Checkov
 * and SARIF without repository details, and generic JSON without a `name`. Trivy, Grype,
 * CycloneDX and Dependency-Check name it after the scanned path, BOM subject or project, which
 * can be `.` (`trivy fs .`) or a folder of the build machine. An import of these formats may name
 * that asset instead (explicit-asset-name.ts). Other formats reject an asset name, because each
 * of their reports names its own assets.
 */
export const ASSET_NAME_FORMATS: ReadonlySet<ReportFormat> = new Set<ReportFormat>([
  'kube-bench',
  'npm-audit',
  'yarn-audit',
  'wazuh',
  'checkov',
  'sarif',
  'generic-json',
  'trivy',
  'grype',
  'cyclonedx',
  'cyclonedx-xml',
  'dependency-check',
]);

export const formatLabels: Record<ReportFormat, string> = {
  nessus: 'Nessus (.nessus v2 XML)',
  'qualys-asset-data': 'Qualys VM asset data report (XML)',
  'qualys-scan': 'Qualys VM scan results (scan-1 XML)',
  'qualys-detection': 'Qualys VM host list detection output (API XML)',
  trivy: 'Trivy (JSON: image, filesystem or Kubernetes report)',
  grype: 'Grype (JSON)',
  cyclonedx: 'CycloneDX 1.4–1.6 BOM with vulnerabilities (JSON)',
  'osv-scanner': 'OSV-Scanner (JSON)',
  'nessus-csv': 'Nessus or Tenable vulnerabilities (CSV export)',
  'qualys-csv': 'Qualys VM report or VMDR detections (CSV export)',
  'openvas-csv': 'Greenbone / OpenVAS results (CSV export)',
  'kube-bench': 'kube-bench CIS Kubernetes Benchmark results (JSON)',
  'prowler-ocsf': 'Prowler findings (OCSF JSON)',
  'prowler-csv': 'Prowler findings (CSV export)',
  checkov: 'Checkov infrastructure-as-code scan (JSON)',
  wazuh: 'Wazuh vulnerabilities (4.7 API or 4.8+ indexer JSON)',
  'ms-defender': 'Microsoft Defender for Endpoint vulnerabilities (zip of machines and vulnerabilities JSON)',
  'aws-inspector2': 'Amazon Inspector findings (JSON)',
  'aws-securityhub': 'AWS Security Hub findings (ASFF JSON)',
  'openvas-xml': 'Greenbone / OpenVAS report (GMP XML)',
  'cyclonedx-xml': 'CycloneDX 1.4–1.6 BOM with vulnerabilities (XML)',
  'dependency-check': 'OWASP Dependency-Check (XML)',
  nexpose: 'Rapid7 Nexpose / InsightVM (XML Export 2.0)',
  sarif: 'SARIF 2.1.0 (SAST, code quality and dependency scanners)',
  'npm-audit': 'npm audit (JSON, npm 6 or npm 7 and later)',
  'qualys-was': 'Qualys Web Application Scanning report (WAS XML)',
  'yarn-audit': 'yarn audit (JSON lines, yarn 1 or yarn 2 and later)',
  wiz: 'Wiz issues or vulnerability findings (CSV export)',
  'generic-csv': 'Generic CSV, read with a connector profile',
  'generic-json': 'DefectDojo Generic Findings Import (JSON)',
};
