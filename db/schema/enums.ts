import { pgEnum } from 'drizzle-orm/pg-core';

export const assetKind = pgEnum('asset_kind', ['host', 'container_image', 'repository', 'application', 'cloud_resource']);
export const findingType = pgEnum('finding_type', ['vulnerability', 'misconfiguration']);
export const findingStatus = pgEnum('finding_status', ['new', 'active', 'reopened', 'fixed']);
export const importStatus = pgEnum('import_status', ['running', 'succeeded', 'failed']);
export const userRole = pgEnum('user_role', ['admin', 'manager', 'analyst', 'reader']);
