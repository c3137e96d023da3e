// The parser and lifecycle option of an import that names a connector profile.

import type { Db } from '../../db/client';
import { createGenericCsvParser } from '../ingest/formats/generic-csv';
import type { ReportParser } from '../ingest/model';
import { parsers } from '../ingest/parsers';
import { ReportError } from '../ingest/report-error';
import { getProfileByName, type ConnectorProfile } from './profiles';

export interface ImportProfile {
  id: number;
  name: string;
  parser: ReportParser;
  keepAbsentFindings: boolean;
}

/** Returns the parser a profile reads with: its column mapping for `generic-csv`, else its format's parser under the profile's source name. */
export function parserForProfile(profile: Pick<ConnectorProfile, 'format' | 'sourceName' | 'mapping' | 'csv' | 'defaultAssetKind'>): ReportParser {
  if (profile.format === 'generic-csv') return createGenericCsvParser(profile);
  const base = parsers[profile.format];
  const source = profile.sourceName;
  return {
    format: base.format,
    source,
    parse: (input, onMetadata, context) => base.parse(input, (meta) => onMetadata({ ...meta, ...(meta.source === undefined ? {} : { source }) }), context),
  };
}

/** Loads a profile by name for an import; an unknown name is a ReportError naming the `profile` field. */
export async function loadImportProfile(db: Db, name: string): Promise<ImportProfile> {
  const profile = await getProfileByName(db, name);
  if (!profile) {
    throw new ReportError('invalid_field', `connector profile ${JSON.stringify(name)} does not exist; create it on the Connector profiles page or check the name`, { field: 'profile' });
  }
  return { id: profile.id, name: profile.name, parser: parserForProfile(profile), keepAbsentFindings: profile.keepAbsentFindings };
}
