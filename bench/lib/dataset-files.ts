/**
 * The benchmark dataset on disk, rendered once per (seed, scale) and untimed: per stream, the
 * rows in COPY text format (what raw load streams into Postgres) and the records as NDJSON
 * `{"p":partition,"r":record}` (what the load-path benchmark feeds commitPage, parsing JSON as
 * the client would). Both come from `sim.expected()`, i.e. exactly what a complete walk returns.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_STREAMS, getStream, type StreamName } from '../../src/extract/streams.ts';
import { mapRecord, planTable, type TablePlan } from '../../src/load/row-mapper.ts';
import { buildTables } from '../../src/load/schema.ts';
import { startSimulator } from '../../src/simulator/index.ts';

export interface DatasetFiles {
  dir: string;
  copyFile(stream: StreamName): string;
  ndjsonFile(stream: StreamName): string;
  /** Data columns of the stream table followed by the lineage columns, in COPY order. */
  columns(stream: StreamName): string[];
  rows: Record<StreamName, number>;
}

export const RAW_RUN_ID = '00000000-0000-7000-8000-000000000000';

export function tablePlan(stream: StreamName): TablePlan {
  return planTable(buildTables('puffle').streams[stream], getStream(stream));
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
  };
  mkdirSync(dir, { recursive: true });
  const sim = await startSimulator({ seed, scale, rateLimit: null, logCap: 0 });
  try {
    for (const stream of DEFAULT_STREAMS) {
      rows[stream] = sim.count(stream);
      if (existsSync(files.copyFile(stream)) && existsSync(files.ndjsonFile(stream))) continue;
      const plan = tablePlan(stream);
      const copy = createWriteStream(`${files.copyFile(stream)}.part`);
      const ndjson = createWriteStream(`${files.ndjsonFile(stream)}.part`);
      const syncedAt = new Date().toISOString();
      for (const { partition, record } of sim.expected(stream)) {
        const mapped = mapRecord(plan, record, partition);
        if (!mapped.ok) continue;
        const line = `${[...mapped.values, mapped.raw, syncedAt, RAW_RUN_ID, null].map(copyText).join('\t')}\n`;
        copy.write(line);
        ndjson.write(`${JSON.stringify({ p: partition, r: record })}\n`);
        if (copy.writableNeedDrain) await once(copy, 'drain');
        if (ndjson.writableNeedDrain) await once(ndjson, 'drain');
      }
      copy.end();
      ndjson.end();
      await Promise.all([once(copy, 'close'), once(ndjson, 'close')]);
      renameSync(`${files.copyFile(stream)}.part`, files.copyFile(stream));
      renameSync(`${files.ndjsonFile(stream)}.part`, files.ndjsonFile(stream));
    }
  } finally {
    await sim.close();
  }
  return files;
}

/** A value in COPY text format. */
export function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}
