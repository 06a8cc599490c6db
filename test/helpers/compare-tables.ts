/**
 * The oracle check: every stream table equals what the simulator would serve right now — same
 * primary keys, same `raw`, no duplicates, nothing live that the simulator no longer has. Live
 * means as the analytics views show it: a row of a child stream whose parent row is soft-deleted
 * is not live (a connection's detail stays in its table when the connection goes; the views and
 * this check hide it).
 */
import { sql } from 'drizzle-orm';
import { liveCondition } from '../../src/analytics/views.ts';
import { explodeRecords } from '../../src/extract/explode.ts';
import type { ChildTableName, StreamDef, StreamName } from '../../src/extract/streams.ts';
import { getStream, STREAMS } from '../../src/extract/streams.ts';
import type { Database } from '../../src/load/index.ts';
import type { Simulator } from '../../src/simulator/index.ts';

export interface TableDiff {
  stream: StreamName | ChildTableName;
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
export function* expectedRecords(sim: Simulator, def: StreamDef, day?: string) {
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
  const served = name === 'account' ? await accountAsStored(sim) : expectedRecords(sim, def, day);
  const expected = (function* () {
    for (const { partition, record } of served)
      yield { key: expectedKey(def, partition, record, day), record };
  })();
  const keepsHistory = def.incremental !== undefined || def.unlisted === 'aged-out';
  const onDay = def.snapshot ? ` and t."${def.snapshot.column}" = '${day}'` : '';
  const live = liveCondition(def, 't', (n) => `"${db.schema}"."${n}"`) + onDay;
  return compareRows(db, name, def.primaryKey, expected, keepsHistory, live);
}

/**
 * A child table (StreamDef.children) against the nested arrays of the records the simulator serves
 * for its stream: list_cells against the `cells` of every list row.
 */
export async function diffChildTable(
  db: Database,
  sim: Simulator,
  table: ChildTableName,
): Promise<TableDiff> {
  const def = STREAMS.find((s) => s.children?.some((c) => c.table === table))!;
  const child = def.children!.find((c) => c.table === table)!;
  const expected = (function* () {
    for (const { partition, record } of sim.expected(def.name)) {
      const parent = (column: string) =>
        column === def.parent?.column ? partition : String(record[column] ?? '');
      for (const item of (record[child.field] as Record<string, unknown>[] | undefined) ?? []) {
        const key = child.primaryKey
          .map((k) =>
            k in child.fromParent ? parent(child.fromParent[k]!) : String(item[camel(k)] ?? item[k] ?? ''),
          )
          .join('|');
        yield { key, record: item };
      }
    }
  })();
  const rel = (n: string) => `"${db.schema}"."${n}"`;
  const joins = Object.entries(child.fromParent).map(([c, p]) => `p0."${p}" = t."${c}"`);
  const live = `t._deleted_at is null and exists (select 1 from ${rel(def.name)} as p0 where ${joins.join(' and ')} and ${liveCondition(def, 'p0', rel)})`;
  return compareRows(db, table, child.primaryKey, expected, false, live);
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

async function compareRows(
  db: Database,
  name: StreamName | ChildTableName,
  primaryKey: readonly string[],
  expected: Iterable<{ key: string; record: Record<string, unknown> }>,
  keepsHistory: boolean,
  live: string,
): Promise<TableDiff> {
  const table = `"${db.schema}"."${name}"`;
  const keyExpr = primaryKey.map((k) => `coalesce("${k}"::text, '')`).join(` || '|' || `);
  const rows = await db.query<{ k: string; raw: unknown; n: number }>(
    sql.raw(
      `select ${keyExpr} as k, raw, count(*) over (partition by ${keyExpr})::int as n from ${table} as t where ${live}`,
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
  for (const { key, record } of expected) {
    expectedCount += 1;
    seen.add(key);
    if (!actual.has(key)) missing.push(key);
    else if (JSON.stringify(sortKeys(actual.get(key))) !== JSON.stringify(sortKeys(record)))
      changed.push(key);
  }
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
