// Parser for Amazon Inspector findings in JSON: the output of `aws inspector2 list-findings` or a
// findings export, `{"findings": [...]}`. Each finding names its resources (EC2 instances, ECR
// images, Lambda functions), and each becomes an asset the first time it appears. Only the keys
// of the assets emitted so far are kept, and one finding object is assembled at a time.

import { formatJsonPath, streamJson, type JsonPath, type JsonValueType } from '../json-stream';
import type { ReportParser, ReportRecord } from '../model';
import { ReportError } from '../report-error';
import { inspectorRecords } from './aws-inspector2-findings';
import { expectContainer } from './json-fields';

export const awsInspector2Parser: ReportParser = {
  format: 'aws-inspector2',
  source: 'Amazon Inspector',

  async *parse(input, onMetadata): AsyncGenerator<ReportRecord> {
    onMetadata({ format: 'aws-inspector2', source: 'Amazon Inspector' });
    const emitted = new Set<string>();
    let sawFindings = false;
    const select = (path: JsonPath, type: JsonValueType): 'assemble' | 'enter' | 'skip' => {
      if (path.length === 0) {
        if (type !== 'object') throw new ReportError('malformed', `invalid Amazon Inspector report: expected a JSON object with "findings" at the top level, found an ${type}`);
        return 'enter';
      }
      if (path.length === 1) {
        if (path[0] !== 'findings') return 'skip';
        sawFindings = true;
        return expectContainer(path, type, 'array');
      }
      if (type !== 'object') throw new ReportError('malformed', `${formatJsonPath(path)} must be a finding object, but it is an ${type}`, { field: formatJsonPath(path) });
      return 'assemble';
    };

    for await (const event of streamJson(input, select)) {
      if (event.kind !== 'value') continue;
      const { assets, findings } = inspectorRecords(event.value, event.path);
      for (const asset of assets) {
        if (emitted.has(asset.reportKey)) continue;
        emitted.add(asset.reportKey);
        yield { kind: 'asset', asset };
      }
      for (const finding of findings) yield { kind: 'finding', finding };
    }
    if (!sawFindings) throw new ReportError('invalid_field', 'Amazon Inspector report has no "findings" array', { field: 'findings' });
  },
};
