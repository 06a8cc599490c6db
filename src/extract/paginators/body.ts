/** Reading Puffle response bodies: dotted paths, the records array, numbers and ids. */
import { PaginationError } from '../errors/pagination-error.ts';

export type Body = Record<string, unknown>;
export type Row = Record<string, unknown>;

/** What a paginator needs to know about the stream it walks. */
export interface WalkContext {
  stream: string;
  /** Records key(s), first match wins; `*array` = the body's only array field. */
  recordsAt: readonly string[];
  /** Re-walk passes allowed for page/offset walks over a changing collection. @default 3 */
  maxPasses?: number;
  /** Told when a walk ends while the collection was still changing. */
  onUnstable?: (detail: string) => void;
}

export type FetchPage = (query: Record<string, string | number | undefined>) => Promise<unknown>;

export function asBody(ctx: WalkContext, value: unknown): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PaginationError(
      ctx.stream,
      'not_an_object',
      `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Body;
}

export function readPath(body: Body, path: string): unknown {
  let cur: unknown = body;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Body)[part];
  }
  return cur;
}

export function recordsOf(ctx: WalkContext, body: Body): Row[] {
  for (const key of ctx.recordsAt) {
    if (key === '*array') {
      const arrays = Object.keys(body).filter((k) => Array.isArray(body[k]));
      if (arrays.length === 1) return body[arrays[0]!] as Row[];
      continue;
    }
    const value = readPath(body, key);
    if (Array.isArray(value)) return value as Row[];
  }
  throw new PaginationError(
    ctx.stream,
    'no_records_array',
    `no records array at ${ctx.recordsAt.map((k) => `"${k}"`).join(' or ')} (response fields: ${Object.keys(body).join(', ') || 'none'})`,
  );
}

const MORE_PATHS = [
  'pagination.hasMore',
  'pagination.has_more',
  'hasMore',
  'has_more',
  'page.hasMore',
  'page.has_more',
];

/** The "more pages" flag wherever Puffle spells it (the configured path first); undefined when absent. */
export function saysMore(body: Body, configured?: string): boolean | undefined {
  for (const path of configured ? [configured, ...MORE_PATHS] : MORE_PATHS) {
    const v = readPath(body, path);
    if (typeof v === 'boolean') return v;
  }
  return undefined;
}

export function numberAt(body: Body, path: string): number | undefined {
  const v = readPath(body, path);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Identity of a row for overlap checks: its `id`, else the whole row. */
export function rowIdentity(row: Row): string {
  const id = row?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : JSON.stringify(row);
}
