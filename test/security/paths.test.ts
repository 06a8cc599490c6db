/**
 * Ids from the API are not trusted as path segments, and the never-call guard cannot be walked
 * around:
 * - campaigns whose ids are `.`, `..`, or contain `/`, `\`, `%` or a control character are stored
 *   as data, but none of their children is requested (no `GET /api/leads…` from `..`): each is a
 *   rejected_records row naming the parent, counted in sync_runs, the run still succeeds;
 * - every spelling of a forbidden endpoint (encoded, dot segments, backslashes, doubled or trailing
 *   slashes, upper case, `;params`, a second `skip_sync`) is refused before anything is sent.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPuffleClient,
  createRequestBudget,
  getStream,
  type PuffleClient,
  UnsafeEndpointError,
  UnsafePartitionIdError,
} from '../../src/extract/index.ts';
import { assertReadOnlyEndpoint, normalisedPath } from '../../src/extract/never-call.ts';
import { resolveRequest } from '../../src/extract/walk-stream.ts';
import { ChaosWorld } from '../chaos/world.ts';
import { type Fixture, startFixture } from '../extract/fixture-server.ts';

const BAD_IDS = ['.', '..', '../leads', 'a/b', 'c\\d', '50%', '%2e%2e', 'x\u0001y', 'tab\there'];
/** How they are stored and shown: control characters escaped. */
const STORED = ['.', '..', '../leads', 'a/b', 'c\\d', '50%', '%2e%2e', 'x\\u0001y', 'tab\\u0009here'];
const CHILDREN = ['campaign_sequence_nodes', 'campaign_leads', 'campaign_senders', 'campaign_messages'];

