/**
 * Every HTTP fault class at seeded request numbers: 429 with delta-seconds, with an HTTP-date and
 * without Retry-After; 500/502/503; a reset mid-body; a stall past a short client timeout;
 * malformed JSON; truncated JSON (short Content-Length and cut chunked body). Runs until a run
 * succeeds (a partition whose retries ran out is retried by the next run), then exact.
 */
import type { FaultKind, FaultRule } from '../../../src/simulator/index.ts';
import type { Rng } from '../rng.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld } from '../world.ts';

const PLAN: { kind: FaultKind; times: number; truncate?: 'length' | 'chunked' }[] = [
  // `mixed` Retry-After rotates seconds → HTTP-date → absent.
  { kind: '429', times: 3 },
  { kind: '500', times: 2 },
  { kind: '502', times: 2 },
  { kind: '503', times: 2 },
  { kind: 'reset', times: 2 },
  { kind: 'stall', times: 2 },
  { kind: 'malformed', times: 2 },
  { kind: 'truncated', times: 2, truncate: 'length' },
  { kind: 'truncated', times: 2, truncate: 'chunked' },
];

/** Distinct request numbers in 1..span for each rule, so no two rules claim one request. */
export function faultRules(rng: Rng, span: number, repeat = 1): FaultRule[] {
  const slots = Array.from({ length: span }, (_, i) => i + 1);
  for (let i = slots.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  let next = 0;
  return PLAN.map(({ kind, times, truncate }) => {
    // repeat 0: once per class (429 still three times, one per Retry-After form).
    const n = repeat === 0 ? (kind === '429' ? 3 : 1) : times * repeat;
    const nth = slots.slice(next, next + n).sort((a, b) => a - b);
    next += n;
    const rule: FaultRule = { kind, nth };
    if (kind === 'stall') rule.stallMs = 5000;
    if (truncate) rule.truncate = truncate;
    return rule;
  });
}

export const httpFaults: Scenario = {
  name: 'http-faults',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, {
      label: 'http',
      seed: ctx.seed,
      scale: size.scale,
      sim: { retryAfter: 'mixed' },
    });
    w.serveFaults(ctx.size === 'small' ? faultRules(ctx.rng, 35, 0) : faultRules(ctx.rng, 150, 2));
    const env = { PUFFLE_REQUEST_TIMEOUT_MS: '500' };
    let status = '';
    for (let attempt = 0; attempt < 4 && status !== 'succeeded'; attempt += 1) {
      const summary = await w.syncInProcess({ env });
      status = summary.status;
      if (status !== 'succeeded') ctx.note(`run ${attempt + 1} ${status}: ${summary.error?.message ?? ''}`);
    }
    w.check(status === 'succeeded', `no run succeeded after 4 (last: ${status})`);
    const log = w.sim.requests;
    const kinds = new Set(log.map((r) => r.fault).filter(Boolean));
    // A stall answers after 5 s unless the client gave up first: no answer means its 500 ms timeout
    // fired (checked by outcome, not by a window of milliseconds a loaded machine can miss).
    for (const r of log.filter((x) => x.fault === 'stall'))
      w.check(
        r.status === 0,
        `a stalled request was answered ${r.status} after ${r.ms} ms: the client timeout did not fire`,
      );
    // `mixed` answers the k-th 429 with seconds (k%3 = 0), an HTTP-date (1), nothing (2); the first
    // two say ≥ 1 s, during which no new request may arrive (a little grace for ones in flight).
    log
      .filter((x) => x.status === 429)
      .forEach((r, k) => {
        if (k % 3 === 2) return;
        const end = r.at + r.ms;
        const early = log.filter((x) => x.at > end + 400 && x.at < end + 900).length;
        w.check(early === 0, `${early} requests within 900 ms of a 429 whose Retry-After said 1 s or more`);
      });
    for (const { kind } of PLAN) w.check(kinds.has(kind), `fault ${kind} was never served`);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['http']);
  },
};
