/**
 * The demo's near-real-time step: the simulator detects one new signal and delivers the signed
 * `signal.detected` webhook to a receiver started in this process (what `puffle-sync webhooks`
 * runs), whose targeted sync puts the row in the warehouse. Measured from the delivery's arrival
 * to the committed row, as webhook_events records them.
 */
import { sql } from 'drizzle-orm';
import type { Runtime } from '../jobs/runtime.ts';
import type { Logger } from '../log.ts';
import { generateWebhookSecret, type Simulator } from '../simulator/index.ts';
import { COALESCE_MS, inlineDispatcher, startWebhookReceiver } from '../webhooks/index.ts';

export interface WebhookArrival {
  signalId: string;
  headline: string;
  /** Seconds from the delivery's arrival to the row committed in the warehouse. */
  deliveryToRowSeconds: number;
}

export async function demoWebhookArrival(
  sim: Simulator,
  runtime: Runtime,
  opts: { logger: Logger; lookbackMs: number; timeoutMs?: number },
): Promise<WebhookArrival> {
  const { db, client, locks } = runtime;
  const secret = generateWebhookSecret();
  const dispatcher = inlineDispatcher({
    db,
    client,
    locks,
    logger: opts.logger,
    lookbackMs: opts.lookbackMs,
    coalesceMs: COALESCE_MS,
  });
  const receiver = await startWebhookReceiver({
    db,
    secrets: [secret],
    dispatcher,
    logger: opts.logger,
    port: 0,
  });
  try {
    sim.setWebhookTarget({ url: receiver.endpoint, secret });
    const signal = sim.mutate.insert('signals');
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      const [row] = await db.query<{ seconds: number }>(sql`
        select extract(epoch from e.synced_at - e.received_at)::float8 as seconds
        from ${db.tables.webhook_events} e join ${db.tables.signals} s on s.id = e.object_id
        where e.object_id = ${String(signal.id)} and e.status = 'synced'`);
      if (row)
        return {
          signalId: String(signal.id),
          headline: String(signal.title),
          deliveryToRowSeconds: row.seconds,
        };
      if (Date.now() > deadline)
        throw new Error('the demo signal did not arrive through its webhook in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    sim.setWebhookTarget(null);
    await receiver.close();
  }
}
