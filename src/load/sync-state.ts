/**
 * The checkpoint of one (stream, partition), read back through a zod schema: a row written by a
 * different version or edited by hand fails loudly (SyncStateInvalidError) instead of resuming
 * from garbage.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ResumeToken } from '../extract/paginators/types.ts';
import type { StreamName } from '../extract/streams.ts';
import { type Database, type Executor, rows } from './database.ts';
import { SyncStateInvalidError } from './errors/sync-state-invalid-error.ts';
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
