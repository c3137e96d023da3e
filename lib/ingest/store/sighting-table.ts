import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../../db/client';

// The findings one import has seen so far, kept in a temporary table instead of in memory, so
// the writer's memory does not grow with the report. The absent-finding step and the asset scans
// read it at the import's end.

let nextTableNumber = 1;

/** A temporary table of `(finding_id, asset_id)` rows, dropped when the import's transaction ends. */
export class SightingTable {
  /** A name of its own, so two writers in one transaction (a report, then its end-of-life check) do not share rows. */
  readonly name: SQL;

  private constructor(tableName: string) {
    this.name = sql.raw(`pg_temp.${tableName}`);
  }

  static async create(tx: Tx): Promise<SightingTable> {
    const table = new SightingTable(`import_sightings_${process.pid}_${nextTableNumber++}`);
    await tx.execute(sql`create temporary table ${table.name} (finding_id int primary key, asset_id int not null) on commit drop`);
    return table;
  }

  /** Drops the rows before the transaction ends, for a writer that finished while its transaction goes on. */
  async drop(tx: Tx): Promise<void> {
    await tx.execute(sql`drop table if exists ${this.name}`);
  }
}
