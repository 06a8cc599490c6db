/**
 * Raw load: COPY the dataset's rows into empty tables shaped like the stream and child tables
 * (`LIKE … INCLUDING ALL`: same columns, primary keys and indexes), streams in parallel on
 * `connections` connections. The physical limit of writing these rows into this Postgres.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pLimit from 'p-limit';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type ChildTableName, DEFAULT_STREAMS, type StreamName } from '../../src/extract/streams.ts';
import type { DatasetFiles } from './dataset-files.ts';

export async function rawCopy(
  databaseUrl: string,
  data: DatasetFiles,
  connections = 4,
  target = 'bench_raw',
): Promise<{ ms: number; rows: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  // pool.end() does not wait for its sockets to close; a DROP DATABASE … WITH (FORCE) right
  // after would otherwise surface as an unhandled 'error' event.
  pool.on('error', () => {});
  try {
    await pool.query(`drop schema if exists ${target} cascade; create schema ${target}`);
    // Every table a sync writes: the streams' and their child tables (list_cells).
    const tables: Array<{ name: StreamName | ChildTableName; rows: number }> = [
      ...DEFAULT_STREAMS.map((s) => ({ name: s, rows: data.rows[s] })),
      ...Object.entries(data.childRows).map(([name, rows]) => ({ name: name as ChildTableName, rows })),
    ];
    for (const { name } of tables)
      await pool.query(`create table ${target}.${name} (like puffle.${name} including all)`);
    const limit = pLimit(connections);
    let rows = 0;
    const t0 = performance.now();
    await Promise.all(
      [...tables]
        .sort((a, b) => b.rows - a.rows)
        .map((t) => t.name)
        .map((s) =>
          limit(async () => {
            const client = await pool.connect();
            try {
              const cols = data
                .columns(s)
                .map((c) => `"${c}"`)
                .join(', ');
              const copy = client.query(copyFrom(`copy ${target}.${s} (${cols}) from stdin`));
              await pipeline(createReadStream(data.copyFile(s), { highWaterMark: 1 << 20 }), copy);
              rows += Number(copy.rowCount ?? 0);
            } finally {
              client.release();
            }
          }),
        ),
    );
    const ms = performance.now() - t0;
    await pool.query(`drop schema ${target} cascade`);
    return { ms, rows };
  } finally {
    await pool.end();
  }
}
