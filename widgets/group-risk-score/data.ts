import type { Db } from '@/db/client';
import { AppError } from '@/lib/http/app-error';
import { riskBand, type Band } from '@/lib/scoring/bands';
import { explainGroupRisk, type RiskSubject } from '@/lib/scoring/groups';
import type { GroupRiskScoreOptions } from './definition';

export interface GroupRiskScoreData {
  name: string;
  version: 'v1' | 'v2';
  score: number;
  band: Band;
  /** The other version's score, shown beside the chosen one. */
  otherScore: number;
  memberCount: number;
  /** Page with the full explanation. */
  href: string;
}

/** Loads the Risk Score of the organization, a business entity or a tag in the chosen version. */
export async function loadGroupRiskScore(db: Db, options: GroupRiskScoreOptions): Promise<GroupRiskScoreData> {
  const subject: RiskSubject = options.subject === 'organization' ? { kind: 'organization' } : { kind: options.subject, id: options.subjectId ?? 0 };
  const explanation = await explainGroupRisk(db, subject);
  if (!explanation) throw new AppError('not_found', `no ${options.subject.replace('_', ' ')} with id ${options.subjectId ?? 'missing'}; pick another in the widget options`);

  const version = options.version === 'setting' ? explanation.displayedVersion : options.version;
  const score = version === 'v1' ? explanation.v1 : explanation.v2;
  // TODO: tags have no page with their score explanation yet; their widget links to the organization's.
  const href = subject.kind === 'business_entity' ? `/business-entities/${subject.id}` : '/risk';
  return { name: explanation.name, version, score, band: riskBand(score), otherScore: version === 'v1' ? explanation.v2 : explanation.v1, memberCount: explanation.memberCount, href };
}
