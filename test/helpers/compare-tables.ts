/**
 * The oracle check: every stream table equals what the simulator would serve right now — same
 * primary keys, same `raw`, no duplicates, nothing live that the simulator no longer has.
 */
import { sql } from 'drizzle-orm';
import { explodeRecords } from '../../src/extract/explode.ts';
import type { StreamDef, StreamName } from '../../src/extract/streams.ts';
import { getStream } from '../../src/extract/streams.ts';
import type { Database } from '../../src/load/index.ts';
import type { Simulator } from '../../src/simulator/index.ts';

export interface TableDiff {
  stream: StreamName;
  expected: number;
  actual: number;
  missing: string[];
  extra: string[];
  changed: string[];
}

function expectedKey(
  def: StreamDef,
  partition: string,
  record: Record<string, unknown>,
  day: string | undefined,
): string {
  const column = def.parent?.column ?? def.fanOut?.column;
  const value = (k: string) =>
    k === column ? partition : k === def.snapshot?.column ? day : String(record[k] ?? '');
  return def.primaryKey.map(value).join('|');
}

/**
 * What the simulator serves, as the sync stores it: exploded per channel where the catalog says
 * so; for a snapshot stream, the answer for `day` (the rows of other days are history).
 */
function* expectedRecords(sim: Simulator, def: StreamDef, day: string | undefined) {
  const at = day && def.snapshot?.param ? { date: day } : undefined;
  for (const e of sim.expected(def.name, at)) {
    if (!def.explode) yield e;
    else for (const record of explodeRecords([e.record], def.explode)) yield { ...e, record };
  }
}

/**
 * Streams whose history is kept (signals) or that accumulate may hold more rows than the API lists.
 * A snapshot stream is compared on the rows of `day` (default: today, UTC), the date a sync run now records.
 */
export async function diffTable(
  db: Database,
  sim: Simulator,
  name: StreamName,
  day = new Date().toISOString().slice(0, 10),
): Promise<TableDiff> {
  const def = getStream(name);
  const table = `"${db.schema}"."${name}"`;
  const keyExpr = def.primaryKey.map((k) => `coalesce("${k}"::text, '')`).join(` || '|' || `);
  const onDay = def.snapshot ? ` and "${def.snapshot.column}" = '${day}'` : '';
  const rows = await db.query<{ k: string; raw: unknown; n: number }>(
    sql.raw(
      `select ${keyExpr} as k, raw, count(*) over (partition by ${keyExpr})::int as n from ${table} where _deleted_at is null${onDay}`,
    ),
  );
  const actual = new Map<string, unknown>();
  const dupes: string[] = [];
  for (const r of rows) {
    if (r.n > 1 || actual.has(r.k)) dupes.push(r.k);
    actual.set(r.k, typeof r.raw === 'string' ? JSON.parse(r.raw) : r.raw);
  }
  const missing: string[] = [];
  const changed: string[] = [];
  let expectedCount = 0;
  const seen = new Set<string>();
  const expected = name === 'account' ? await accountAsStored(sim) : expectedRecords(sim, def, day);
  for (const { partition, record } of expected) {
    expectedCount += 1;
    const key = expectedKey(def, partition, record, day);
    seen.add(key);
    if (!actual.has(key)) missing.push(key);
    else if (JSON.stringify(sortKeys(actual.get(key))) !== JSON.stringify(sortKeys(record)))
      changed.push(key);
  }
  const keepsHistory = def.incremental !== undefined || def.unlisted === 'aged-out';
  const extra = keepsHistory ? [] : [...actual.keys()].filter((k) => !seen.has(k));
  return {
    stream: name,
    expected: expectedCount,
    actual: actual.size,
    missing,
    extra: [...extra, ...dupes],
    changed,
  };
}

export function isExact(d: TableDiff): boolean {
  return d.missing.length === 0 && d.extra.length === 0 && d.changed.length === 0;
}

export function describeDiff(d: TableDiff): string {
  return `${d.stream}: expected ${d.expected}, live rows ${d.actual}; missing ${d.missing.slice(0, 3).join(',')} (${d.missing.length}), extra ${d.extra.slice(0, 3).join(',')} (${d.extra.length}), changed ${d.changed.slice(0, 3).join(',')} (${d.changed.length})`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * `GET /api/account` answers `{account, profile, canManageAuth}`; the catalog (docs/streams.md) stores the account
 * record with its siblings merged in (records key `account` + `profile`).
 */
async function accountAsStored(
  sim: Simulator,
): Promise<{ partition: string; record: Record<string, unknown> }[]> {
  const res = await fetch(`${sim.url}/api/account`, { headers: { authorization: `Bearer ${sim.keys[0]}` } });
  const body = (await res.json()) as { account: Record<string, unknown> } & Record<string, unknown>;
  const { account, ...siblings } = body;
  return [{ partition: '', record: { ...account, ...siblings } }];
}
