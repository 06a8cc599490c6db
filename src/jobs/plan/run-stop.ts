/**
 * The run's stop switch. Puffle rejecting the key (401) ends the whole run: the unit that saw it
 * throws the switch, and every other unit checks it before calling Puffle, so a dead key costs at
 * most one request per unit in flight. Each driver keeps the switch where its units can see it:
 * inline in memory (aborting the walks in flight), queued in the queue backend (run-abort.ts).
 */

import { errorSummary } from '../../error-summary.ts';
import type { AuthRejectedError } from '../../extract/index.ts';
import type { RunError } from '../../load/index.ts';

export interface RunStop {
  /** The failure that stopped the run, or undefined while it may go on. */
  reason(): Promise<RunError | undefined>;
  stop(err: AuthRejectedError): Promise<void>;
}

/** In memory, for units in this process: stopping also aborts `abort`, so walks stop at the next page. */
export function inMemoryRunStop(abort: AbortController): RunStop {
  let stoppedBy: RunError | undefined;
  return {
    reason: async () => stoppedBy,
    stop: async (err) => {
      stoppedBy ??= errorSummary(err);
      abort.abort(err);
    },
  };
}
