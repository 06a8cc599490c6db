/**
 * One commit group (one page, or several consecutive pages of a walk: commit-group.ts), one
 * transaction: upsert the rows, record rejected ones, mark the walk's seen keys, advance
 * sync_state, add to the run's counters and, when the group completes a `full+deletes` walk,
 * sweep (or hold a mass deletion: sweep.ts). A crash at any instant leaves rows and checkpoint
 * consistent: never a checkpoint ahead of its rows, and replaying a group is a no-op (it counts as
 * unchanged).
 *
 * A value Postgres would refuse is dropped before the transaction (row-mapper.ts); should the
 * page still fail with a data error, the rows it refuses are found (refused-rows.ts) and the page
 * is committed once more without them, those rows going to `rejected_records`.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { ResumeToken } from '../extract/paginators/types.ts';
import type { StreamDef } from '../extract/streams.ts';
import { startSpan } from '../tracing.ts';
import { cascadeDeletes, writeChildren } from './children.ts';
import { schemaColumn, streamTable } from './columns.ts';
import { type Database, type Executor, rows } from './database.ts';
import { PageCommitError } from './errors/page-commit-error.ts';
import { DEFAULT_DELETE_GUARD, type DeleteGuard } from './mass-delete-guard.ts';
import { findRefusedRows, isRowDataError } from './refused-rows.ts';
import { mapRecord, planTable, type TablePlan } from './row-mapper.ts';
import type { Tables } from './schema.ts';
import { sweep } from './sweep.ts';
import { runCounterCtes } from './sync-runs/index.ts';
import { type Advance, advanceState, stateAt, walkStartedAt } from './sync-state.ts';
import { iso } from './timestamps.ts';
import { type FoldedWrites, type UpsertRow, upsertRows, upsertsInOneStatement } from './upsert.ts';
import type { ValueChange } from './value-changes.ts';
import { seenMarks, walkStartedEmpty } from './walks.ts';

export interface CommitPageInput {
  runId: string;
  stream: StreamDef;
  /** sync_state key: '' for root streams; the parent id / fan-out value / run id otherwise. */
  partition: string;
  /** Value for the partition column when the state key differs (backfill windows). @default partition */
  partitionValue?: string;
  /** The UTC date (`YYYY-MM-DD`) a snapshot stream's page describes. */
  snapshotDate?: string;
  /** From beginWalk(). */
  walkId: string;
  /** The records of every page of the group, in page order (a record seen twice: the later wins). */
  records: readonly Record<string, unknown>[];
  /** Where the next page starts; null = this group completes the walk. */
  resume: ResumeToken | null;
  /** Pages the group holds (commit-group.ts): one transaction, one checkpoint. @default 1 */
  pages?: number;
  /** Incremental high-water mark to store (kept when omitted). */
  highWater?: string;
  /** When the walk completes, store max(incremental.cursorField) of the table as the high-water mark. */
  trackHighWater?: boolean;
  /** When the sweep of a completed walk is held instead of applied. @default DEFAULT_DELETE_GUARD */
  deleteGuard?: DeleteGuard;
}

export interface PageCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  deleted: number;
  /** Entries written to the rows' `_changes` (values dropped as NULL, `raw` strings repaired). */
  dropped: number;
  /** Deletions the mass-delete guard held instead of applying. */
  held: number;
}

interface PageRow extends UpsertRow {
  dropped: readonly ValueChange[];
  /** The record as received, for its nested child rows (children.ts). */
  record: Record<string, unknown>;
}

interface Rejected {
  reason: string;
  raw: string;
}

/** A page's counts and, when its sweep held deletions, the partition's live rows for the warning. */
export interface PageCommit extends PageCounts {
  hold?: { held: number; live: number };
}

