/**
 * The hostile-source scenarios' shared parts (issue 11): the faults of each hostile run, the
 * "nothing live disappeared" check, and reading what the runs reported. A baseline run loads the
 * warehouse; hostile run 1 gets contradictory pages, an endless cursor (walks stop incomplete,
 * a fake cursor is left in a checkpoint), an empty first page (its sweep held by the mass-delete
 * guard) and poisoned values (dropped, their pages committed);
 * hostile run 2 meets the expired cursor (the walk restarts
 * once); then a calm run must leave every table exact.
 */
import { sql } from 'drizzle-orm';
import { PaginationError } from '../../src/extract/index.ts';
import { STREAM_NAMES } from '../../src/extract/streams.ts';
import type { SyncSummary } from '../../src/jobs/run-sync.ts';
import { type FaultRule, parseFaultSpec } from '../../src/simulator/index.ts';
import type { Rng } from './rng.ts';
import type { ChaosWorld } from './world.ts';

/** How long a hostile run may take before it counts as one that did not end by itself. */
export const RUN_DEADLINE_MS = 120_000;

/** Streams whose pages carry a poisoned value in hostile run 1: they must still succeed. */
const POISONED = ['threads', 'campaign_messages'] as const;

/**
 * Contradictions on every pagination shape that can express one, an endless cursor, an empty
 * first page of campaigns (the mass-delete guard holds its sweep), and values Postgres refuses (a
 * lone surrogate in a thread, zero dates in campaign messages) — one rule per path, as the first
 * rule that fires on a request wins.
 */
function contradictionRules(rng: Rng): FaultRule[] {
  const lists = rng.int(1, 2);
  return parseFaultSpec(
    [
      // `*` ends the path at one segment: as prefixes these would also match /api/threads/{id}/messages
      // and /api/campaigns/settings, whose streams may ask first.
      'poison-surrogate@/api/threads*#1',
      'poison-zero-date@/api/campaigns/*/generate-messages',
      'empty-first-page@/api/campaigns*#1',
      `contradictory@/api/lists/*/leads#${lists}`,
      'contradictory@/api/campaigns/*/leads#1',
      'contradictory@/api/signals/search#1',
      // Last: a path is a prefix (/api/leads/search too).
      'endless-cursor@/api/leads',
    ].join(';'),
  );
}

/** Set after run 1: every cursor served so far (the endless one in the leads checkpoint) expired. */
function expiryRules(): FaultRule[] {
  return parseFaultSpec('expired-cursor');
}

/** Soft-deleted rows per table: a hostile run must not add any (nothing is deleted at the source). */
async function deletedCounts(w: ChaosWorld): Promise<Map<string, number>> {
  return w.withDb(async (db) => {
    const out = new Map<string, number>();
    for (const name of STREAM_NAMES) {
      const [row] = await db.query<{ n: number }>(
        sql.raw(`select count(*)::int as n from puffle."${name}" where _deleted_at is not null`),
      );
      out.set(name, row?.n ?? 0);
    }
    return out;
  });
}

function checkNothingHidden(
  w: ChaosWorld,
  before: Map<string, number>,
  after: Map<string, number>,
  run: string,
) {
  for (const [name, n] of after) {
    const was = before.get(name) ?? 0;
    w.check(n <= was, `${run}: ${n - was} live ${name} row(s) were soft-deleted by a hostile run`);
  }
}

/** PaginationError reasons the run's streams reported (`… (reason)` ends their messages). */
function paginationCodes(summary: SyncSummary | undefined): Set<string> {
  const codes = new Set<string>();
  for (const s of summary?.streams ?? []) {
    if (s.error?.code !== PaginationError.code) continue;
    const m = /\((\w+)\)$/.exec(s.error.message);
    if (m) codes.add(m[1]!);
  }
  return codes;
}

/**
 * Baseline, hostile run 1, hostile run 2, calm run — each through `run`, which answers undefined
 * for a run that did not end by itself within RUN_DEADLINE_MS.
 */
export async function playHostileSource(
  w: ChaosWorld,
  rng: Rng,
  run: () => Promise<SyncSummary | undefined>,
): Promise<void> {
  const baseline = await run();
  w.check(baseline?.status === 'succeeded', `baseline run: ${baseline?.status ?? 'never ended'}`);
  const before = await deletedCounts(w);

  w.serveFaults(contradictionRules(rng));
  checkRefused(w, await run());
  checkNothingHidden(w, before, await deletedCounts(w), 'hostile run 1');

  w.serveFaults(expiryRules());
  w.check((await run()) !== undefined, 'hostile run 2 did not end by itself');
  checkNothingHidden(w, before, await deletedCounts(w), 'hostile run 2');

  w.sim.setFaults([]);
  const calm = await run();
  w.check(
    calm?.status === 'succeeded',
    `calm run: ${calm?.status ?? 'never ended'} ${calm?.error?.message ?? ''}`,
  );
}

/** Once the sync's output is complete: the expired resume cursor restarted its walk. */
export function checkRestarted(w: ChaosWorld): void {
  if (!w.faultsOn) return;
  const warnings = w.output.join('\n').split('restarting this walk from the beginning').length - 1;
  w.check(warnings > 0, 'no walk restarted after its resume cursor expired');
}

/** The checks on hostile run 1: it ended, and the contradictions and the endless cursor were refused. */
function checkRefused(w: ChaosWorld, summary: SyncSummary | undefined): void {
  if (!w.faultsOn) return;
  w.check(summary !== undefined, `hostile run 1 did not end by itself within ${RUN_DEADLINE_MS / 1000} s`);
  const codes = paginationCodes(summary);
  w.check(
    codes.has('no_progress'),
    `the endless cursor was not stopped by no_progress (codes: ${[...codes]})`,
  );
  w.check(
    codes.has('more_without_cursor') || codes.has('total_beyond_rows'),
    `no contradictory page was refused (codes: ${[...codes]})`,
  );
  for (const name of POISONED) {
    const s = summary?.streams.find((x) => x.stream === name);
    w.check(
      s?.status === 'succeeded',
      `a poisoned value blocked ${name}: ${s?.status} ${s?.error?.message ?? ''}`,
    );
    w.check((s?.counts.dropped ?? 0) > 0, `the poisoned value of ${name} was not dropped and recorded`);
  }
  const campaigns = summary?.streams.find((x) => x.stream === 'campaigns');
  w.check(
    (campaigns?.counts.held ?? 0) > 0,
    'the empty first page of campaigns was not held by the mass-delete guard',
  );
}
