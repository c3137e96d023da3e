// Parser for AWS Security Hub findings in the AWS Security Finding Format (ASFF): the output of
// `aws securityhub get-findings`, `{"Findings": [...]}` (exports written by other tools use
// `findings`). Each resource becomes an asset the first time it appears. Only the keys of the
// assets emitted so far are kept, and one finding object is assembled at a time.
// See aws-securityhub-findings.ts for which findings become vulnerabilities or misconfigurations.

import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { securityHubRecords } from './aws-securityhub-findings';
import { expectContainer } from './json-fields';

const FINDING_LISTS: ReadonlySet<string> = new Set(['Findings', 'findings']);

export const awsSecurityHubParser: ReportParser = {
  format: 'aws-securityhub',
  source: 'AWS Security Hub',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'aws-securityhub', source: 'AWS Security Hub' });
    const emitted = new Set<string>();
    let sawFindings = false;
    const select = (path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' => {
      if (path.length === 0) {
        if (type !== 'object') throw new ReportError('malformed', `invalid AWS Security Hub report: expected a JSON object with "Findings" at the top level, found an ${type}`);
        return 'enter';
      }
      if (path.length === 1) {
        if (!FINDING_LISTS.has(String(path[0]))) return 'skip';
        sawFindings = true;
        return expectContainer(path, type, 'array');
      }
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be an ASFF finding object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    };

    for await (const event of streamJson(input, select)) {
      if (event.kind !== 'value') continue;
      const { assets, findings } = securityHubRecords(event.value, event.path);
      for (const asset of assets) {
        if (emitted.has(asset.reportKey)) continue;
        emitted.add(asset.reportKey);
        yield { kind: 'asset', asset };
      }
      for (const finding of findings) yield { kind: 'finding', finding };
    }
    if (!sawFindings) throw new ReportError('invalid_field', 'AWS Security Hub report has no "Findings" array', { field: 'Findings' });
  },
};
