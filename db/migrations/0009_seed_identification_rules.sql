-- Default finding identification rules of issue 3 (lib/identification/rules.ts DEFAULT_RULES).
INSERT INTO "identification_rules" ("finding_type", "position", "attributes", "enabled", "builtin") VALUES
	('vulnerability', 0, '{cve,cpe}', true, true),
	('vulnerability', 1, '{cve,technology_name,technology_version}', true, true),
	('vulnerability', 2, '{cve,technology_name}', true, true),
	('vulnerability', 3, '{cve,port,protocol}', true, true),
	('vulnerability', 4, '{cve,port}', true, true),
	('vulnerability', 5, '{cve}', true, true),
	('vulnerability', 6, '{vendor_id}', true, true),
	('vulnerability', 7, '{title}', true, true),
	('vulnerability', 8, '{source_finding_id}', true, true),
	('misconfiguration', 0, '{policy_name,title,technology_name}', true, true),
	('misconfiguration', 1, '{vendor_id,technology_name}', true, true),
	('misconfiguration', 2, '{title,technology_name}', true, true),
	('misconfiguration', 3, '{title}', true, true),
	('misconfiguration', 4, '{source_finding_id}', true, true)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Merge rules keep what imports did before them: the most recent observation decides every field.
INSERT INTO "finding_merge_rules" ("field_group", "strategy") VALUES
	('severity', 'most_recent'),
	('text', 'most_recent'),
	('cvss', 'most_recent'),
	('remediation', 'most_recent')
ON CONFLICT DO NOTHING;
