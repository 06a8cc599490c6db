/**
 * The benchmark dataset on disk, rendered once per (seed, scale) and untimed: per stream, the
 * rows in COPY text format (what raw load streams into Postgres) and the records as NDJSON
 * `{"p":partition,"r":record}` (what the load-path benchmark feeds commitPage, parsing JSON as
 * the client would). Both come from `sim.expected()`, i.e. exactly what a complete walk returns.
 * A stream's child tables (list_rows' cells in list_cells) get COPY files of their own: the sync
 * writes those rows too, so the raw COPY must.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ChildRows,
  type ChildTableName,
  DEFAULT_STREAMS,
  getStream,
  type StreamName,
} from '../../src/extract/streams.ts';
import { childPlan, childRowsOf } from '../../src/load/children.ts';
import { copyText } from '../../src/load/copy-stage.ts';
import { mapRecord, planTable, type TablePlan } from '../../src/load/row-mapper.ts';
import { buildTables } from '../../src/load/schema.ts';
import { startSimulator } from '../../src/simulator/index.ts';

export interface DatasetFiles {
  dir: string;
  copyFile(table: StreamName | ChildTableName): string;
  ndjsonFile(stream: StreamName): string;
  /** Data columns of the table followed by the lineage columns, in COPY order. */
  columns(table: StreamName | ChildTableName): string[];
  rows: Record<StreamName, number>;
  /** Rows of each child table of the default streams (list_cells). */
  childRows: Partial<Record<ChildTableName, number>>;
}

export const RAW_RUN_ID = '00000000-0000-7000-8000-000000000000';

export function tablePlan(table: StreamName | ChildTableName): TablePlan {
  const tables = buildTables('puffle');
  const child = childOf(table);
  if (child) return childPlan(tables, child);
  return planTable(tables.streams[table as StreamName], getStream(table as StreamName));
}

function childOf(table: string): ChildRows | undefined {
  for (const s of DEFAULT_STREAMS) {
    const child = getStream(s).children?.find((c) => c.table === table);
    if (child) return child;
  }
  return undefined;
}

export async function renderDataset(
  seed: number,
  scale: number,
  root = '/tmp/puffle-bench',
): Promise<DatasetFiles> {
  const dir = join(root, `seed${seed}-scale${scale}`);
  const rows = {} as Record<StreamName, number>;
  const files: DatasetFiles = {
    dir,
    copyFile: (s) => join(dir, `${s}.copy`),
    ndjsonFile: (s) => join(dir, `${s}.ndjson`),
    columns: (s) => [
      ...tablePlan(s).columns.map((c) => c.name),
      'raw',
      '_synced_at',
      '_run_id',
      '_deleted_at',
    ],
    rows,
    childRows: {},
  };
  mkdirSync(dir, { recursive: true });
  const sim = await startSimulator({ seed, scale, rateLimit: null, logCap: 0 });
  try {
    for (const stream of DEFAULT_STREAMS) {
      rows[stream] = sim.count(stream);
      const def = getStream(stream);
      const children = def.children ?? [];
      const counts = join(dir, `${stream}.children.json`);
      const done = [files.copyFile(stream), files.ndjsonFile(stream), ...(children.length ? [counts] : [])];
      if (done.every((f) => existsSync(f))) {
        if (children.length) Object.assign(files.childRows, JSON.parse(readFileSync(counts, 'utf8')));
        continue;
      }
      const plan = tablePlan(stream);
      const copy = createWriteStream(`${files.copyFile(stream)}.part`);
      const ndjson = createWriteStream(`${files.ndjsonFile(stream)}.part`);
      const childCopies = children.map((c) => ({
        child: c,
        plan: tablePlan(c.table),
        out: createWriteStream(`${files.copyFile(c.table)}.part`),
        keys: new Set<string>(),
      }));
      const syncedAt = new Date().toISOString();
      const lineOf = (values: readonly (string | null)[], raw: string) =>
        `${[...values, raw, syncedAt, RAW_RUN_ID, null].map(copyText).join('\t')}\n`;
      for (const { partition, record } of sim.expected(stream)) {
        const mapped = mapRecord(plan, record, partition);
        if (!mapped.ok) continue;
        copy.write(lineOf(mapped.values, mapped.raw));
        ndjson.write(`${JSON.stringify({ p: partition, r: record })}\n`);
        for (const c of childCopies) {
          const parent = { values: mapped.values, record };
          for (const [key, row] of childRowsOf(
            { stream: def, parentPlan: plan, parents: [parent] },
            c.child,
            c.plan,
          ).rows) {
            if (c.keys.has(key)) continue;
            c.keys.add(key);
            c.out.write(lineOf(row.values, row.raw));
          }
          if (c.out.writableNeedDrain) await once(c.out, 'drain');
        }
        if (copy.writableNeedDrain) await once(copy, 'drain');
        if (ndjson.writableNeedDrain) await once(ndjson, 'drain');
      }
      for (const c of childCopies) {
        files.childRows[c.child.table] = c.keys.size;
        c.out.end();
        await once(c.out, 'close');
        renameSync(`${files.copyFile(c.child.table)}.part`, files.copyFile(c.child.table));
      }
      copy.end();
      ndjson.end();
      await Promise.all([once(copy, 'close'), once(ndjson, 'close')]);
      renameSync(`${files.copyFile(stream)}.part`, files.copyFile(stream));
      renameSync(`${files.ndjsonFile(stream)}.part`, files.ndjsonFile(stream));
      if (children.length)
        writeFileSync(
          counts,
          JSON.stringify(Object.fromEntries(childCopies.map((c) => [c.child.table, c.keys.size]))),
        );
    }
  } finally {
    await sim.close();
  }
  return files;
}
