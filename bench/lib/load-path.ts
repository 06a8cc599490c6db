/**
 * The load path without the network: the dataset's records, cut into the pages the API would
 * serve (the stream's page size), committed walk by walk through `commitPage` exactly as
 * syncPartition does (beginWalk, one transaction per page, checkpoint, seen-marks, final sweep),
 * `concurrency` walks at once. Records are read from NDJSON and parsed, as the client parses
 * responses.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import type { ResumeToken } from '../../src/extract/paginators/types.ts';
import { getStream, STREAM_NAMES, type StreamDef, type StreamName } from '../../src/extract/streams.ts';
import { prefetchOne } from '../../src/jobs/prefetch.ts';
import { beginWalk, commitPage, type Database, finishRun, startRun } from '../../src/load/index.ts';
import type { DatasetFiles } from './dataset-files.ts';

export interface LoadPathResult {
  ms: number;
  rows: number;
  written: number;
  pages: number;
  runId: string;
}

export function pageSizeOf(def: StreamDef): number {
  const p = def.paginator;
  return p.kind === 'page' || p.kind === 'offset' || p.kind === 'cursor' ? p.limit : 1_000_000;
}

interface Walk {
  partition: string;
  pages: AsyncGenerator<{ records: Record<string, unknown>[]; resume: ResumeToken | null }>;
}

/** Walks of one stream from its NDJSON file, partition after partition (the file is grouped by partition). */
async function* walksOf(
  file: string,
  limit: number,
): AsyncGenerator<{ partition: string; records: Record<string, unknown>[] }> {
  let partition: string | undefined;
  let records: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }) })) {
    const { p, r } = JSON.parse(line) as { p: string; r: Record<string, unknown> };
    if (partition !== undefined && p !== partition) {
      yield { partition, records };
      records = [];
    }
    partition = p;
    records.push(r);
  }
  if (partition !== undefined) yield { partition, records };
  void limit;
}

async function* pagesOf(records: Record<string, unknown>[], size: number): Walk['pages'] {
  for (let i = 0; i < records.length || i === 0; i += size) {
    const last = i + size >= records.length;
    yield { records: records.slice(i, i + size), resume: last ? null : { kind: 'offset', offset: i + size } };
    if (last) return;
  }
}

export async function loadPath(
  db: Database,
  data: DatasetFiles,
  concurrency: number,
  streams: readonly StreamName[] = STREAM_NAMES,
): Promise<LoadPathResult> {
  const runId = await startRun(db, { trigger: 'manual', streams: [...streams] });
  const limit = pLimit(concurrency);
  let rows = 0;
  let written = 0;
  let pages = 0;
  const t0 = performance.now();
  const commitWalk = async (def: StreamDef, partition: string, records: Record<string, unknown>[]) => {
    const walk = await beginWalk(db, def, partition);
    for await (const page of prefetchOne(pagesOf(records, pageSizeOf(def)))) {
      const c = await commitPage(db, {
        runId,
        stream: def,
        partition,
        walkId: walk.walkId,
        records: page.records,
        resume: page.resume,
        trackHighWater: true,
      });
      rows += c.read;
      written += c.inserted + c.updated;
      pages += 1;
    }
  };
  // One walk per partition; a stream's partitions are read from its file in order, and at most
  // `concurrency` walks (of any streams) are committing at once.
  await Promise.all(
    [...streams]
      .sort((a, b) => data.rows[b] - data.rows[a])
      .map(async (name) => {
        const def = getStream(name);
        const running: Promise<void>[] = [];
        for await (const w of walksOf(data.ndjsonFile(name), pageSizeOf(def))) {
          running.push(limit(() => commitWalk(def, w.partition, w.records)));
        }
        await Promise.all(running);
      }),
  );
  const ms = performance.now() - t0;
  await finishRun(db, runId, { status: 'succeeded' });
  return { ms, rows, written, pages, runId };
}