export async function commitPage(database: Database, page: CommitPageInput): Promise<PageCommit> {
  const { tables } = database;
  const table = streamTable(tables, page.stream.name);
  const plan = planTable(table, page.stream);

  // Dedupe by primary key, last wins, before any statement (ON CONFLICT cannot touch a row twice).
  const valid = new Map<string, PageRow>();
  const rejected: Rejected[] = [];
  const seen = new Set<string>();
  for (const record of page.records) {
    const mapped = mapRecord(
      plan,
      record,
      page.partitionValue ?? page.partition,
      database.privacy,
      page.snapshotDate,
    );
    if (mapped.pk !== undefined) seen.add(mapped.pk);
    if (!mapped.ok) {
      rejected.push({ reason: mapped.reason, raw: mapped.raw });
      continue;
    }
    valid.delete(mapped.pk);
    const changes = JSON.stringify(mapped.changes);
    valid.set(mapped.pk, {
      values: mapped.values,
      raw: mapped.raw,
      changes,
      dropped: mapped.changes,
      record,
    });
  }

  const complete = page.resume === null;
  const write = (rows: PageRow[], refused: Rejected[]) =>
    writePage(database, page, plan, rows, refused, [...seen], complete);
  const rows = [...valid.values()];
  const span = startSpan('puffle.page.commit', {
    'puffle.stream': page.stream.name,
    'puffle.partition': page.partition,
    'puffle.page.records': page.records.length,
    'puffle.page.pages': page.pages ?? 1,
    'puffle.page.completes_walk': complete,
  });
  const written = await write(rows, rejected)
    .then(
      (counts) => ({ counts, rows }),
      (err: unknown) => {
        if (!isRowDataError(err)) throw new PageCommitError(page.stream.name, page.partition, err);
        return withoutRefusedRows(database, page, plan, rows, rejected, write, err);
      },
    )
    .catch((err: unknown) => {
      span.end(undefined, err);
      throw err;
    });
  const { counts } = written;
  span.end({
    'puffle.page.inserted': counts.inserted,
    'puffle.page.updated': counts.updated,
    'puffle.page.unchanged': counts.unchanged,
    'puffle.page.rejected': counts.rejected,
    'puffle.page.deleted': counts.deleted,
    'puffle.page.held': counts.held,
    'puffle.page.dropped': counts.dropped,
  });
  logDropped(database, page, written.rows);
  return counts;
}

/** Commits the page without the rows Postgres refuses on their own; they go to rejected_records. */
async function withoutRefusedRows(
  database: Database,
  page: CommitPageInput,
  plan: TablePlan,
  rows: PageRow[],
  rejected: Rejected[],
  write: (rows: PageRow[], rejected: Rejected[]) => Promise<PageCounts>,
  pageError: unknown,
): Promise<{ counts: PageCounts; rows: PageRow[] }> {
  const fail = (err: unknown) => new PageCommitError(page.stream.name, page.partition, err);
  const refused = await findRefusedRows(database, plan, rows, page.runId).catch((err: unknown) => {
    throw fail(err);
  });
  if (refused.length === 0) throw fail(pageError);
  const out = new Set(refused.map((r) => r.index));
  const moved = refused.map((r) => ({
    reason: `the database refused the row (SQLSTATE ${r.sqlState}): ${r.message}`,
    raw: rows[r.index]!.raw,
  }));
  const kept = rows.filter((_, i) => !out.has(i));
  const counts = await write(kept, [...rejected, ...moved]).catch((err: unknown) => {
    throw fail(err);
  });
  database.logger.warn(
    {
      stream: page.stream.name,
      partition: page.partition,
      rows: refused.length,
      sqlState: refused[0]?.sqlState,
    },
    `${page.stream.name}: ${refused.length} row(s) the database refused moved to rejected_records; the rest of the page committed`,
  );
  return { counts, rows: kept };
}

/** One line per field and reason: never the value (it may be personal), which stays in `_changes`. */
function logDropped(database: Database, page: CommitPageInput, rows: readonly PageRow[]): void {
  const byField = new Map<string, { field: string; reason: string; rows: number }>();
  for (const row of rows)
    for (const c of row.dropped) {
      const key = `${c.field}\u0001${c.reason}`;
      const entry = byField.get(key) ?? { field: c.field, reason: c.reason, rows: 0 };
      entry.rows += 1;
      byField.set(key, entry);
    }
  for (const { field, reason, rows: n } of byField.values())
    database.logger.warn(
      { stream: page.stream.name, partition: page.partition, field, reason, rows: n },
      `${page.stream.name}.${field}: value dropped in ${n} row(s) (${reason}); recorded in _changes`,
    );
}

/**
 * Whether this page's transaction committed even though its caller saw an error (the connection
 * died after COMMIT was sent, before the reply). The checkpoint is the proof: the partition's
 * state is at this walk and at this page's resume point (or complete, for the walk's last page).
 * Retrying a page that landed must be avoided: a last page would sweep again after its seen-marks
 * were cleared and soft-delete the whole partition.
 */
export function pageLanded(
  database: Database,
  page: Pick<CommitPageInput, 'stream' | 'partition' | 'walkId' | 'resume'>,
): Promise<boolean> {
  return stateAt(database, page);
}

