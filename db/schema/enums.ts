import { pgEnum } from 'drizzle-orm/pg-core';

export const assetKind = pgEnum('asset_kind', ['host', 'container_image', 'repository', 'application', 'cloud_resource']);
export const findingType = pgEnum('finding_type', ['vulnerability', 'misconfiguration']);
export const findingStatus = pgEnum('finding_status', ['new', 'active', 'reopened', 'fixed']);
/** `queued`: a large upload waiting for a background worker (lib/jobs/). */
export const importStatus = pgEnum('import_status', ['queued', 'running', 'succeeded', 'failed']);
export const jobStatus = pgEnum('job_status', ['queued', 'running', 'succeeded', 'failed']);
export const userRole = pgEnum('user_role', ['admin', 'manager', 'analyst', 'reader']);
/**
 * Enrichment feeds: CISA KEV, FIRST EPSS, NVD CVE API 2.0, CVE JSON 5 records (cvelistV5,
 * vulnrichment), endoflife.date lifecycles and MITRE ATT&CK with CVE → ATT&CK mappings.
 */
export const feedName = pgEnum('feed_name', ['kev', 'epss', 'nvd', 'cve5', 'eol', 'attack']);
export const feedRunStatus = pgEnum('feed_run_status', ['running', 'succeeded', 'failed', 'not_modified']);
