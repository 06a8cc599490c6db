/** A simulator, a fresh Postgres database and one complete inline sync between them. */
import { type FaultRule, type Simulator, startSimulator } from '../../src/simulator/index.ts';
import { createTestDatabase } from '../helpers/services.ts';
import { syncOnce } from '../helpers/sync-harness.ts';

export interface SyncedDatabase {
  sim: Simulator;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function syncedDatabase(
  label: string,
  opts: { scale?: number; seed?: number; faults?: FaultRule[] } = {},
): Promise<SyncedDatabase> {
  const sim = await startSimulator({ scale: opts.scale ?? 150, seed: opts.seed ?? 8, rateLimit: null });
  const db = await createTestDatabase(label);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await sim.close();
      await db.drop();
    })());
  try {
    if (opts.faults) sim.setFaults(opts.faults);
    const summary = await syncOnce(sim, { databaseUrl: db.url });
    if (summary.status !== 'succeeded')
      throw new Error(`fixture sync ${summary.status}: ${JSON.stringify(summary.error ?? summary.streams)}`);
    sim.setFaults([]);
    return { sim, databaseUrl: db.url, close };
  } catch (err) {
    await close();
    throw err;
  }
}
