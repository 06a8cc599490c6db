/**
 * The home of `sync_state`, the checkpoint of one (stream, partition): nothing else writes SQL
 * against it. A walk begins (`beginState`), advances with every commit group (`advanceState`, in
 * the group's transaction; the walk's last group completes it), and is read back through a zod
 * schema: a row written by a different version or edited by hand fails loudly
 * (SyncStateInvalidError) instead of resuming from garbage. The checkpoint policy lives here too:
 * the state key of a walk, whether a step starts its walk over, and the `since` it resumes with.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { ResumeToken } from '../extract/paginators/types.ts';
import type { StreamDef, StreamName } from '../extract/streams.ts';
import { columnRef, streamTable } from './columns.ts';
import { type Database, type Executor, rows } from './database.ts';
import { SyncStateInvalidError } from './errors/sync-state-invalid-error.ts';
import type { DatabaseReader } from './reader.ts';
import type { Tables } from './schema.ts';
import { iso } from './timestamps.ts';

const resumeSchema: z.ZodType<ResumeToken> = z.union([
  z.object({ kind: z.literal('cursor'), cursor: z.string() }).strict(),
  z
    .object({
      kind: z.literal('page'),
      page: z.number().int().positive(),
      total: z.number().int().nonnegative().optional(),
      pass: z.number().int().nonnegative().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('offset'),
      offset: z.number().int().nonnegative(),
      total: z.number().int().nonnegative().optional(),
      pass: z.number().int().nonnegative().optional(),
    })
    .strict(),
]);

const stateSchema = z.object({
  stream: z.string(),
  partition: z.string(),
  walkId: z.string().min(1),
  resume: resumeSchema.nullable(),
  complete: z.boolean(),
  pages: z.number().int().nonnegative(),
  highWater: z.string().nullable(),
  walkFingerprint: z.string().nullable(),
  parentFingerprint: z.string().nullable(),
  runId: z.string().nullable(),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  updatedAt: z.string(),
});

export type SyncState = z.infer<typeof stateSchema>;

export async function getState(
  database: Database,
  stream: StreamName,
  partition: string,
): Promise<SyncState | undefined> {
  return readState(database.db, database.tables, stream, partition);
}

export async function readState(
  exec: Executor,
  tables: Tables,
  stream: StreamName,
  partition: string,
): Promise<SyncState | undefined> {
  const t = tables.sync_state;
  const [row] = await rows<Record<string, unknown>>(
    exec,
    sql`select stream, partition, walk_id as "walkId", resume, complete, pages, high_water as "highWater",
          walk_fingerprint as "walkFingerprint", parent_fingerprint as "parentFingerprint", run_id as "runId",
          ${iso(sql`started_at`)} as "startedAt", ${iso(sql`completed_at`)} as "completedAt",
          ${iso(sql`updated_at`)} as "updatedAt"
        from ${t} where stream = ${stream} and partition = ${partition}`,
  );
  if (!row) return undefined;
  const parsed = stateSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyncStateInvalidError(
      `sync_state for ${stream}${partition ? `/${partition}` : ''} is invalid (${issue?.path.join('.')}: ${issue?.message}); delete that row to restart its walk`,
    );
  }
  return parsed.data;
}

/**
 * Per stream, the walks `runId` committed a page of and was the last run to touch: the
 * `partitions` a run's summary reports, the same whether the run was inline or queued.
 */
export async function partitionsWalkedBy(database: Database, runId: string): Promise<Record<string, number>> {
  const counted = await database.query<{ stream: string; n: number }>(
    sql`select stream, count(*)::int as n from ${database.tables.sync_state} where run_id = ${runId} group by stream`,
  );
  return Object.fromEntries(counted.map((r) => [r.stream, r.n]));
}

/** The statement beginning a new walk of (stream, partition): no resume point, not complete, 0 pages. */
export function beginState(
  tables: Tables,
  walk: { stream: StreamDef; partition: string; partitionValue: string; walkId: string },
): SQL {
  const t = tables.sync_state;
  const fingerprint = parentFingerprint(tables, walk.stream, walk.partitionValue);
  return sql`
    insert into ${t} (stream, partition, walk_id, resume, complete, pages, walk_fingerprint, started_at, updated_at)
    values (${walk.stream.name}, ${walk.partition}, ${walk.walkId}, null, false, 0, ${fingerprint}, now(), now())
    on conflict (stream, partition) do update set walk_id = excluded.walk_id, resume = null, complete = false,
      pages = 0, walk_fingerprint = excluded.walk_fingerprint, started_at = now(), updated_at = now()`;
}

