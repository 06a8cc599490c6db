/**
 * Extract-layer figures (not part of `npm test`):
 *
 *   npx tsx bench/extract-walk.ts throughput [scale=200000]  — walk leads/signals/list_leads with an
 *       unlimited simulator: records/s, requests, heap. Measures client + paginator overhead.
 *   npx tsx bench/extract-walk.ts budget [perMinute=1200] [seconds=20] — simulator limit = budget
 *       (sliding 10 s window of perMinute/6): share of the budget used, and 429s (should be 0).
 */
import {
  apiKeyId,
  createPuffleClient,
  createRequestBudget,
  getStream,
  walkStream,
} from '../src/extract/index.ts';
import { startSimulator } from '../src/simulator/index.ts';

const [mode = 'throughput', a, b] = process.argv.slice(2);

if (mode === 'throughput') {
  const scale = Number(a ?? 200_000);
  const sim = await startSimulator({ seed: 1, scale, rateLimit: null });
  const budget = createRequestBudget({ perMinute: 10_000_000, keyId: 'bench', safetyMargin: 0 });
  const client = createPuffleClient({ baseUrl: sim.url, apiKey: sim.keys[0]!, budget });
  for (const name of ['leads', 'signals', 'list_leads'] as const) {
    const def = getStream(name);
    const t0 = performance.now();
    let records = 0;
    for (const partition of def.parent ? sim.partitions(name) : ['']) {
      for await (const page of walkStream(client, def, { partition: partition || undefined }))
        records += page.records.length;
    }
    const s = (performance.now() - t0) / 1000;
    const st = client.stats()[name]!;
    console.log(
      `${name}: ${records} records, ${st.requests} requests in ${s.toFixed(1)} s = ${Math.round(records / s)} records/s, ` +
        `heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB (expected ${sim.count(name)})`,
    );
  }
  await client.close();
  await sim.close();
} else {
  const perMinute = Number(a ?? 1_200);
  const seconds = Number(b ?? 20);
  const sim = await startSimulator({
    seed: 1,
    scale: 20_000,
    rateLimit: { limit: perMinute / 6, windowMs: 10_000 },
  });
  const apiKey = sim.keys[0]!;
  const budget = createRequestBudget({ perMinute, keyId: apiKeyId(apiKey) });
  const client = createPuffleClient({ baseUrl: sim.url, apiKey, budget });
  const stop = AbortSignal.timeout(seconds * 1000);
  const t0 = Date.now();
  // Four concurrent walkers, as a busy worker would run them.
  await Promise.all(
    (['leads', 'signals', 'threads', 'lead_search_results'] as const).map(async (name) => {
      const def = getStream(name);
      const partition = def.parent ? sim.partitions(name)[0] : undefined;
      try {
        // Walk again whenever a walk ends, so the budget stays the only limit until the stop.
        while (!stop.aborted) {
          for await (const _ of walkStream(client, def, { partition, signal: stop })) {
            // drain
          }
        }
      } catch (err) {
        if (!stop.aborted) throw err;
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  const stats = Object.values(client.stats());
  const requests = stats.reduce((n, s) => n + s.requests, 0);
  const limited = stats.reduce((n, s) => n + s.rateLimited429, 0);
  const allowed = (perMinute / 60) * elapsed;
  console.log(
    `budget ${perMinute}/min over ${elapsed.toFixed(1)} s: ${requests} requests = ${((100 * requests) / allowed).toFixed(1)} % of the budget, ${limited} × 429`,
  );
  await client.close();
  await budget.close();
  await sim.close();
}
