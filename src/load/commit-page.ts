/**
 * One page, one transaction: upsert the page's rows, record rejected ones, mark the walk's seen
 * keys, advance sync_state, add to the run's counters and, when the page completes a
 * `full+deletes` walk, sweep. A crash at any instant leaves rows and checkpoint consistent:
 * never a checkpoint ahead of its rows, and replaying a page is a no-op (it counts as unchanged).
 */
import { sql } from 'drizzle-orm';
import type { ResumeToken } from '../extract/paginators/types.ts';
import type { StreamDef } from '../extract/streams.ts';
import { startSpan } from '../tracing.ts';
import { schemaColumn, streamTable } from './columns.ts';
import { type Database, type Executor, rows } from './database.ts';
import { PageCommitError } from './errors/page-commit-error.ts';
import { mapRecord, planTable, type TablePlan } from './row-mapper.ts';
import type { Tables } from './schema.ts';
import { iso } from './sync-state.ts';
import { type UpsertRow, upsertRows } from './upsert.ts';
import { markSeen, parentFingerprint, sweep, walkStartedEmpty } from './walks.ts';

export interface CommitPageInput {
  runId: string;
  stream: StreamDef;
  /** sync_state key: '' for root streams; the parent id / fan-out value / run id otherwise. */
  partition: string;
  /** Value for the partition column when the state key differs (backfill windows). @default partition */
  partitionValue?: string;
  /** From beginWalk(). */
  walkId: string;
  records: readonly Record<string, unknown>[];
  /** Where the next page starts; null = this page completes the walk. */
  resume: ResumeToken | null;
  /** Incremental high-water mark to store (kept when omitted). */
  highWater?: string;
  /** When the walk completes, store max(incremental.cursorField) of the table as the high-water mark. */
  trackHighWater?: boolean;
}

export interface PageCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deleted: number;
}

export async function commitPage(database: Database, page: CommitPageInput): Promise<PageCounts> {
  const { tables } = database;
  const table = streamTable(tables, page.stream.name);
  const plan = planTable(table, page.stream);

  // Dedupe by primary key, last wins, before any statement (ON CONFLICT cannot touch a row twice).
  const valid = new Map<string, UpsertRow>();
  const rejected: { reason: string; raw: string }[] = [];
  const seen = new Set<string>();
  for (const record of page.records) {
    const mapped = mapRecord(plan, record, page.partitionValue ?? page.partition, database.privacy);
    if (mapped.pk !== undefined) seen.add(mapped.pk);
    if (!mapped.ok) {
      rejected.push({ reason: mapped.reason, raw: mapped.raw });
      continue;
    }
    valid.delete(mapped.pk);
    valid.set(mapped.pk, { values: mapped.values, raw: mapped.raw });
  }

  const complete = page.resume === null;
  const span = startSpan('puffle.page.commit', {
    'puffle.stream': page.stream.name,
    'puffle.partition': page.partition,
    'puffle.page.records': page.records.length,
    'puffle.page.completes_walk': complete,
  });
  try {
    const counts = await writePage(database, page, plan, [...valid.values()], rejected, [...seen], complete);
    span.end({
      'puffle.page.inserted': counts.inserted,
      'puffle.page.updated': counts.updated,
      'puffle.page.unchanged': counts.unchanged,
      'puffle.page.rejected': counts.rejected,
      'puffle.page.deleted': counts.deleted,
    });
    return counts;
  } catch (err) {
    const failure = new PageCommitError(page.stream.name, page.partition, err);
    span.end(undefined, failure);
    throw failure;
  }
}

/**
 * Whether this page's transaction committed even though its caller saw an error (the connection
 * died after COMMIT was sent, before the reply). The checkpoint is the proof: the partition's
 * state is at this walk and at this page's resume point (or complete, for the walk's last page).
 * Retrying a page that landed must be avoided: a last page would sweep again after its seen-marks
 * were cleared and soft-delete the whole partition.
 */
export async function pageLanded(
  database: Database,
  page: Pick<CommitPageInput, 'stream' | 'partition' | 'walkId' | 'resume'>,
): Promise<boolean> {
  const at =
    page.resume === null
      ? sql`complete and resume is null`
      : sql`not complete and resume = ${JSON.stringify(page.resume)}::jsonb`;
  const found = await database.query(sql`select 1 from ${database.tables.sync_state}
    where stream = ${page.stream.name} and partition = ${page.partition} and walk_id = ${page.walkId} and ${at}`);
  return found.length > 0;
}

function writePage(
  database: Database,
  page: CommitPageInput,
  plan: TablePlan,
  valid: UpsertRow[],
  rejected: { reason: string; raw: string }[],
  seen: string[],
  complete: boolean,
): Promise<PageCounts> {
  const { tables } = database;
  return database.db.transaction(async (tx) => {
    const { inserted, updated } = await upsertRows(tx, plan, valid, page.runId);
    await insertRejected(tx, tables, page, rejected);
    // A walk that began on an empty partition wrote every row it will find: no marks, no sweep.
    const detectsDeletes = page.stream.freshness === 'full+deletes' && !walkStartedEmpty(page.walkId);
    if (detectsDeletes) await markSeen(tx, tables, page.stream, page.partition, page.walkId, seen);
    const deleted =
      detectsDeletes && complete
        ? await sweep(
            tx,
            tables,
            page.stream,
            page.partition,
            page.partitionValue ?? page.partition,
            page.walkId,
            page.runId,
          )
        : 0;
    await writeState(tx, tables, page, complete);
    const counts: PageCounts = {
      read: page.records.length,
      inserted,
      updated,
      unchanged: valid.length - inserted - updated,
      rejected: rejected.length,
      deleted,
    };
    await addRunCounters(tx, tables, page, counts);
    return counts;
  });
}

