// Names of identification attributes, without the normalization code, for client components.

export const IDENTITY_ATTRIBUTES = [
  'cve',
  'cpe',
  'technology_name',
  'technology_version',
  'technology_path',
  'port',
  'protocol',
  'vendor_id',
  'policy_name',
  'resource',
  'title',
  'source_finding_id',
] as const;
export type IdentityAttribute = (typeof IDENTITY_ATTRIBUTES)[number];

export const ATTRIBUTE_LABELS: Record<IdentityAttribute, string> = {
  cve: 'CVE',
  cpe: 'CPE',
  technology_name: 'Technology Name',
  technology_version: 'Technology Version',
  technology_path: 'Technology Path',
  port: 'Port',
  protocol: 'Protocol',
  vendor_id: 'Vendor ID',
  policy_name: 'Policy Name',
  resource: 'Resource',
  title: 'Title',
  source_finding_id: 'Source Finding ID',
};