async function writePage(
  database: Database,
  page: CommitPageInput,
  plan: TablePlan,
  valid: PageRow[],
  rejected: Rejected[],
  seen: string[],
  complete: boolean,
): Promise<PageCommit> {
  const { tables } = database;
  // A walk that began on an empty partition wrote every row it will find: no marks, no sweep.
  const detectsDeletes = page.stream.unlisted === 'deleted' && !walkStartedEmpty(page.walkId);
  const marks = detectsDeletes
    ? seenMarks(tables, page.stream, page.partition, page.walkId, seen)
    : undefined;
  const base = {
    read: page.records.length,
    rejected: rejected.length,
    dropped: valid.reduce((n, r) => n + r.dropped.length, 0),
  };
  const rejects = rejectedRows(tables, page, rejected);
  // Unless the commit completes a walk that sweeps or reads its high-water mark from the rows (those
  // must see the upsert's rows), its seen-marks, rejected records, checkpoint and counters ride in
  // the upsert statement as CTEs.
  const readsHighWater = page.highWater === undefined && page.trackHighWater && !!page.stream.incremental;
  // A stream with a child table (list_rows → list_cells) writes the children after the upsert, so
  // it takes the unfolded path.
  const fold: FoldedWrites | undefined =
    (complete && (detectsDeletes || readsHighWater)) || page.stream.children
      ? undefined
      : (w) => [
          ...(marks ? [sql`seen as (${marks})`] : []),
          ...(rejects ? [sql`rejects as (${rejects})`] : []),
          sql`state as (${advanceState(tables, advanceOf(page, page.highWater ?? null))})`,
          ...runCounterCtes(tables, page, {
            ...base,
            ...w,
            unchanged: sql`${valid.length}::int - ${w.inserted} - ${w.updated}`,
            deleted: 0,
            held: 0,
          }),
        ];
  const counted = ({ inserted, updated }: { inserted: number; updated: number }): PageCounts => ({
    ...base,
    inserted,
    updated,
    unchanged: valid.length - inserted - updated,
    deleted: 0,
    held: 0,
  });
  if (fold && upsertsInOneStatement(plan, valid.length)) {
    // Every write of this commit is in the one upsert statement, atomic on its own: the begin and
    // commit around it were two of its three round trips (most child walks are one such page).
    return counted(await upsertRows(database.db, plan, valid, page.runId, { fold }));
  }
  return database.db.transaction(async (tx) => {
    const { inserted, updated, folded } = await upsertRows(tx, plan, valid, page.runId, { fold });
    const childRejected = page.stream.children
      ? await writeChildren({
          tx,
          tables,
          stream: page.stream,
          parentPlan: plan,
          parents: valid,
          runId: page.runId,
          privacy: database.privacy,
        })
      : [];
    const counts = { ...counted({ inserted, updated }), rejected: rejected.length + childRejected.length };
    if (folded) return counts;
    const allRejects = childRejected.length
      ? rejectedRows(tables, page, [...rejected, ...childRejected])
      : rejects;
    if (allRejects) await tx.execute(allRejects);
    if (marks) await tx.execute(marks);
    const swept =
      detectsDeletes && complete
        ? await sweep(tx, tables, {
            stream: page.stream,
            partition: page.partition,
            partitionValue: page.partitionValue ?? page.partition,
            walkId: page.walkId,
            runId: page.runId,
            guard: page.deleteGuard ?? DEFAULT_DELETE_GUARD,
          })
        : undefined;
    if (swept?.deleted && page.stream.children)
      await cascadeDeletes(tx, tables, page.stream, page.partitionValue ?? page.partition, page.runId);
    await writeState(tx, tables, page, complete);
    counts.deleted = swept?.deleted ?? 0;
    counts.held = swept?.held ?? 0;
    await tx.execute(sql`with ${sql.join(runCounterCtes(tables, page, counts), sql`, `)} select 1`);
    return swept?.held ? { ...counts, hold: { held: swept.held, live: swept.live } } : counts;
  });
}

/** The rejected records' insert; undefined when there are none. */
function rejectedRows(tables: Tables, page: CommitPageInput, rejected: readonly Rejected[]): SQL | undefined {
  if (rejected.length === 0) return undefined;
  return sql`
    insert into ${tables.rejected_records} (run_id, stream, partition, reason, raw)
    select ${page.runId}, ${page.stream.name}, ${page.partition}, u.reason, u.raw::jsonb
    from unnest(${sql.param(rejected.map((r) => r.reason))}::text[], ${sql.param(rejected.map((r) => r.raw))}::text[])
      as u(reason, raw)`;
}

function advanceOf(page: CommitPageInput, highWater: string | null): Advance {
  return {
    runId: page.runId,
    stream: page.stream,
    partition: page.partition,
    partitionValue: page.partitionValue ?? page.partition,
    walkId: page.walkId,
    resume: page.resume,
    pages: page.pages ?? 1,
    highWater,
  };
}

async function writeState(
  tx: Executor,
  tables: Tables,
  page: CommitPageInput,
  complete: boolean,
): Promise<void> {
  const highWater =
    page.highWater ?? (complete && page.trackHighWater ? await newestCursor(tx, tables, page) : null);
  await tx.execute(advanceState(tables, advanceOf(page, highWater)));
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
  const walkStart = walkStartedAt(tables, stream.name, page.partition, page.walkId);
  const [row] = await rows<{ v: string | null }>(
    tx,
    sql`select ${iso(sql`least(max(${sql.identifier(column.name)}), ${walkStart})`)} as v from ${table}
      having max(${sql.identifier(column.name)}) is not null`,
  );
  return row?.v ?? null;
}
