/**
 * A page's statements must not cost more as the table grows. Two once did, and a stream's load
 * grew with the square of its rows:
 * - the upsert's unchanged-row filter read `not exists (…)`, which the planner made a hash
 *   anti-join over every live row of the table (jsonb `raw` hashed) for every page;
 * - retiring the child rows a page no longer carries compared every live child of the table with
 *   every kept key (`pk <> all(kept)`).
 * Here those statements are explained as they run, over tables of thousands of rows.
 */
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStream } from '../../src/extract/streams.ts';
import { writeChildren } from '../../src/load/children.ts';
import { type Executor, rows } from '../../src/load/database.ts';
import { mapRecord, planTable, type TablePlan } from '../../src/load/row-mapper.ts';
import { type UpsertRow, upsertRows } from '../../src/load/upsert.ts';
import { KINDS, openTestDatabase, type TestDatabase } from './databases.ts';

const RUN_1 = '00000000-0000-7000-8000-000000000001';
const RUN_2 = '00000000-0000-7000-8000-000000000002';

function leadRows(plan: TablePlan, from: number, to: number): UpsertRow[] {
  const out: UpsertRow[] = [];
  for (let i = from; i < to; i++) {
    const mapped = mapRecord(plan, { id: `lead-${i}`, full_name: `Lead ${i}`, title: 'CTO' }, '');
    if (!mapped.ok) throw new Error(mapped.reason);
    out.push({ values: mapped.values, raw: mapped.raw, changes: '[]' });
  }
  return out;
}

/** An executor that records the plan of every statement before running it. */
function explaining(executor: Executor, plans: string[]): Executor {
  return {
    execute: (async (statement: SQL) => {
      const lines = await rows<Record<string, string>>(executor, sql`explain ${statement}`);
      plans.push(lines.map((l) => Object.values(l)[0]).join('\n'));
      return executor.execute(statement);
    }) as Executor['execute'],
  };
}

describe.each(KINDS)('a page over a large table on %s', (kind) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await openTestDatabase(kind, 'pageplans');
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('finds the rows a page already holds by primary key, without scanning the table', async () => {
    const { database } = t;
    const plan = planTable(database.tables.streams.leads, getStream('leads'));
    await upsertRows(database.db, plan, leadRows(plan, 0, 3_000), RUN_1);

    const plans: string[] = [];
    // 50 rows the table holds unchanged, 50 new ones.
    const written = await upsertRows(
      explaining(database.db, plans),
      plan,
      leadRows(plan, 2_950, 3_050),
      RUN_2,
    );
    expect(written).toMatchObject({ inserted: 50, updated: 0 });

    const upsert = plans.find((p) => /Insert on leads/.test(p));
    expect(upsert, plans.join('\n---\n')).toBeDefined();
    expect(upsert).toMatch(/Index (Only )?Scan using \S+ on leads cur/);
    expect(upsert).not.toMatch(/Seq Scan on leads cur/);
  });

  it("retires a parent's missing children by an anti-join on the kept keys, not a filter over every child", async () => {
    const { database } = t;
    const stream = getStream('list_rows');
    const parentPlan = planTable(database.tables.streams.list_rows, stream);
    const parents = (from: number, to: number, cells: number) =>
      Array.from({ length: to - from }, (_, k) => {
        const i = from + k;
        const record = {
          list_id: 'list-1',
          id: `row-${i}`,
          cells: Array.from({ length: cells }, (_, c) => ({
            id: `cell-${i}-${c}`,
            columnId: `col-${c}`,
            value: c,
          })),
        };
        const mapped = mapRecord(parentPlan, record, 'list-1');
        if (!mapped.ok) throw new Error(mapped.reason);
        return { values: mapped.values, record };
      });
    const write = (tx: Executor, rowsOf: ReturnType<typeof parents>) =>
      writeChildren({ tx, tables: database.tables, stream, parentPlan, parents: rowsOf, runId: RUN_1 });
    await write(database.db, parents(0, 1_000, 4));

    const plans: string[] = [];
    // 100 rows come back with one cell fewer: their fourth cell is retired, nothing else.
    await write(explaining(database.db, plans), parents(500, 600, 3));
    const retire = plans.find((p) => /Update on list_cells/.test(p));
    expect(retire, plans.join('\n---\n')).toBeDefined();
    expect(retire).toMatch(/Anti Join/);
    expect(retire).not.toMatch(/ANY|ALL/);
    const [gone] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${database.tables.children.list_cells} where _deleted_at is not null`,
    );
    expect(gone?.n).toBe(100);
  });
});
