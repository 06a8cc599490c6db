/** The Puffle API simulator: `startSimulator(opts)` → a running HTTP server playing Puffle. */
import type { Simulator, SimulatorOptions } from './types.ts';

export type * from './types.ts';

export async function startSimulator(_opts: SimulatorOptions = {}): Promise<Simulator> {
  throw new Error('simulator not implemented yet');
}
