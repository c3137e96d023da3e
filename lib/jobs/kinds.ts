import { reidentifyJob } from '../identification/reidentify-job';
import { importJob } from '../imports/import-job';
import type { JobKind } from './job-kind';

/**
 * Every job kind the server's worker runs. A kind must be listed here to be claimed; add new
 * kinds at the end.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const JOB_KINDS: readonly JobKind<any, any>[] = [importJob, reidentifyJob];
