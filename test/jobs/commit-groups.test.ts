/**
 * Adaptive group commit: groups are one page when fetching is the bottleneck, grow when
 * committing is, keep page order, respect every cap, and never leave more than one group's worth
 * of pages fetched and uncommitted (what a crash would fetch again).
 */
import { describe, expect, it } from 'vitest';
import { commitGroups } from '../../src/jobs/commit-groups.ts';
import type { CommitGroupCaps } from '../../src/load/index.ts';

interface Page {
  n: number;
  records: unknown[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A walk of `pages` pages of `rows` records, each taking `fetchMs`; counts pages handed out. */
function source(pages: number, rows: number, fetchMs: number, fetched: { n: number }) {
  return (async function* () {
    for (let n = 1; n <= pages; n += 1) {
      await sleep(fetchMs);
      fetched.n += 1;
      yield { n, records: Array.from({ length: rows }, () => ({})) } satisfies Page;
    }
  })();
}

/** Commits every group with `commitMs`; records each group and the most pages ever uncommitted. */
async function drive(
  caps: CommitGroupCaps,
  walk: { pages: number; rows: number; fetchMs: number },
  commitMs: number,
) {
  const fetched = { n: 0 };
  let committed = 0;
  let maxUncommitted = 0;
  const groups: number[][] = [];
  for await (const group of commitGroups(source(walk.pages, walk.rows, walk.fetchMs, fetched), caps)) {
    groups.push(group.map((p) => p.n));
    for (let t = 0; t < commitMs; t += 2) {
      maxUncommitted = Math.max(maxUncommitted, fetched.n - committed);
      await sleep(2);
    }
    maxUncommitted = Math.max(maxUncommitted, fetched.n - committed);
    committed += group.length;
  }
  return { groups, maxUncommitted };
}

const WIDE: CommitGroupCaps = { pages: 8, rows: 1_000_000, fetchMs: 60_000 };

describe('commitGroups', () => {
  it('commits one page at a time when fetching is slower than committing', async () => {
    const { groups } = await drive(WIDE, { pages: 12, rows: 10, fetchMs: 15 }, 0);
    expect(groups.flat()).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(groups.every((g) => g.length === 1)).toBe(true);
  });

  it('grows groups when committing is slower, up to the page cap, in page order', async () => {
    const { groups, maxUncommitted } = await drive(WIDE, { pages: 60, rows: 10, fetchMs: 1 }, 40);
    expect(groups.flat()).toEqual([...Array(60).keys()].map((i) => i + 1));
    expect(Math.max(...groups.map((g) => g.length))).toBeGreaterThan(2);
    expect(groups.every((g) => g.length <= WIDE.pages)).toBe(true);
    // The crash bar: never more than one group's cap fetched and not committed.
    expect(maxUncommitted).toBeLessThanOrEqual(WIDE.pages);
  });

  it('caps a group by rows (at least one page) and stops fetching ahead past the row cap', async () => {
    const caps = { ...WIDE, rows: 25 };
    const { groups, maxUncommitted } = await drive(caps, { pages: 30, rows: 10, fetchMs: 1 }, 30);
    expect(groups.every((g) => g.length * 10 <= 25)).toBe(true);
    expect(Math.max(...groups.map((g) => g.length))).toBe(2);
    // In flight 2 pages (20 rows) + one page waiting (30 ≥ 25: no more): at most 3 pages.
    expect(maxUncommitted).toBeLessThanOrEqual(3);
  });

  it('caps a group by fetch time', async () => {
    const caps = { ...WIDE, fetchMs: 15 };
    const { groups } = await drive(caps, { pages: 20, rows: 1, fetchMs: 10 }, 60);
    // Each page takes ≥ 10 ms: the second reaches the 15 ms cap, so a third never joins.
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(2);
    expect(groups.flat()).toHaveLength(20);
  });

  it('hands over the pages fetched before a failure, then throws it', async () => {
    const failing = (async function* () {
      yield { n: 1, records: [] };
      yield { n: 2, records: [] };
      throw new Error('fetch failed');
    })();
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const group of commitGroups(failing, WIDE)) {
          await sleep(10);
          seen.push(...group.map((p) => p.n));
        }
      })(),
    ).rejects.toThrow('fetch failed');
    expect(seen).toEqual([1, 2]);
  });

  it('stops fetching when the caller stops', async () => {
    const fetched = { n: 0 };
    for await (const group of commitGroups(source(100, 1, 1, fetched), { ...WIDE, pages: 4 })) {
      expect(group.length).toBeGreaterThan(0);
      break;
    }
    const at = fetched.n;
    await sleep(30);
    expect(fetched.n).toBe(at);
    expect(at).toBeLessThanOrEqual(4);
  });
});
