import { date, pgTable, primaryKey, real, text } from 'drizzle-orm/pg-core';

/**
 * EPSS scores over time. A row is written only when a CVE's score differs from its latest earlier
 * row, so a score on day D is the row with the greatest `day` ≤ D.
 */
export const epssHistory = pgTable(
  'epss_history',
  {
    cveId: text().notNull(),
    /** EPSS `score_date` of the file the score came from. */
    day: date().notNull(),
    score: real().notNull(),
  },
  (table) => [primaryKey({ columns: [table.cveId, table.day] })],
);