async function insertRejected(
  tx: Executor,
  tables: Tables,
  page: CommitPageInput,
  rejected: readonly { reason: string; raw: string }[],
): Promise<void> {
  if (rejected.length === 0) return;
  await tx.execute(sql`
    insert into ${tables.rejected_records} (run_id, stream, partition, reason, raw)
    select ${page.runId}, ${page.stream.name}, ${page.partition}, u.reason, u.raw::jsonb
    from unnest(${sql.param(rejected.map((r) => r.reason))}::text[], ${sql.param(rejected.map((r) => r.raw))}::text[])
      as u(reason, raw)`);
}

async function writeState(
  tx: Executor,
  tables: Tables,
  page: CommitPageInput,
  complete: boolean,
): Promise<void> {
  const t = tables.sync_state;
  const resume = page.resume === null ? null : JSON.stringify(page.resume);
  const fingerprint = parentFingerprint(tables, page.stream, page.partitionValue ?? page.partition);
  const highWater =
    page.highWater ?? (complete && page.trackHighWater ? await newestCursor(tx, tables, page) : null);
  // The parent value is captured on the walk's first page (unless beginWalk did) and becomes the
  // partition's "fresh against" fingerprint when the walk completes.
  const walkFingerprint = sql`case when s.walk_id = excluded.walk_id then coalesce(s.walk_fingerprint, excluded.walk_fingerprint) else excluded.walk_fingerprint end`;
  await tx.execute(sql`
    insert into ${t} as s (stream, partition, walk_id, resume, complete, pages, high_water, run_id, started_at,
      completed_at, updated_at, walk_fingerprint, parent_fingerprint)
    values (${page.stream.name}, ${page.partition}, ${page.walkId}, ${resume}::jsonb, ${complete}, 1,
      ${highWater}, ${page.runId}, now(), ${complete ? sql`now()` : sql`null`}, now(), ${fingerprint},
      ${complete ? fingerprint : sql`null`})
    on conflict (stream, partition) do update set
      resume = excluded.resume,
      complete = excluded.complete,
      pages = case when s.walk_id = excluded.walk_id then s.pages + 1 else 1 end,
      started_at = case when s.walk_id = excluded.walk_id then s.started_at else now() end,
      walk_fingerprint = ${walkFingerprint},
      parent_fingerprint = case when excluded.complete then ${walkFingerprint} else s.parent_fingerprint end,
      walk_id = excluded.walk_id,
      high_water = coalesce(excluded.high_water, s.high_water),
      run_id = excluded.run_id,
      completed_at = coalesce(excluded.completed_at, s.completed_at),
      updated_at = now()`);
}

/**
 * The high-water mark a completed walk stores: the newest cursor value in the table, but never
 * later than when the walk began. Rows newer than that were written by someone else (a targeted
 * webhook sync, under its own checkpoint) while this walk was under way: the walk did not see
 * what lies between its start and them, so its mark must not jump over that gap.
 */
async function newestCursor(tx: Executor, tables: Tables, page: CommitPageInput): Promise<string | null> {
  const { stream } = page;
  if (!stream.incremental) return null;
  const table = streamTable(tables, stream.name);
  const column = schemaColumn(table, stream.incremental.cursorField);
  const walkStart = sql`coalesce((select started_at from ${tables.sync_state} where stream = ${stream.name}
    and partition = ${page.partition} and walk_id = ${page.walkId}), now())`;
  const [row] = await rows<{ v: string | null }>(
    tx,
    sql`select ${iso(sql`least(max(${sql.identifier(column.name)}), ${walkStart})`)} as v from ${table}
      having max(${sql.identifier(column.name)}) is not null`,
  );
  return row?.v ?? null;
}

async function addRunCounters(
  tx: Executor,
  tables: Tables,
  page: CommitPageInput,
  c: PageCounts,
): Promise<void> {
  const t = tables.sync_runs;
  // One statement (one round trip): the stream's row and the run's '*' row move together. Request
  // counters are added once per stream, when it finishes (finishStreamRun), not per page.
  await tx.execute(sql`
    with run as (select trigger from ${t} where run_id = ${page.runId} and stream = '*'),
    star as (
      update ${t} set pages = pages + 1, records_read = records_read + ${c.read},
        inserted = inserted + ${c.inserted}, updated = updated + ${c.updated},
        unchanged = unchanged + ${c.unchanged}, deleted = deleted + ${c.deleted},
        rejected = rejected + ${c.rejected}
      where run_id = ${page.runId} and stream = '*'
    )
    insert into ${t} as r (run_id, stream, trigger, status, started_at, pages, records_read, inserted, updated,
      unchanged, deleted, rejected)
    values (${page.runId}, ${page.stream.name}, coalesce((select trigger from run), 'manual'), 'running', now(), 1,
      ${c.read}, ${c.inserted}, ${c.updated}, ${c.unchanged}, ${c.deleted}, ${c.rejected})
    on conflict (run_id, stream) do update set
      pages = r.pages + 1, records_read = r.records_read + excluded.records_read,
      inserted = r.inserted + excluded.inserted, updated = r.updated + excluded.updated,
      unchanged = r.unchanged + excluded.unchanged, deleted = r.deleted + excluded.deleted,
      rejected = r.rejected + excluded.rejected`);
}
