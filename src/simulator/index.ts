/** The Puffle API simulator: `startSimulator(opts)` → a running HTTP server playing Puffle. */
import { SimulatorServer } from './server.ts';
import type { Simulator, SimulatorOptions } from './types.ts';

export { parseFaultSpec } from './fault-spec.ts';
export { generateKey } from './server.ts';
export type * from './types.ts';
export { generateWebhookSecret, signPayload } from './webhooks/sign.ts';

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorServer(opts);
  await sim.listen();
  return sim;
}
