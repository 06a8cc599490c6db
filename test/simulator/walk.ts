/**
 * A tiny walker for the simulator tests: it walks every page of a stream over real HTTP, reading
 * the endpoint, records key, pagination and partition binding from the sync's catalog (the
 * catalog is the only list of streams), but paging with its own few lines rather than
 * src/extract's paginators, so a paginator bug cannot hide behind itself.
 */
import { getStream, type StreamDef, type StreamName } from '../../src/extract/streams.ts';
import type { ExpectedRecord, StreamName as SimStreamName, Simulator } from '../../src/simulator/index.ts';

type Rec = Record<string, unknown>;

// The simulator keeps its own stream-name type; it must name exactly the catalog's streams.
true satisfies [StreamName, SimStreamName] extends [SimStreamName, StreamName] ? true : false;

export async function getJson(
  sim: Simulator,
  path: string,
  key = sim.keys[0] as string,
): Promise<{ status: number; body: Rec; headers: Headers }> {
  const res = await fetch(sim.url + path, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Rec) : {}, headers: res.headers };
}

function requestPath(def: StreamDef, partition: string, q: Record<string, string>): string {
  const params = new URLSearchParams({ ...def.params, ...q });
  const binding = def.parent ?? def.configuredIds;
  let path = def.path;
  if (def.fanOut) params.set(def.fanOut.param, partition);
  else if (binding?.in === 'query') params.set(binding.as, partition);
  else if (binding) path = path.replace(`{${binding.as}}`, encodeURIComponent(partition));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const at = (body: Rec, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Rec | undefined)?.[k], body);

/** Every page of one partition; returns the records and how many requests it took. */
export async function walkPartition(
  sim: Simulator,
  stream: StreamName,
  partition: string,
  limit?: number,
): Promise<{ records: Rec[]; pages: number }> {
  const def = getStream(stream);
  const p = def.paginator;
  const key = def.recordsAt[0] as string;
  const lim = String(limit ?? ('limit' in p ? p.limit : 50));
  const records: Rec[] = [];
  let pages = 0;
  const fetchPage = async (q: Record<string, string>) => {
    pages++;
    if (pages > 100_000) throw new Error(`${stream}: walk does not terminate`);
    const { status, body } = await getJson(sim, requestPath(def, partition, q));
    if (status !== 200) throw new Error(`${stream} ${partition}: HTTP ${status} ${JSON.stringify(body)}`);
    return body;
  };
  switch (p.kind) {
    case 'single':
      records.push((await fetchPage({}))[key] as Rec);
      break;
    case 'none':
      records.push(...((await fetchPage({}))[key] as Rec[]));
      break;
    case 'page':
      for (let page = 1; ; page++) {
        const body = await fetchPage({ page: String(page), limit: lim });
        const rows = body[key] as Rec[];
        records.push(...rows);
        if (rows.length === 0 || page * Number(body.limit) >= Number(body.total)) break;
      }
      break;
    case 'offset':
      for (let offset = 0; ; ) {
        const body = await fetchPage({ offset: String(offset), limit: lim });
        const rows = body[key] as Rec[];
        records.push(...rows);
        offset += rows.length;
        if (rows.length === 0 || offset >= Number(body.total)) break;
      }
      break;
    case 'cursor':
      for (let cursor: string | null = null; ; ) {
        const body: Rec = await fetchPage(cursor ? { cursor, limit: lim } : { limit: lim });
        records.push(...(body[key] as Rec[]));
        const more = p.hasMore ? at(body, p.hasMore) === true : true;
        const next = more ? ((at(body, p.next) as string | null) ?? null) : null;
        if (!next) break;
        if (next === cursor) throw new Error(`${stream}: repeated cursor`);
        cursor = next;
      }
  }
  return { records, pages };
}

/**
 * The partitions of a stream, discovered over HTTP like a sync would. Configured ids come from
 * the simulator's property of the setting's name (`enrichmentRunIds`), as a user would copy them.
 */
export async function discoverPartitions(sim: Simulator, stream: StreamName): Promise<string[]> {
  const def = getStream(stream);
  if (def.configuredIds) return [...(sim as unknown as Record<string, string[]>)[def.configuredIds.setting]!];
  if (def.fanOut) return [...def.fanOut.values];
  if (!def.parent) return [''];
  const { parent } = def;
  const ids: string[] = [];
  for (const partition of await discoverPartitions(sim, parent.stream)) {
    const { records } = await walkPartition(sim, parent.stream, partition);
    const wanted = records.filter((r) =>
      Object.entries(parent.where ?? {}).every(([field, values]) => values.includes(String(r[field]))),
    );
    ids.push(...wanted.map((r) => String(r[parent.field])));
  }
  return ids;
}

export async function walkStream(sim: Simulator, stream: StreamName): Promise<ExpectedRecord[]> {
  const out: ExpectedRecord[] = [];
  for (const partition of await discoverPartitions(sim, stream)) {
    const { records } = await walkPartition(sim, stream, partition);
    for (const record of records) out.push({ partition, record });
  }
  return out;
}

/** The record's key within its partition: the primary key without the partition column. */
export function pkOf(stream: StreamName, e: ExpectedRecord): string {
  const def = getStream(stream);
  const partitionColumn = def.parent?.column ?? def.fanOut?.column;
  const own = def.primaryKey.filter((k) => k !== partitionColumn);
  return [e.partition, ...own.map((k) => String(e.record[k]))].join('|');
}
