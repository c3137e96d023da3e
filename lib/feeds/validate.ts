import { z } from 'zod';

/** A CVE id as the feeds write it, `CVE-YYYY-NNNN` with four or more digits. */
export const CVE_ID = z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id such as CVE-2024-3400');

/** A calendar date `YYYY-MM-DD`. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** Formats zod issues as `field: message` pairs for a feed error message. */
export function zodDetail(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
