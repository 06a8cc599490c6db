/**
 * Walks and delete detection. A walk is one complete pass over a (stream, partition); its id is
 * stored in sync_state so a walk resumed by another process after a crash keeps its id and the
 * primary keys already marked seen in walk_seen. Only when a walk completes (commitPage with
 * `resume: null`) does the sweep (sweep.ts) soft-delete rows the walk did not see, in the same
 * transaction as the last page; an aborted walk deletes nothing. A deleted row that reappears is
 * revived by the upsert of the page that carries it.
 */
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { ResumeToken } from '../extract/paginators/types.ts';
import type { StreamDef } from '../extract/streams.ts';
import { streamTable } from './columns.ts';
import { type Database, type Executor, rows } from './database.ts';
import type { Tables } from './schema.ts';
import { beginState, readState } from './sync-state.ts';

export interface BeginWalkOptions {
  /** Start over even if a walk is in progress (e.g. `--full-refresh`). @default false */
  restart?: boolean;
  /** Id for a new walk. @default a random UUID */
  walkId?: string;
  /** The parent id when `partition` is a different state key (backfill windows). @default partition */
  partitionValue?: string;
}

export interface Walk {
  walkId: string;
  /** Where to continue; null = from the beginning. */
  resume: ResumeToken | null;
  /** True when an unfinished walk (possibly of a crashed process) is being continued. */
  resumed: boolean;
  /** sync_state.high_water as stored (e.g. the `since` an incremental walk started with). */
  highWater: string | null;
}

export async function beginWalk(
  database: Database,
  stream: StreamDef,
  partition: string,
  opts: BeginWalkOptions = {},
): Promise<Walk> {
  const { tables } = database;
  const partitionValue = opts.partitionValue ?? partition;
  // Both reads at once, then one statement: a walk of a one-page partition (most child walks) pays
  // one commit for its start. One walk per partition at a time (partition locks), so nothing
  // changes the state between the read and the write.
  const [state, empty] = await Promise.all([
    readState(database.db, tables, stream.name, partition),
    opts.walkId ? false : startsEmpty(database.db, tables, stream, partitionValue),
  ]);
  if (state && !state.complete && !opts.restart) {
    return { walkId: state.walkId, resume: state.resume, resumed: true, highWater: state.highWater };
  }
  const walkId = opts.walkId ?? (empty ? `${EMPTY_START}${randomUUID()}` : randomUUID());
  await database.db.execute(
    sql`with cleared as (${seenCleared(tables, stream.name, partition)}) ${beginState(tables, { stream, partition, partitionValue, walkId })}`,
  );
  return { walkId, resume: null, resumed: false, highWater: state?.highWater ?? null };
}

/**
 * Prefix of the id of a delete-detecting walk that began with no live row in its partition. Every
 * row such a walk leaves behind was written by the walk itself (one walk per partition at a time),
 * so it has nothing to sweep and needs no seen-marks: a first load skips a second write per row.
 * The id is stored in sync_state, so a walk resumed by another process keeps the property.
 */
const EMPTY_START = 'empty-start:';

export function walkStartedEmpty(walkId: string): boolean {
  return walkId.startsWith(EMPTY_START);
}

async function startsEmpty(
  tx: Executor,
  tables: Tables,
  stream: StreamDef,
  partitionValue: string,
): Promise<boolean> {
  if (stream.unlisted !== 'deleted') return false;
  const table = streamTable(tables, stream.name);
  const inPartition = partitionFilter(stream, partitionValue);
  const found = await rows(
    tx,
    sql`select 1 from ${table} as t where t._deleted_at is null${inPartition} limit 1`,
  );
  return found.length === 0;
}

/** The statement marking `pks` seen by the walk; undefined when there are none. */
export function seenMarks(
  tables: Tables,
  stream: StreamDef,
  partition: string,
  walkId: string,
  pks: readonly string[],
): SQL | undefined {
  if (pks.length === 0) return undefined;
  return sql`
    insert into ${tables.walk_seen} (stream, partition, walk_id, pk)
    select ${stream.name}, ${partition}, ${walkId}, unnest(${sql.param(pks)}::text[])
    on conflict do nothing`;
}

export async function clearSeen(
  tx: Executor,
  tables: Tables,
  stream: string,
  partition: string,
): Promise<void> {
  await tx.execute(seenCleared(tables, stream, partition));
}

function seenCleared(tables: Tables, stream: string, partition: string): SQL {
  return sql`delete from ${tables.walk_seen} where stream = ${stream} and partition = ${partition}`;
}

/** ` and t.<partition column> = value` for a child or fan-out stream; nothing for a root stream. */
export function partitionFilter(stream: StreamDef, partitionValue: string): SQL {
  const column = stream.parent?.column ?? stream.fanOut?.column;
  return column ? sql` and t.${sql.identifier(column)} = ${partitionValue}` : sql``;
}

/** SQL twin of row-mapper's PK text: primary-key values joined by U+001F. */
export function pkText(stream: StreamDef): SQL {
  const parts = stream.primaryKey.map((k) => sql`t.${sql.identifier(k)}::text`);
  return parts.length === 1 ? parts[0]! : sql`concat_ws(chr(31), ${sql.join(parts, sql`, `)})`;
}
