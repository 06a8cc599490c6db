import { sql } from 'drizzle-orm';
import {
  boolean,
  integer,
  jsonb,
  type PgColumnBuilderBase,
  pgSchema,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamDef, StreamName } from '../../src/extract/streams.ts';
import { type Database, openDatabase } from '../../src/load/index.ts';
import { mapRecord, planTable } from '../../src/load/row-mapper.ts';
import { upsertRows } from '../../src/load/upsert.ts';
import { createTestDatabase } from '../helpers/services.ts';

const ROWS = 100_000;
const COLUMNS = 40;

// A test-only wide table: id + 39 typed columns + lineage = 44 columns.
const kinds = ['text', 'integer', 'boolean', 'timestamp', 'jsonb'] as const;
const kindOf = (i: number) => kinds[i % kinds.length]!;
const builders: Record<string, PgColumnBuilderBase> = { id: text().primaryKey() };
for (let i = 1; i < COLUMNS; i++) {
  const kind = kindOf(i);
  builders[`c${i}`] =
    kind === 'text'
      ? text()
      : kind === 'integer'
        ? integer()
        : kind === 'boolean'
          ? boolean()
          : kind === 'jsonb'
            ? jsonb()
            : timestamp({ withTimezone: true, mode: 'string' });
}
const wide = pgSchema('bulk').table('wide', {
  ...builders,
  raw: jsonb().notNull(),
  _synced_at: timestamp({ withTimezone: true, mode: 'string' }).notNull(),
  _run_id: text(),
  _deleted_at: timestamp({ withTimezone: true, mode: 'string' }),
  _changes: jsonb().notNull(),
});
const stream = { name: 'wide' as StreamName, primaryKey: ['id'], freshness: 'full' } as unknown as StreamDef;

// Small values: the point is the row × column count (bind parameters), not bytes on the wire.
function record(n: number, version: number): Record<string, unknown> {
  const r: Record<string, unknown> = { id: `r${n}`, c1: version };
  for (let i = 2; i < COLUMNS; i++) {
    const kind = kindOf(i);
    r[`c${i}`] =
      kind === 'text'
        ? 'x'
        : kind === 'integer'
          ? i
          : kind === 'boolean'
            ? true
            : kind === 'jsonb'
              ? [i]
              : '2024-01-01';
  }
  return r;
}

describe('bulk upsert', () => {
  let pg: { url: string; drop: () => Promise<void> };
  let database: Database;
  beforeAll(async () => {
    pg = await createTestDatabase('bulk');
    database = await openDatabase({ databaseUrl: pg.url, dataDir: '/nonexistent', schema: 'bulk' });
    const columns = Object.entries(builders).map(([name]) => {
      const i = Number(name.slice(1));
      const type =
        name === 'id'
          ? 'text primary key'
          : {
              text: 'text',
              integer: 'integer',
              boolean: 'boolean',
              jsonb: 'jsonb',
              timestamp: 'timestamptz',
            }[kindOf(i)];
      return `"${name}" ${type}`;
    });
    await database.query(sql.raw('create schema bulk'));
    await database.query(
      sql.raw(
        `create table bulk.wide (${columns.join(', ')}, raw jsonb not null, _synced_at timestamptz not null, _run_id text, _deleted_at timestamptz, _changes jsonb not null default '[]')`,
      ),
    );
  });
  afterAll(async () => {
    await database?.close();
    await pg?.drop();
  });

  it(`upserts ${ROWS.toLocaleString()} rows × ${COLUMNS} columns without hitting the bind-parameter ceiling`, async () => {
    const plan = planTable(wide, stream);
    expect(plan.columns).toHaveLength(COLUMNS);
    const first = Array.from({ length: ROWS }, (_, n) => {
      const m = mapRecord(plan, record(n, 1), '');
      if (!m.ok) throw new Error(m.reason);
      return { ...m, changes: JSON.stringify(m.changes) };
    });
    const started = Date.now();
    const inserted = await database.db.transaction((tx) => upsertRows(tx, plan, first, 'run-1'));
    const insertMs = Date.now() - started;
    expect(inserted).toEqual({ inserted: ROWS, updated: 0, folded: false });

    // A replay of 10 % unchanged rows plus 10 % changed ones rewrites only the changed ones.
    const changed = Array.from({ length: ROWS / 10 }, (_, k) => mapRecord(plan, record(k * 10, 2), ''));
    const replay = [
      ...first.filter((_, n) => n % 10 === 5),
      ...changed.map((m) => {
        if (!m.ok) throw new Error(m.reason);
        return { ...m, changes: JSON.stringify(m.changes) };
      }),
    ];
    expect(await database.db.transaction((tx) => upsertRows(tx, plan, replay, 'run-2'))).toEqual({
      inserted: 0,
      updated: ROWS / 10,
      folded: false,
    });

    const [stats] = await database.query<{ n: number; runs: number }>(
      sql`select count(*)::int as n, count(distinct _run_id)::int as runs from bulk.wide`,
    );
    expect(stats).toEqual({ n: ROWS, runs: 2 });
    console.info(`bulk upsert: ${ROWS} rows × ${COLUMNS} columns inserted in ${insertMs} ms`);
  }, 240_000); // generous for a loaded 2-core CI box; ~10-20 s when idle
});
