/**
 * Hostile-source faults (issue 11): Puffle answers, but the answer lies or no longer holds.
 * - `empty-first-page`: a first page (no cursor, page 1, offset 0) comes back empty, with no next
 *   cursor, `hasMore: false` and `total: 0` — a transient glitch that looks like an empty list;
 * - `contradictory`: a page says there is more but gives no way to get it — `hasMore: true` with a
 *   null cursor where the endpoint has a `hasMore` flag, else (page/offset endpoints) no rows while
 *   `total` still counts rows at and beyond this position;
 * - `endless-cursor`: a cursor page hands out a new cursor that leads back to the same rows, with
 *   a new cursor again, for as long as the rule is set (once it is removed, those cursors are
 *   unknown to the server: 400);
 * - `expired-cursor`: a cursor the server handed out before the rules were set is answered 400
 *   `invalid_request` "cursor has expired" (cursors served since stay valid).
 * A rule counts only requests it can act on (a first page, a cursor not served since the rules
 * were set); a response it cannot change (no records array, no cursor field) is sent unchanged
 * and not marked as a fault in the request log.
 */
import type { Rec } from '../data/collection.ts';
import type { FaultKind } from '../types.ts';

export const HOSTILE_KINDS = [
  'empty-first-page',
  'contradictory',
  'endless-cursor',
  'expired-cursor',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

const CURSOR_FIELDS = [['nextCursor'], ['pagination', 'cursor'], ['page', 'nextCursor']] as const;
const MORE_FIELDS = [
  ['hasMore'],
  ['has_more'],
  ['pagination', 'hasMore'],
  ['pagination', 'has_more'],
  ['page', 'hasMore'],
] as const;
const ENDLESS = 'endless:';

export function isHostile(kind: FaultKind): kind is HostileKind {
  return (HOSTILE_KINDS as readonly string[]).includes(kind);
}

export class HostileSource {
  /** Cursors served since the rules were set: the ones `expired-cursor` leaves valid. */
  private readonly served = new Set<string>();
  private turn = 0;

  /** The rules changed: every cursor served so far is now "old". */
  reset(): void {
    this.served.clear();
  }

  /** Whether a rule of this kind can act on this request (others are not counted against it). */
  applies(kind: FaultKind, q: URLSearchParams): boolean {
    const cursor = q.get('cursor');
    if (kind === 'empty-first-page')
      return !cursor && (q.get('page') ?? '1') === '1' && (q.get('offset') ?? '0') === '0';
    if (kind === 'expired-cursor') return Boolean(cursor) && !this.served.has(cursor!);
    return true;
  }

  /** For a cursor handed out by `endless-cursor`: the cursor it stands for ('' = the first page). */
  endlessOrigin(q: URLSearchParams): string | undefined {
    const cursor = q.get('cursor');
    if (!cursor || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
    const text = Buffer.from(cursor, 'base64url').toString();
    return text.startsWith(ENDLESS) ? text.slice(text.indexOf(':', ENDLESS.length) + 1) : undefined;
  }

  /** The lying version of a 200 body, or undefined when this fault cannot change it. */
  rewrite(kind: HostileKind, body: Rec, q: URLSearchParams): Rec | undefined {
    if (kind === 'empty-first-page') return emptied(body);
    if (kind === 'contradictory') return contradicted(body, q);
    if (kind === 'endless-cursor') return this.endless(body, q.get('cursor') ?? '');
    return undefined;
  }

  /** Notes the cursors a body hands out, so `expired-cursor` spares them. */
  remember(body: Rec): void {
    for (const path of CURSOR_FIELDS) {
      const v = read(body, path);
      if (typeof v === 'string' && v) this.served.add(v);
    }
  }

  private endless(body: Rec, cursor: string): Rec | undefined {
    const out = structuredClone(body);
    const fake = Buffer.from(`${ENDLESS}${++this.turn}:${cursor}`).toString('base64url');
    if (!setPresent(out, CURSOR_FIELDS, fake)) return undefined;
    setPresent(out, MORE_FIELDS, true);
    return out;
  }
}

function emptied(body: Rec): Rec | undefined {
  const arrays = Object.keys(body).filter((k) => Array.isArray(body[k]));
  if (arrays.length === 0) return undefined;
  const out = structuredClone(body);
  for (const k of arrays) out[k] = [];
  setPresent(out, CURSOR_FIELDS, null);
  setPresent(out, MORE_FIELDS, false);
  setPresent(out, [['total'], ['pagination', 'count']], 0);
  return out;
}

function contradicted(body: Rec, q: URLSearchParams): Rec | undefined {
  const out = structuredClone(body);
  if (setPresent(out, MORE_FIELDS, true)) {
    setPresent(out, CURSOR_FIELDS, null);
    return out;
  }
  const total = typeof body.total === 'number' ? body.total : undefined;
  const limit = Number(body.limit ?? q.get('limit') ?? 0);
  const start =
    'offset' in body ? Number(body.offset) : 'page' in body ? (Number(body.page) - 1) * limit : undefined;
  const arrays = Object.keys(body).filter((k) => Array.isArray(body[k]));
  if (total === undefined || start === undefined || start >= total || arrays.length !== 1) return undefined;
  out[arrays[0]!] = [];
  return out;
}

function read(body: Rec, path: readonly string[]): unknown {
  let cur: unknown = body;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Rec)[k];
  }
  return cur;
}

/** Sets every field of `paths` the body already has; true when there was at least one. */
function setPresent(body: Rec, paths: readonly (readonly string[])[], value: unknown): boolean {
  let found = false;
  for (const path of paths) {
    const parent = path.length === 1 ? body : read(body, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (typeof parent !== 'object' || parent === null || !(key in parent)) continue;
    (parent as Rec)[key] = value;
    found = true;
  }
  return found;
}