describe('partition ids from the API', () => {
  const disposers: Array<() => Promise<void>> = [];
  let w: ChaosWorld;

  beforeAll(async () => {
    w = await ChaosWorld.open({ track: (d) => disposers.push(d) }, { label: 'ids', seed: 12, scale: 60 });
  });
  afterAll(async () => {
    for (const d of disposers.reverse()) await d();
  });

  it.each(BAD_IDS.map((id) => [JSON.stringify(id), id]))('resolveRequest refuses %s', (_shown, id) => {
    expect(() => resolveRequest(getStream('campaign_leads'), { partition: id })).toThrow(
      UnsafePartitionIdError,
    );
    expect(() => resolveRequest(getStream('enrichment_runs'), { partition: id })).toThrow(
      UnsafePartitionIdError,
    );
  });

  it('are never requested: each is a rejected_records row for its parent, and the run succeeds', {
    timeout: 60_000,
  }, async () => {
    for (const id of BAD_IDS) w.sim.mutate.insert('campaigns', '', { id, name: `hostile ${id}` });
    const before = w.sim.requests.length;
    const run = await w.syncInProcess({ run: { streams: ['campaigns', ...CHILDREN] as never } });
    expect(run.status, JSON.stringify(run.streams.map((s) => [s.stream, s.status, s.error]))).toBe(
      'succeeded',
    );

    const paths = w.sim.requests.slice(before).map((r) => r.path);
    const partitionsAsked = paths
      .map((p) => /^\/api\/campaigns\/([^/]+)/.exec(p)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(decodeURIComponent);
    for (const id of BAD_IDS) expect(partitionsAsked, id).not.toContain(id);
    expect(paths.filter((p) => !p.startsWith('/api/campaigns'))).toEqual([]);
    expect(w.sim.sideEffectCalls).toBe(0);

    const rows = await w.withDb((db) =>
      db.query<{ stream: string; partition: string; reason: string; raw: Record<string, unknown> }>(
        sql`select stream, partition, reason, raw from puffle.rejected_records where run_id = ${run.runId}`,
      ),
    );
    for (const child of CHILDREN) {
      const mine = rows.filter((r) => r.stream === child);
      expect(mine.map((r) => r.partition).sort(), child).toEqual([...STORED].sort());
      for (const r of mine) {
        expect(r.reason).toMatch(
          new RegExp(`^${child}: partition id ".*" (is|contains) .*nothing was requested`),
        );
        expect(r.raw.parent).toBe('campaigns');
        expect((r.raw.record as { name?: string } | null)?.name).toMatch(/^hostile /);
      }
      const summary = run.streams.find((s) => s.stream === child)!;
      expect(summary.counts.rejected, child).toBe(BAD_IDS.length);
    }
    const [counted] = await w.withDb((db) =>
      db.query<{ rejected: number }>(
        sql`select rejected from puffle.sync_runs where run_id = ${run.runId} and stream = 'campaign_leads'`,
      ),
    );
    expect(counted?.rejected).toBe(BAD_IDS.length);
    // The parents themselves are data like any other.
    const [stored] = await w.withDb((db) =>
      db.query<{ n: number }>(
        sql`select count(*)::int as n from puffle.campaigns where name like 'hostile %'`,
      ),
    );
    expect(stored?.n).toBe(BAD_IDS.length);
  });
});

describe('the never-call guard reads the path as a server would', () => {
  it.each([
    ['/api/threads/abc', '/api/threads/abc'],
    ['/api/threads/abc/', '/api/threads/abc'],
    ['//api//threads///abc', '/api/threads/abc'],
    ['/API/Threads/ABC', '/api/threads/abc'],
    ['/api/%74hreads/abc', '/api/threads/abc'],
    ['/api/threads%2Fabc', '/api/threads/abc'],
    ['/api/threads%252Fabc', '/api/threads/abc'],
    ['/api/x/..%2Fthreads/abc', '/api/threads/abc'],
    ['/api/x/%2e%2e/threads/abc', '/api/threads/abc'],
    ['/api\\threads\\abc', '/api/threads/abc'],
    ['/api/threads/abc;jsessionid=1', '/api/threads/abc'],
    ['/api/./threads/./abc', '/api/threads/abc'],
    ['/api/threads/abc/messages', '/api/threads/abc/messages'],
  ])('%s → %s', (input, expected) => {
    expect(normalisedPath(input)).toBe(expected);
  });

  it.each([
    ['/api/threads/abc/'],
    ['/API/THREADS/abc'],
    ['/api/%74hreads/abc'],
    ['/api/x/..%2Fthreads%2Fabc'],
    ['/api\\conversations\\c1'],
    ['/api/email/accounts/warmup-analytics;x'],
    ['/api//unipile/accounts/'],
    ['/api/threads/%zz'],
    ['/api/threads/%2525252525252Fa'],
  ])('refuses %s', (path) => {
    expect(() => assertReadOnlyEndpoint(path, new URLSearchParams())).toThrow(UnsafeEndpointError);
  });

  it.each([
    ['', true],
    ['skip_sync=true', false],
    ['skip_sync=TRUE', true],
    ['skip_sync=true&skip_sync=false', true],
    ['skip_sync=false&skip_sync=true', true],
  ])('/api/email/domains?%s refused: %s', (query, refused) => {
    const check = () => assertReadOnlyEndpoint('/api/Email/Domains/', new URLSearchParams(query));
    if (refused) expect(check).toThrow(UnsafeEndpointError);
    else expect(check).not.toThrow();
  });

  describe('through the client: nothing is sent', () => {
    let fx: Fixture;
    let client: PuffleClient;
    beforeEach(async () => {
      fx = await startFixture();
      client = createPuffleClient({
        baseUrl: fx.url,
        apiKey: 'pk_live_pathsCanary_0123456789',
        budget: createRequestBudget({ perMinute: 60_000, keyId: 'paths' }),
        retries: 0,
      });
    });
    afterEach(async () => {
      await client.close();
      await fx.close();
    });

    it.each([
      '/api/threads/abc/',
      '/api/x/../threads/abc',
      '/api/x/%2e%2e/threads/abc',
      '/api/threads%2Fabc',
      '/API/threads/abc',
      '/api\\threads\\abc',
    ])('%s', async (path) => {
      await expect(client.get(path, undefined, { stream: 'threads' })).rejects.toThrow(UnsafeEndpointError);
      expect(fx.seen).toHaveLength(0);
    });
  });
});
