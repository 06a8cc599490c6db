/** Shared helpers for the extract tests that run against the simulator. */

import type { PuffleClient } from '../../src/extract/client.ts';
import { explodeRecords } from '../../src/extract/explode.ts';
import type { Page, ResumeToken } from '../../src/extract/paginators/types.ts';
import type { StreamDef } from '../../src/extract/streams.ts';
import { type WalkOptions, walkStream } from '../../src/extract/walk-stream.ts';
import type { Simulator } from '../../src/simulator/index.ts';

export type Row = Record<string, unknown>;

/** Identity of a record within its stream: partition + the primary-key fields the record carries. */
export function identity(def: StreamDef, partition: string, record: Row): string {
  const own = def.primaryKey.filter((k) => k in record);
  const key = own.length > 0 ? own.map((k) => String(record[k])).join('/') : JSON.stringify(record);
  return `${partition}|${key}`;
}

/** Partitions a sync would walk for this stream. */
export function partitionsOf(sim: Simulator, def: StreamDef): string[] {
  if (def.configuredIds) return [...sim.enrichmentRunIds];
  return sim.partitions(def.name);
}

export async function walkAll(
  client: PuffleClient,
  def: StreamDef,
  partition: string,
  opts: WalkOptions = {},
): Promise<{ records: Row[]; pages: Page[] }> {
  const pages: Page[] = [];
  for await (const page of walkStream(client, def, { ...opts, partition: partition || undefined }))
    pages.push(page);
  return { records: pages.flatMap((p) => p.records), pages };
}

/** What a walk yields: the served records, split per channel where the catalog says so. */
export function expectedByIdentity(sim: Simulator, def: StreamDef): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const { partition, record } of sim.expected(def.name))
    for (const r of def.explode ? explodeRecords([record], def.explode) : [record])
      out.set(identity(def, partition, r), r);
  return out;
}

/** Walks up to `stopAfter` pages, returning them and the resume token of the last one. */
export async function walkPrefix(
  client: PuffleClient,
  def: StreamDef,
  partition: string,
  stopAfter: number,
): Promise<{ records: Row[]; resume: ResumeToken | null }> {
  const records: Row[] = [];
  let resume: ResumeToken | null = null;
  let n = 0;
  for await (const page of walkStream(client, def, { partition: partition || undefined })) {
    records.push(...page.records);
    resume = page.resume;
    if (++n >= stopAfter) break;
  }
  return { records, resume };
}
