import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { queryRows } from '../../db/execute';
import { toJson } from '../ingest/store/sql-params';
import type { EolProduct } from './model';

/**
 * Stores endoflife.date products and replaces each product's cycles with the given ones, so a
 * cycle the source dropped disappears too. Returns the number of cycles inserted or changed.
 * Every open misconfiguration with a technology is queued for rescoring, because a new cycle can
 * change which technology matches. Products absent from the input keep their stored cycles.
 */
export async function storeEolProducts(tx: Tx, products: EolProduct[], source: string): Promise<number> {
  if (products.length === 0) return 0;
  const productRows = products.map((product) => ({ product: product.product, label: product.label, aliases: product.aliases, cpes: product.cpes }));
  await tx.execute(sql`
    insert into technology_products as p (product, label, aliases, cpes, source)
    select x.product, x.label, x.aliases, x.cpes, ${source}
    from json_to_recordset(${toJson(productRows)}::json) as x(product text, label text, aliases text[], cpes text[])
    on conflict (product) do update set label = excluded.label, aliases = excluded.aliases, cpes = excluded.cpes, source = excluded.source, updated_at = now()
  `);

  const cycleRows = products.flatMap((product) =>
    product.cycles.map((cycle) => ({
      product: product.product,
      cycle: cycle.cycle,
      codename: cycle.codename,
      release_date: cycle.releaseDate,
      lts: cycle.lts,
      eol_date: typeof cycle.eol === 'string' ? cycle.eol : null,
      eol_flag: typeof cycle.eol === 'boolean' ? cycle.eol : null,
      support_end_date: typeof cycle.support === 'string' ? cycle.support : null,
      support_end_flag: typeof cycle.support === 'boolean' ? cycle.support : null,
      extended_support_end_date: cycle.extendedSupport,
      latest_version: cycle.latestVersion,
      latest_release_date: cycle.latestReleaseDate,
    })),
  );
  const names = toJson(products.map((product) => product.product));
  const keep = toJson(cycleRows.map((row) => [row.product, row.cycle]));
  await tx.execute(sql`
    delete from technology_lifecycles l
    where l.product in (select jsonb_array_elements_text(${names}::jsonb))
      and not exists (select 1 from jsonb_array_elements(${keep}::jsonb) k where k->>0 = l.product and k->>1 = l.cycle)
  `);

  let changed = 0;
  // One statement per thousand cycles keeps the JSON parameter small; the shared data has about 9,000.
  for (let start = 0; start < cycleRows.length; start += 1000) {
    const batch = cycleRows.slice(start, start + 1000);
    const rows = await queryRows<{ product: string }>(tx, sql`
      insert into technology_lifecycles as l (product, cycle, codename, release_date, lts, eol_date, eol_flag, support_end_date,
        support_end_flag, extended_support_end_date, latest_version, latest_release_date, source)
      select distinct on (x.product, x.cycle) x.product, x.cycle, x.codename, x.release_date, x.lts, x.eol_date, x.eol_flag, x.support_end_date,
        x.support_end_flag, x.extended_support_end_date, x.latest_version, x.latest_release_date, ${source}
      from json_to_recordset(${toJson(batch)}::json) as x(product text, cycle text, codename text, release_date date, lts boolean,
        eol_date date, eol_flag boolean, support_end_date date, support_end_flag boolean, extended_support_end_date date,
        latest_version text, latest_release_date date)
      on conflict (product, cycle) do update set
        codename = excluded.codename, release_date = excluded.release_date, lts = excluded.lts, eol_date = excluded.eol_date,
        eol_flag = excluded.eol_flag, support_end_date = excluded.support_end_date, support_end_flag = excluded.support_end_flag,
        extended_support_end_date = excluded.extended_support_end_date, latest_version = excluded.latest_version,
        latest_release_date = excluded.latest_release_date, source = excluded.source
      where (l.codename, l.release_date, l.lts, l.eol_date, l.eol_flag, l.support_end_date, l.support_end_flag, l.extended_support_end_date,
          l.latest_version, l.latest_release_date)
        is distinct from (excluded.codename, excluded.release_date, excluded.lts, excluded.eol_date, excluded.eol_flag, excluded.support_end_date,
          excluded.support_end_flag, excluded.extended_support_end_date, excluded.latest_version, excluded.latest_release_date)
      returning l.product
    `);
    changed += rows.length;
  }

  await tx.execute(sql`
    insert into feed_rescore_findings (finding_id)
    select f.id from findings f
    where f.type = 'misconfiguration' and f.technology_id is not null and f.status <> 'fixed'
    on conflict do nothing
  `);
  return changed;
}
