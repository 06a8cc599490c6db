/** Query-parameter parsing and the three page mechanics: keyset cursor, page number, offset. */
import type { Collection, Entry, Rec } from '../data/collection.ts';
import { invalid } from '../errors/api-error.ts';

export type Filter = (r: Rec) => boolean;

function intParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw invalid(`${name} must be an integer`);
  return Number(raw);
}

/** `limit`: default when absent, clamped to `max`, 400 when not a positive integer. */
export function limitParam(q: URLSearchParams, def: number, max: number): number {
  const v = intParam(q, 'limit');
  if (v === undefined) return def;
  if (v < 1) throw invalid('limit must be at least 1');
  return Math.min(v, max);
}

export function pageParam(q: URLSearchParams): number {
  const v = intParam(q, 'page');
  if (v === undefined) return 1;
  if (v < 1) throw invalid('page must be at least 1');
  return v;
}

export function offsetParam(q: URLSearchParams): number {
  const v = intParam(q, 'offset');
  if (v === undefined) return 0;
  if (v < 0) throw invalid('offset must not be negative');
  return v;
}

export function sinceParam(q: URLSearchParams): number | undefined {
  const raw = q.get('since');
  if (raw === null || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(ms))
    throw invalid('since must be an ISO 8601 timestamp');
  return ms;
}

export function enumParam<T extends string>(
  q: URLSearchParams,
  name: string,
  allowed: readonly T[],
  def: T,
): T {
  const raw = q.get(name);
  if (raw === null || raw === '') return def;
  if (!allowed.includes(raw as T)) throw invalid(`${name} must be one of ${allowed.join(', ')}`);
  return raw as T;
}

/** Opaque cursors: the base64url of the last served key. */
export function encodeCursor(key: number): string {
  return Buffer.from(`k:${key}`).toString('base64url');
}

export function decodeCursor(q: URLSearchParams): number | undefined {
  const raw = q.get('cursor');
  if (raw === null || raw === '') return undefined;
  const text = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url').toString() : '';
  const m = /^k:(\d+)$/.exec(text);
  if (!m) throw invalid('cursor is not valid');
  return Number(m[1]);
}

export interface KeysetPage {
  records: Rec[];
  /** Key of the last record served (the next cursor), if any. */
  lastKey: number | undefined;
  lastRecord: Rec | undefined;
  hasMore: boolean;
}

/** Records after `after` in served order; `stop` ends the walk early (records ordered by it). */
export function keysetPage(
  coll: Collection,
  after: number | undefined,
  limit: number,
  filter?: Filter,
  stop?: Filter,
): KeysetPage {
  const records: Rec[] = [];
  let last: Entry | undefined;
  let hasMore = false;
  for (const e of coll.iterate(after)) {
    if (stop?.(e.record)) break;
    if (filter && !filter(e.record)) continue;
    if (records.length === limit) {
      hasMore = true;
      break;
    }
    records.push(e.record);
    last = e;
  }
  return { records, lastKey: last?.key, lastRecord: last?.record, hasMore };
}

/** OFFSET semantics over the served order (inserts/deletes before the offset shift pages). */
export function offsetSlice(
  coll: Collection,
  offset: number,
  limit: number,
  filter?: Filter,
): { records: Rec[]; total: number } {
  if (!filter) return { records: coll.slice(offset, limit), total: coll.size };
  const records: Rec[] = [];
  let total = 0;
  for (const { record } of coll.iterate()) {
    if (!filter(record)) continue;
    if (total >= offset && records.length < limit) records.push(record);
    total++;
  }
  return { records, total };
}
