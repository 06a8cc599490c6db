/**
 * The COPY half of the large-page upsert on Postgres: a page's rows are streamed with
 * `COPY … FROM STDIN` into a session-local staging table (text columns, emptied at every commit),
 * and the upsert then reads them from there. For pages of a few hundred rows this replaces
 * binding one `text[]` literal per column — escaped in JS, parsed by array_in — which cost more
 * than the insert itself. PGlite (no COPY FROM STDIN over the wire) keeps the unnest path.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type SQL, sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor } from './database.ts';
import type { TablePlan } from './row-mapper.ts';

/**
 * Pages at least `minRows` big go through COPY; below it one round trip of unnest is cheaper.
 * Mutable so a benchmark can compare both paths in one process.
 */
export const copyStage = { minRows: 64 };

interface StagedRow {
  values: readonly (string | null)[];
  raw: string;
  changes: string;
}

/** The node-postgres connection of a Drizzle transaction, or undefined (PGlite, or not in a transaction). */
export function pgClientOf(tx: Executor): PoolClient | undefined {
  const client = (tx as { session?: { client?: unknown } }).session?.client as PoolClient | undefined;
  return client && typeof client.release === 'function' && typeof client.query === 'function'
    ? client
    : undefined;
}

/** Widest table the staging table can hold; wider ones take the unnest path. */
export const STAGE_COLUMNS = 64;
const STAGE = 'ps_stage';

/**
 * Streams `rows` into this session's staging table (`c1 … c64`, `raw`, `changes`; one table for every stream
 * so each commit empties one table, not one per stream) and returns a derived table over them
 * with the columns renamed to the table's, `raw_json` and `changes_json`. `delete … returning` reads the rows and
 * empties the table in the same statement, so two stagings in one transaction never mix.
 */
export async function stageRows(
  tx: Executor,
  client: PoolClient,
  plan: TablePlan,
  rows: readonly StagedRow[],
): Promise<{ cte: SQL; from: SQL }> {
  const n = plan.columns.length;
  const cols = Array.from({ length: STAGE_COLUMNS }, (_, i) => `c${i + 1}`);
  // `if not exists` every time: a cached "already created" would be wrong after a rollback.
  await tx.execute(
    sql.raw(
      `create temp table if not exists ${STAGE} (${cols.map((c) => `${c} text`).join(', ')}, raw text, changes text) on commit delete rows`,
    ),
  );
  const copy = client.query(
    copyFrom(`copy ${STAGE} (${[...cols.slice(0, n), 'raw', 'changes'].join(', ')}) from stdin`),
  );
  await pipeline(Readable.from(lines(rows)), copy);
  const renamed = plan.columns.map(
    (c, i) => sql`d.${sql.identifier(`c${i + 1}`)} as ${sql.identifier(c.name)}`,
  );
  return {
    cte: sql`staged as (delete from ${sql.identifier(STAGE)} returning *), `,
    from: sql`(select ${sql.join(renamed, sql`, `)}, d.raw, d.raw::jsonb as raw_json,
      d.changes::jsonb as changes_json from staged as d)`,
  };
}

function* lines(rows: readonly StagedRow[]): Generator<string> {
  let buf = '';
  for (const r of rows) {
    for (const v of r.values) buf += `${copyText(v ?? null)}\t`;
    buf += `${copyText(r.raw)}\t${copyText(r.changes)}\n`;
    if (buf.length > 65_536) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

const SPECIAL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in COPY text format (\N = NULL). */
export function copyText(v: string | null): string {
  return v === null ? '\\N' : v.replace(SPECIAL, (c) => ESCAPES[c] as string);
}
