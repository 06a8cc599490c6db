/**
 * A separate worker process for the shared-budget test: `node --import tsx budget-worker.ts`
 * with its settings as JSON in PUFFLE_TEST_WORKER. Makes `requests` GETs through its own client
 * and shared budget (Redis or Postgres), `concurrency` at a time, and prints its client stats as JSON on stdout.
 */
import { apiKeyId, createPuffleClient, createRequestBudget } from '../../src/extract/index.ts';

interface WorkerSettings {
  baseUrl: string;
  apiKey: string;
  redisUrl: string;
  postgresUrl?: string;
  prefix: string;
  perMinute: number;
  requests: number;
  concurrency: number;
  path: string;
}

const s = JSON.parse(process.env.PUFFLE_TEST_WORKER ?? '{}') as WorkerSettings;
// Neither URL gives each process its own in-process budget (the negative control).
const budget = createRequestBudget({
  perMinute: s.perMinute,
  redis: s.redisUrl || undefined,
  postgres: s.postgresUrl || undefined,
  keyId: apiKeyId(s.apiKey),
  prefix: s.prefix,
});
const client = createPuffleClient({ baseUrl: s.baseUrl, apiKey: s.apiKey, budget, retries: 0 });
let left = s.requests;
try {
  await Promise.all(
    Array.from({ length: s.concurrency }, async () => {
      while (left > 0) {
        left--;
        await client.get(s.path, undefined, { stream: 'budget_test' });
      }
    }),
  );
  process.stdout.write(JSON.stringify(client.stats().budget_test));
} finally {
  await client.close();
  await budget.close();
}
