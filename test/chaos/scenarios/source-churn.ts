/**
 * Source churn while the sync walks: a seeded timer inserts, updates and deletes records in every
 * stream whose freshness contract can see the change (page-paginated campaign_leads and threads
 * included; thread inserts move threads to the head of their pages). The run during the churn may
 * end anywhere; the following run must be exact.
 *
 * Left out by contract (docs/streams.md): deletes in streams without delete detection and of parents
 * (their children would be orphaned by design), updates of signals (incremental on created_at) and
 * of thread messages (walked only when the thread moves), and lead_search_results /
 * enrichment_runs / enrichment_items (walked once / until finished).
 */
import type { StreamName } from '../../../src/extract/streams.ts';
import type { Simulator } from '../../../src/simulator/index.ts';
import type { Rng } from '../rng.ts';
import { SIZES } from '../sizes.ts';
import type { Scenario } from '../types.ts';
import { ChaosWorld, sleep } from '../world.ts';

type Op = 'insert' | 'update' | 'remove';

const CHURN: readonly { stream: StreamName; ops: readonly Op[] }[] = [
  { stream: 'account', ops: ['update'] },
  { stream: 'campaigns', ops: ['insert', 'update'] },
  { stream: 'campaign_sequence_nodes', ops: ['insert', 'update'] },
  { stream: 'campaign_leads', ops: ['insert', 'update', 'remove'] },
  { stream: 'campaign_senders', ops: ['insert', 'update'] },
  { stream: 'campaign_messages', ops: ['insert', 'update'] },
  { stream: 'threads', ops: ['insert', 'update'] },
  { stream: 'thread_messages', ops: ['insert'] },
  { stream: 'leads', ops: ['insert', 'update', 'remove'] },
  { stream: 'lists', ops: ['insert', 'update'] },
  { stream: 'list_leads', ops: ['insert', 'remove'] },
  { stream: 'lead_search_tasks', ops: ['insert'] },
  { stream: 'signals', ops: ['insert', 'remove'] },
  { stream: 'signal_types', ops: ['insert', 'update'] },
  { stream: 'signal_leads', ops: ['insert', 'update'] },
  { stream: 'signal_searches', ops: ['insert', 'update'] },
  { stream: 'enrichments', ops: ['insert', 'update'] },
  { stream: 'senders', ops: ['insert', 'update'] },
  { stream: 'email_accounts', ops: ['insert', 'update'] },
  { stream: 'email_domains', ops: ['insert', 'update'] },
  { stream: 'research_people', ops: ['insert', 'update'] },
  // issue 15: campaign_account_usage, sender_limits and campaign_weekly_stats are computed from
  // campaigns, campaign senders and senders, so their churn is those streams'.
  { stream: 'signal_keywords', ops: ['insert', 'update'] },
  { stream: 'signal_type_sources', ops: ['insert', 'update'] },
  { stream: 'source_configs', ops: ['insert', 'update'] },
  { stream: 'list_messages', ops: ['insert', 'update'] },
];

/** The field naming a record, where it is not `id`. */
const ID_FIELD: Partial<Record<StreamName, string>> = {
  campaign_senders: 'account_id',
  signal_type_sources: 'source_id',
  source_configs: 'source_id',
};

/** One seeded mutation; returns what it did, or undefined when the pick had nothing to act on. */
export function churnOnce(sim: Simulator, rng: Rng, n: number): string | undefined {
  const { stream, ops } = rng.pick(CHURN);
  const op = rng.pick(ops);
  const records = [...sim.expected(stream)];
  const target = records.length > 0 ? rng.pick(records) : undefined;
  const partitions = sim.partitions(stream);
  const idOf = (r: Record<string, unknown>) => String(r[ID_FIELD[stream] ?? 'id']);
  try {
    if (op === 'insert') {
      if (partitions.length === 0) return undefined;
      sim.mutate.insert(stream, rng.pick(partitions), { chaos_note: `inserted ${n}` });
    } else if (!target) {
      return undefined;
    } else if (op === 'update') {
      sim.mutate.update(
        stream,
        idOf(target.record),
        { chaos_note: `updated ${n}` },
        target.partition || undefined,
      );
    } else {
      sim.mutate.remove(stream, idOf(target.record), target.partition || undefined);
    }
    return `${op} ${stream}`;
  } catch (err) {
    // A pick the simulator cannot apply (e.g. a partition that just vanished) is skipped.
    if ((err as Error).name === 'MutationError') return undefined;
    throw err;
  }
}

export const sourceChurn: Scenario = {
  name: 'source-churn',
  async run(ctx) {
    const size = SIZES[ctx.size];
    const w = await ChaosWorld.open(ctx, { label: 'churn', seed: ctx.seed, scale: size.scale });
    w.sim.setLatency(size.latencyMs);
    const touched = new Set<string>();
    let mutations = 0;
    let stop = false;
    const churn = (async () => {
      while (!stop) {
        const did = w.faultsOn ? churnOnce(w.sim, ctx.rng, mutations) : undefined;
        if (did) {
          mutations += 1;
          touched.add(did.split(' ')[1]!);
        }
        await sleep(ctx.rng.int(2, 20));
      }
    })();
    try {
      const during = await w.syncInProcess();
      ctx.note(`run under churn: ${during.status}, ${mutations} mutations`);
    } finally {
      stop = true;
      await churn;
    }
    w.land('mutation', mutations);
    w.sim.setLatency(0);
    const after = await w.syncInProcess();
    w.check(after.status === 'succeeded', `run after churn: ${after.status} ${after.error?.message ?? ''}`);
    const missed = CHURN.filter((c) => !touched.has(c.stream)).map((c) => c.stream);
    if (ctx.size === 'full') w.check(missed.length === 0, `streams never churned: ${missed.join(', ')}`);
    w.problems.push(...(await w.diff()));
    return w.outcome(this.name, ['mutation']);
  },
};
