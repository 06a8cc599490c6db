/** Building blocks of the route handlers: collection lookup, page bodies, thread details. */
import type { Collection, Rec } from '../data/collection.ts';
import type { Dataset } from '../data/dataset.ts';
import { invalid, notFound } from '../errors/api-error.ts';
import type { StreamName } from '../types.ts';
import {
  decodeCursor,
  encodeCursor,
  enumParam,
  type Filter,
  keysetPage,
  limitParam,
  offsetSlice,
  pageParam,
} from './paging.ts';

export interface RouteContext {
  ds: Dataset;
  q: URLSearchParams;
  /** Path parameters (the `{id}`s). */
  p: string[];
}

export function coll(ds: Dataset, stream: StreamName, partition = ''): Collection {
  const c = ds.store(stream).get(partition);
  if (!c) throw notFound(partition ? `${stream.replace(/_.*/, '')} ${partition}` : stream);
  return c;
}

export const all = (c: Collection, filter?: Filter) => {
  const out: Rec[] = [];
  for (const { record } of c.iterate()) if (!filter || filter(record)) out.push(record);
  return out;
};

export function pageResponse(
  key: string,
  c: Collection,
  ctx: RouteContext,
  def: number,
  max: number,
  filter?: Filter,
): Rec {
  const limit = limitParam(ctx.q, def, max);
  const page = pageParam(ctx.q);
  const { records, total } = offsetSlice(c, (page - 1) * limit, limit, filter);
  return { [key]: records, total, page, limit };
}

/**
 * `GET /api/network/connections`: pages of the whole collection, with `hasMessages` applied to the
 * page afterwards (as Puffle does), so a filtered page can be short or empty before `totalPages`.
 */
export function networkPage(c: Collection, ctx: RouteContext): Rec {
  const limit = limitParam(ctx.q, 50, 100);
  const page = pageParam(ctx.q);
  const has = enumParam(ctx.q, 'hasMessages', ['true', 'false', ''] as const, '');
  const { records, total } = offsetSlice(c, (page - 1) * limit, limit);
  const kept = has ? records.filter((r) => Number(r.message_count) > 0 === (has === 'true')) : records;
  return { connections: kept, count: total, page, limit, totalPages: Math.ceil(total / limit) };
}

export function signalsCursor(
  key: string,
  c: Collection,
  ctx: RouteContext,
  filter?: Filter,
  stop?: Filter,
  snake = false,
): Rec {
  const limit = limitParam(ctx.q, 50, 100);
  const pg = keysetPage(c, decodeCursor(ctx.q), limit, filter, stop);
  const cursor = pg.hasMore && pg.lastKey !== undefined ? encodeCursor(pg.lastKey) : null;
  return {
    [key]: pg.records,
    pagination: snake
      ? { cursor, has_more: pg.hasMore, count: pg.records.length }
      : { cursor, hasMore: pg.hasMore, count: pg.records.length },
  };
}

export const byType = (q: URLSearchParams): Filter | undefined => {
  const t = enumParam(q, 'type', ['person', 'company', ''] as const, '');
  return t ? (r) => r.type === t : undefined;
};

const THREAD_STATUSES = ['active', 'archived', 'draft', 'warmup'];

export function threadFilter(q: URLSearchParams): Filter {
  const raw = q.get('status');
  if (!raw) return (r) => r.status === 'active' && r.last_message_direction === 'inbound';
  const wanted = raw.split(',').map((s) => s.trim());
  for (const s of wanted)
    if (!THREAD_STATUSES.includes(s)) throw invalid(`status must be among ${THREAD_STATUSES.join(', ')}`);
  return (r) => wanted.includes(String(r.status));
}

export function threadDetail(ctx: RouteContext, key: 'thread' | 'conversation'): Rec {
  const id = ctx.p[0] as string;
  const thread = ctx.ds.markThreadRead(id);
  if (!thread) throw notFound(`thread ${id}`);
  const messages = all(coll(ctx.ds, 'thread_messages', id));
  const sender = ctx.ds.stores.senders.get('')!.get(String(thread.account_id))?.record ?? null;
  return {
    [key]: thread,
    messages,
    participantDetails: { name: thread.participant_name, company: thread.participant_company },
    senderDisconnected: sender?.status === 'disconnected',
    senderAccount: sender,
  };
}

export function v1Signal(r: Rec): Rec {
  return {
    id: r.id,
    signal_type: (r.structuredWording as Rec | undefined)?.type ?? r.signalTypeLabel,
    title: r.title,
    text: r.excerpt,
    reasoning: null,
    source: r.sourceId,
    source_url: r.url,
    score: r.score,
    confidence: 0.9,
    entity: { id: r.entityId, name: r.entityCompany, type: 'company', domain: r.entityDomain },
    person_entity: r.personEntityId ? { id: r.personEntityId, name: r.entityPerson, type: 'person' } : null,
    classification: r.classification,
    created_at: r.createdAt,
  };
}
