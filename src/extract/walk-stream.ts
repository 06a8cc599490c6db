/**
 * `walkStream`: a catalog entry (+ partition, + resume point) → the stream's pages, in order.
 *
 * The partition goes where `def.parent` / `def.configuredIds` binds it — `in: 'path'`, the `{as}`
 * segment (`{id}`); `in: 'query'`, the query parameter `as` (`taskId`) — or, for `fanOut`
 * streams, the fan-out parameter (`groupBy=person`). `since`/`until` are sent only for streams
 * with an `incremental` declaration, `snapshotDate` only for snapshot streams that take a date.
 * Every page's `resume` is where the next page starts; `null` marks the last page of a complete
 * walk. Every walk, whatever its pagination, runs inside the
 * no-progress guard (paginators/progress.ts), so it ends by itself whatever the server does.
 */
import type { PuffleClient, Query } from './client.ts';
import { UnsafePartitionIdError } from './errors/unsafe-partition-id-error.ts';
import { explodePages } from './explode.ts';
import type { FetchPage, WalkContext } from './paginators/body.ts';
import { walkCursor } from './paginators/cursor.ts';
import { walkUnpaginated } from './paginators/none.ts';
import { walkOffsets } from './paginators/offset.ts';
import { walkPages } from './paginators/page.ts';
import { guardProgress } from './paginators/progress.ts';
import { walkSingle } from './paginators/single.ts';
import type { Page, PaginatorConfig, ResumeToken } from './paginators/types.ts';
import { unsafePartitionReason } from './partition-id.ts';
import type { StreamDef } from './streams.ts';

export interface WalkOptions {
  /** Parent row id, fan-out value or configured id; omitted for root streams. */
  partition?: string;
  /** Start after a committed page instead of at the beginning. */
  resume?: ResumeToken | null;
  /** Lower time bound for incremental streams (ISO 8601). */
  since?: string;
  until?: string;
  /** The UTC date (`YYYY-MM-DD`) of a snapshot stream's walk, sent as its `snapshot.param`. */
  snapshotDate?: string;
  signal?: AbortSignal;
  /** Extra query parameters (applied last). */
  query?: Record<string, string>;
  /** Re-walk passes for page/offset walks over a changing collection. @default 3 */
  maxPasses?: number;
  /** Told when a positional walk ends while the collection was still changing. */
  onUnstable?: (detail: string) => void;
}

export async function* walkStream(
  client: PuffleClient,
  def: StreamDef,
  opts: WalkOptions = {},
): AsyncGenerator<Page> {
  const { path, query } = resolveRequest(def, opts);
  const fetchPage: FetchPage = (q) =>
    client.get(path, { ...query, ...q }, { stream: def.name, signal: opts.signal });
  const ctx: WalkContext = {
    stream: def.name,
    recordsAt: def.recordsAt,
    maxPasses: opts.maxPasses,
    onUnstable: opts.onUnstable,
  };
  yield* explodePages(guardProgress(pagesOf(fetchPage, def.paginator, ctx, opts.resume ?? null), ctx), def);
}

function pagesOf(
  fetchPage: FetchPage,
  p: PaginatorConfig,
  ctx: WalkContext,
  resume: ResumeToken | null,
): AsyncGenerator<Page> {
  switch (p.kind) {
    case 'cursor':
      return walkCursor(fetchPage, p, ctx, resume);
    case 'page':
      return walkPages(fetchPage, p, ctx, resume);
    case 'offset':
      return walkOffsets(fetchPage, p, ctx, resume);
    case 'none':
      return walkUnpaginated(fetchPage, ctx);
    case 'single':
      return walkSingle(fetchPage, ctx);
  }
}

/**
 * The partition id's problem as an error, when the stream's partition is an id (a parent's, a
 * configured run's) that cannot be sent: see partition-id.ts. Fan-out values come from the catalog.
 */
export function unsafePartition(def: StreamDef, partition: string): UnsafePartitionIdError | undefined {
  if (!def.parent && !def.configuredIds) return undefined;
  const problem = unsafePartitionReason(partition);
  return problem ? new UnsafePartitionIdError(def.name, partition, problem) : undefined;
}

export function resolveRequest(def: StreamDef, opts: WalkOptions): { path: string; query: Query } {
  const query: Query = { ...def.params };
  let path = def.path;
  const binding = def.parent ?? def.configuredIds;
  if (binding || def.fanOut) {
    if (!opts.partition)
      throw new TypeError(`stream ${def.name} is walked per partition: pass opts.partition`);
    const unsafe = unsafePartition(def, opts.partition);
    if (unsafe) throw unsafe;
    if (def.fanOut) query[def.fanOut.param] = opts.partition;
    else if (binding?.in === 'path')
      path = path.replace(`{${binding.as}}`, encodeURIComponent(opts.partition));
    else if (binding) query[binding.as] = opts.partition;
  }
  if (def.incremental) {
    if (opts.since) query[def.incremental.param] = opts.since;
    if (opts.until) query.until = opts.until;
  }
  if (def.snapshot?.param && opts.snapshotDate) query[def.snapshot.param] = opts.snapshotDate;
  return { path, query: { ...query, ...opts.query } };
}