export interface Advance {
  runId: string;
  stream: StreamDef;
  partition: string;
  /** Value of the partition column. */
  partitionValue: string;
  walkId: string;
  /** Where the next page starts; null = the walk is complete. */
  resume: ResumeToken | null;
  /** Pages this advance commits. */
  pages: number;
  /** High-water mark to store (kept when null). */
  highWater: string | null;
}

/**
 * The statement that moves the checkpoint to `a.resume` (complete when null), for the commit
 * group's transaction. The parent value is captured on the walk's first commit (unless
 * beginState did) and becomes the partition's "fresh against" fingerprint when the walk completes.
 */
export function advanceState(tables: Tables, a: Advance): SQL {
  const t = tables.sync_state;
  const complete = a.resume === null;
  const resume = complete ? null : JSON.stringify(a.resume);
  const fingerprint = parentFingerprint(tables, a.stream, a.partitionValue);
  const walkFingerprint = sql`case when s.walk_id = excluded.walk_id then coalesce(s.walk_fingerprint, excluded.walk_fingerprint) else excluded.walk_fingerprint end`;
  return sql`
    insert into ${t} as s (stream, partition, walk_id, resume, complete, pages, high_water, run_id, started_at,
      completed_at, updated_at, walk_fingerprint, parent_fingerprint)
    values (${a.stream.name}, ${a.partition}, ${a.walkId}, ${resume}::jsonb, ${complete}, ${a.pages},
      ${a.highWater}, ${a.runId}, now(), ${complete ? sql`now()` : sql`null`}, now(), ${fingerprint},
      ${complete ? fingerprint : sql`null`})
    on conflict (stream, partition) do update set
      resume = excluded.resume,
      complete = excluded.complete,
      pages = case when s.walk_id = excluded.walk_id then s.pages + excluded.pages else excluded.pages end,
      started_at = case when s.walk_id = excluded.walk_id then s.started_at else now() end,
      walk_fingerprint = ${walkFingerprint},
      parent_fingerprint = case when excluded.complete then ${walkFingerprint} else s.parent_fingerprint end,
      walk_id = excluded.walk_id,
      high_water = coalesce(excluded.high_water, s.high_water),
      run_id = excluded.run_id,
      completed_at = coalesce(excluded.completed_at, s.completed_at),
      updated_at = now()`;
}

/** When the walk began (now() before its first commit), as an SQL scalar for the high-water cap. */
export function walkStartedAt(tables: Tables, stream: StreamName, partition: string, walkId: string): SQL {
  return sql`coalesce((select started_at from ${tables.sync_state} where stream = ${stream}
    and partition = ${partition} and walk_id = ${walkId}), now())`;
}

/**
 * Whether the checkpoint is at this walk and this resume point (complete, for null): the proof
 * that a commit whose reply was lost did land.
 */
export async function stateAt(
  database: Database,
  at: { stream: StreamDef; partition: string; walkId: string; resume: ResumeToken | null },
): Promise<boolean> {
  const where =
    at.resume === null
      ? sql`complete and resume is null`
      : sql`not complete and resume = ${JSON.stringify(at.resume)}::jsonb`;
  const found = await database.query(sql`select 1 from ${database.tables.sync_state}
    where stream = ${at.stream.name} and partition = ${at.partition} and walk_id = ${at.walkId} and ${where}`);
  return found.length > 0;
}

/** `left join sync_state as <alias>` on a stream's partition given as an SQL text expression. */
export function joinState(tables: Tables, stream: StreamName, partition: SQL, alias = 's'): SQL {
  const s = sql.identifier(alias);
  return sql`left join ${tables.sync_state} as ${s} on ${s}.stream = ${stream} and ${s}.partition = ${partition}`;
}

/**
 * The parent row's fingerprint value as an SQL scalar subquery (null::text when the stream has
 * none): thread `last_message_at` for thread_messages, run `status` for enrichment_items, the
 * person's `updated_at` and `last_enriched_at` together for research_reports; embedded in the
 * sync_state statement itself rather than read in a round trip of its own.
 */
function parentFingerprint(tables: Tables, stream: StreamDef, partition: string): SQL {
  const fields = fingerprintFields(stream);
  if (fields.length === 0 || !stream.parent) return sql`null::text`;
  const parent = streamTable(tables, stream.parent.stream);
  return sql`(select ${fingerprintOf('p', parent, fields)} from ${parent} as p
    where ${columnRef('p', parent, stream.parent.field)} = ${partition})`;
}

/** The parent fields a child walk is fresh against (captured when it begins, stored when it completes). */
export function fingerprintFields(stream: StreamDef): readonly string[] {
  const p = stream.parent;
  return p?.changedFields ?? (p?.finishedWhen ? [p.finishedWhen.field] : []);
}

