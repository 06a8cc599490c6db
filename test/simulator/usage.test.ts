/** The usage and analytics endpoints' documented quirks: `date` validation, stable past days, the `type` switch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { getJson } from './walk.ts';

describe('usage and analytics endpoints', () => {
  let sim: Simulator;
  let campaign: string;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 300, seed: 3, rateLimit: null, clockStart: '2026-03-10T12:00:00Z' });
    campaign = sim.partitions('campaign_account_usage')[0]!;
  });
  afterAll(() => sim.close());

  const usage = (q: string) => getJson(sim, `/api/campaigns/${campaign}/account-usage${q}`);

  it('answers a bad date with 400, as Puffle documents validation errors', async () => {
    for (const bad of ['2026-3-01', '2026-02-30', 'yesterday', '']) {
      const { status } = await usage(`?date=${bad}`);
      expect(status, bad).toBe(400);
    }
  });

  it('serves a past day the same on every read, today by default, and nothing sent on a future day', async () => {
    const past = await usage('?date=2026-03-02');
    expect(past.status).toBe(200);
    expect((await usage('?date=2026-03-02')).body).toEqual(past.body);
    const accounts = past.body.accounts as Record<string, unknown>[];
    expect(accounts.length).toBeGreaterThan(0);
    expect(Object.keys(accounts[0]!).sort()).toEqual([
      'account_id',
      'daily_limit',
      'email',
      'sent_today',
      'status',
    ]);
    expect((await usage('')).body).toEqual((await usage('?date=2026-03-10')).body);
    const future = (await usage('?date=2026-03-11')).body.accounts as Record<string, unknown>[];
    expect(future.map((a) => a.sent_today)).toEqual(future.map(() => 0));
    expect(
      (await getJson(sim, '/api/campaigns/00000000-0000-7000-8000-000000000000/account-usage')).status,
    ).toBe(404);
  });

  it('needs type=keywords or keyword-runs on signal analytics; keywords page by camel-case cursor', async () => {
    expect((await getJson(sim, '/api/signals/analytics')).status).toBe(400);
    const page = await getJson(sim, '/api/signals/analytics?type=keywords&limit=10');
    expect(page.body.pagination).toMatchObject({ hasMore: true, count: 10 });
    const runs = await getJson(sim, '/api/signals/analytics?type=keyword-runs');
    expect(Array.isArray(runs.body.runs)).toBe(true);
    expect(runs.body.pagination).toBeUndefined();
  });

  it('routes /api/campaigns/settings to the settings, not to a campaign named "settings"', async () => {
    const { status, body } = await getJson(sim, '/api/campaigns/settings');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['accounts', 'schedules', 'weekly_stats']);
    expect((body.accounts as Record<string, unknown>[])[0]).toHaveProperty('limits');
  });

  it('narrows the dashboard rollups to campaign_ids', async () => {
    const everything = (await getJson(sim, '/api/dashboard/analytics')).body;
    const one = (await getJson(sim, `/api/dashboard/analytics?campaign_ids=${campaign}`)).body;
    expect((everything.weekly as unknown[]).length).toBe(12);
    expect(one.campaigns).toHaveLength(1);
    expect(one.allTime).not.toEqual(everything.allTime);
  });
});
