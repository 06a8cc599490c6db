/** The catalog's derived facts: freshness from the slots, partition bindings, config at the edge. */
import { describe, expect, it } from 'vitest';
import { configuredIdsOf, envOfSetting } from '../../src/config/catalog-settings.ts';
import { freshnessOf, getStream, STREAMS, type StreamDef } from '../../src/extract/streams.ts';
import { resolveRequest } from '../../src/extract/walk-stream.ts';

describe('the stream catalog', () => {
  it('derives each freshness mode from the slots', () => {
    const modes = Object.fromEntries(STREAMS.map((d) => [d.name, freshnessOf(d)]));
    expect(modes).toMatchObject({
      account: 'full',
      campaigns: 'full+deletes',
      lead_search_tasks: 'accumulate',
      signals: 'incremental',
      thread_messages: 'changed-parents',
      lead_search_results: 'once',
      enrichment_runs: 'until-finished',
      enrichment_items: 'until-finished',
    });
  });

  it('fills what an entry leaves out from the defaults, and keeps what it states', () => {
    expect(getStream('campaigns')).toMatchObject({ primaryKey: ['id'], paginator: { kind: 'none' } });
    expect(getStream('campaign_senders').primaryKey).toEqual(['campaign_id', 'account_id']);
    expect(getStream('account').paginator).toEqual({ kind: 'single' });
  });

  it('puts the partition where the entry binds it: path placeholder or query parameter', () => {
    expect(resolveRequest(getStream('campaign_leads'), { partition: 'c 1' }).path).toBe(
      '/api/campaigns/c%201/leads',
    );
    const results = resolveRequest(getStream('lead_search_results'), { partition: 't1' });
    expect(results).toEqual({ path: '/api/leads/search/results', query: { taskId: 't1' } });
  });

  it('binds path partitions only where the path has the placeholder', () => {
    for (const def of STREAMS) {
      const binding = def.parent ?? def.configuredIds;
      if (binding) expect(def.path.includes(`{${binding.as}}`), def.name).toBe(binding.in === 'path');
    }
  });

  it('resolves configured ids by config key at the edge, not in the catalog', () => {
    const runs = getStream('enrichment_runs');
    expect(envOfSetting(runs.configuredIds?.setting ?? '')).toBe('PUFFLE_ENRICHMENT_RUN_IDS');
    expect(configuredIdsOf(runs, { enrichmentRunIds: ['r1'] })).toEqual(['r1']);
    expect(configuredIdsOf(getStream('campaigns'), { enrichmentRunIds: ['r1'] })).toBeUndefined();
    const typo = {
      ...runs,
      configuredIds: { in: 'path', as: 'id', setting: 'enrichmentRunId' },
    } as StreamDef;
    expect(() => configuredIdsOf(typo, {})).toThrow(/no config variable "enrichmentRunId"/);
  });
});
