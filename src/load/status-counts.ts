/**
 * `sync_runs.requests_by_status` is a jsonb object of counters ({"200": 41, "429": 2}). Adding a
 * delta happens in SQL, inside the same statement as the other counters, so concurrent workers
 * finishing partitions of one run never lose each other's increments (no read-modify-write).
 */
import { type SQL, sql } from 'drizzle-orm';

/** `column + counts`, key-wise; `column` is an SQL expression of the current value. */
export function addStatusCounts(column: SQL, counts: Readonly<Record<string, number>> | undefined): SQL {
  if (!counts || Object.keys(counts).length === 0) return column;
  return sql`(select coalesce(jsonb_object_agg(key, n), '{}'::jsonb) from (
      select key, sum(value::bigint) as n
      from (select * from jsonb_each_text(${column})
            union all select * from jsonb_each_text(${JSON.stringify(counts)}::jsonb)) e
      group by key) g)`;
}