/**
 * The fingerprint as text: one column's text as is (so fingerprints stored before several columns
 * were possible still compare equal), several as a JSON array of their texts (nulls kept apart).
 */
export function fingerprintOf(alias: string, table: PgTable, fields: readonly string[]): SQL {
  const texts = fields.map((f) => sql`${columnRef(alias, table, f)}::text`);
  if (texts.length === 1) return texts[0]!;
  return sql`json_build_array(${sql.join(texts, sql`, `)})::text`;
}

// --- The checkpoint policy of a sync step ---

/** What of a sync step the checkpoint policy looks at. */
export interface StepCheckpoint {
  runId: string;
  stream: StreamDef;
  partition: string;
  /**
   * The step belongs to a full-refresh run: walks start from the beginning, ignoring the
   * incremental high-water mark — except a walk this same run already started (resumed) or
   * completed (skipped); see `restartsWalk`.
   */
  fullRefresh?: boolean;
  /** Lookback subtracted from the newest stored `created_at` of an incremental stream. */
  lookbackMs: number;
  /**
   * Backfill window for incremental streams; a bounded walk never moves the stored high-water mark.
   * For a snapshot stream, the day it walks (`since` is that date's midnight UTC).
   */
  window?: { since: string; until?: string };
  /**
   * A webhook-triggered walk: always from the start (from `since` on an incremental stream), under
   * its own checkpoint (`targetedStateKey`), so the regular walk's resume point, completion and
   * high-water mark are never touched by it.
   */
  targeted?: { since?: string };
}

/**
 * The sync_state key of a walk. A backfill window walks under its own key so the regular walk's
 * checkpoint and high-water mark are never touched by it.
 */
export function partitionStateKey(partition: string, window?: StepCheckpoint['window']): string {
  return window ? `${partition}@${window.since}..${window.until ?? ''}` : partition;
}

/** The sync_state key of webhook-triggered walks of a partition (see `PartitionJob.targeted`). */
export function targetedStateKey(partition: string): string {
  return `${partition}@webhook`;
}

export function stepStateKey(step: StepCheckpoint): string {
  return step.targeted ? targetedStateKey(step.partition) : partitionStateKey(step.partition, step.window);
}

/**
 * Whether a step starts its walk over. A targeted walk always does. A full-refresh step retaken
 * after a crash or shutdown (a requeued job, a resumed inline run) resumes the walk its own run
 * started rather than starting over, and skips a walk its run already completed — incremental
 * streams included. Only an unfinished walk of an incremental stream (outside a backfill window)
 * restarts: a resumed cursor would be paired with the stored high-water mark's `since` instead of
 * the none it was issued for.
 */
export function restartsWalk(step: StepCheckpoint, state: SyncState | undefined): boolean {
  if (step.targeted) return true;
  if (!step.fullRefresh) return false;
  const ownWalk = state?.runId === step.runId;
  if (step.stream.incremental && !step.window) return !(ownWalk && state?.complete);
  return !ownWalk;
}

/** A resumed run (crash, shutdown, requeued job) does not walk again what it already finished. */
export function finishedByThisRun(
  step: StepCheckpoint,
  state: SyncState | undefined,
  restart: boolean,
): boolean {
  return !restart && state?.complete === true && state.runId === step.runId;
}

/**
 * `since` for a walk: the targeted or window bound, else, for an incremental walk, the high-water
 * mark stored when the previous walk *completed*, minus the lookback. It is computed the same way
 * when an interrupted walk resumes (the mark only moves at completion), so a resumed cursor is
 * always paired with the `since` it was issued for.
 */
export function walkSince(
  step: StepCheckpoint,
  restart: boolean,
  highWater: string | null,
): string | undefined {
  if (step.targeted) return step.targeted.since;
  if (step.window) return step.window.since;
  if (!step.stream.incremental || restart || !highWater) return undefined;
  return new Date(new Date(highWater).getTime() - step.lookbackMs).toISOString();
}

/** The dashboard's figures: walks per stream, complete or not, and the newest completion. */
export interface WalkTotals {
  stream: string;
  complete: boolean;
  count: number;
  /** Newest completed_at of these walks, epoch seconds; null when none completed. */
  at: number | null;
}

export function readWalkTotals(reader: DatabaseReader): Promise<WalkTotals[]> {
  return reader.query<WalkTotals>(sql`
    select stream, complete, count(*)::int as count, extract(epoch from max(completed_at))::float8 as at
    from ${reader.tables.sync_state} group by stream, complete`);
}
