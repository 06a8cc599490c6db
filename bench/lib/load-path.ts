/**
 * The load path without the network: the dataset's records, cut into the pages the API would
 * serve (the stream's page size), committed walk by walk through `commitPage` exactly as
 * syncPartition does (beginWalk, adaptive commit groups, checkpoint, seen-marks, final sweep),
 * `concurrency` walks at once. Records are read from NDJSON and parsed, as the client parses
 * responses.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import type { ResumeToken } from '../../src/extract/paginators/types.ts';
import { DEFAULT_STREAMS, getStream, type StreamDef, type StreamName } from '../../src/extract/streams.ts';
import { commitGroups } from '../../src/jobs/commit-groups.ts';
import {
  beginWalk,
  commitPage,
  type Database,
  DEFAULT_COMMIT_GROUP,
  finishRun,
  startRun,
} from '../../src/load/index.ts';
import type { DatasetFiles } from './dataset-files.ts';

export interface LoadPathResult {
  ms: number;
  rows: number;
  written: number;
  pages: number;
  /** Transactions (commit groups) the pages took. */
  commits: number;
  runId: string;
}

export function pageSizeOf(def: StreamDef): number {
  const p = def.paginator;
  return p.kind === 'page' || p.kind === 'offset' || p.kind === 'cursor' ? p.limit : 1_000_000;
}

interface PartitionRange {
  partition: string;
  /** Byte range of the partition's lines in the stream's NDJSON file (inclusive end). */
  start: number;
  end: number;
}

/** Where each partition's lines are in the file (it is grouped by partition); read before timing. */
async function indexPartitions(file: string): Promise<PartitionRange[]> {
  const out: PartitionRange[] = [];
  let offset = 0;
  for await (const line of createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }) })) {
    const p = (JSON.parse(line) as { p: string }).p;
    const last = out.at(-1);
    if (last && last.partition === p) last.end = offset + Buffer.byteLength(line);
    else out.push({ partition: p, start: offset, end: offset + Buffer.byteLength(line) });
    offset += Buffer.byteLength(line) + 1;
  }
  return out;
}

/** One walk's pages, read and parsed from the file as they are needed (memory stays bounded). */
async function* pagesOf(
  file: string,
  range: PartitionRange,
  size: number,
): AsyncGenerator<{ records: Record<string, unknown>[]; resume: ResumeToken | null }> {
  const input = createReadStream(file, { start: range.start, end: range.end, highWaterMark: 1 << 18 });
  let records: Record<string, unknown>[] = [];
  let read = 0;
  for await (const line of createInterface({ input })) {
    records.push((JSON.parse(line) as { r: Record<string, unknown> }).r);
    if (records.length === size) {
      read += size;
      // The last full page is only known to be last at the end of the range.
      const next = records;
      records = [];
      yield { records: next, resume: { kind: 'offset', offset: read } };
    }
  }
  yield { records, resume: null };
}

export async function loadPath(
  db: Database,
  data: DatasetFiles,
  concurrency: number,
  streams: readonly StreamName[] = DEFAULT_STREAMS,
): Promise<LoadPathResult> {
  const runId = await startRun(db, { trigger: 'manual', streams: [...streams] });
  const ordered = [];
  for (const name of [...streams].sort((a, b) => data.rows[b] - data.rows[a]))
    ordered.push({ def: getStream(name), ranges: await indexPartitions(data.ndjsonFile(name)) });
  const limit = pLimit(concurrency);
  let rows = 0;
  let written = 0;
  let pages = 0;
  let commits = 0;
  const t0 = performance.now();
  const commitWalk = async (def: StreamDef, range: PartitionRange) => {
    const walk = await beginWalk(db, def, range.partition);
    const source = pagesOf(data.ndjsonFile(def.name), range, pageSizeOf(def));
    for await (const group of commitGroups(source, db.commitGroup ?? DEFAULT_COMMIT_GROUP)) {
      const c = await commitPage(db, {
        runId,
        stream: def,
        partition: range.partition,
        walkId: walk.walkId,
        records: group.flatMap((page) => page.records),
        resume: group.at(-1)!.resume,
        pages: group.length,
        trackHighWater: true,
      });
      rows += c.read;
      written += c.inserted + c.updated;
      pages += group.length;
      commits += 1;
    }
  };
  // Streams biggest first, every partition a walk, at most `concurrency` walks committing at once.
  await Promise.all(
    ordered.flatMap(({ def, ranges }) => ranges.map((range) => limit(() => commitWalk(def, range)))),
  );
  const ms = performance.now() - t0;
  await finishRun(db, runId, { status: 'succeeded' });
  return { ms, rows, written, pages, commits, runId };
}
