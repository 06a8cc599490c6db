/**
 * The mass-delete guard of a run, from the configuration of the process that writes the rows
 * (PUFFLE_MASS_DELETE_PERCENT, PUFFLE_MASS_DELETE_MIN_ROWS) and the acceptance of the run: the
 * `sync --accept-mass-deletes` flag or PUFFLE_ACCEPT_MASS_DELETES of whoever started it (carried
 * in queued job data), or of the worker itself.
 */
import type { Config } from '../config/config.ts';
import type { DeleteGuard } from '../load/index.ts';

export function deleteGuardOf(
  config: Pick<Config, 'massDeletePercent' | 'massDeleteMinRows' | 'acceptMassDeletes'>,
  acceptedByRun = false,
): DeleteGuard {
  return {
    percent: config.massDeletePercent,
    minRows: config.massDeleteMinRows,
    accept: acceptedByRun || config.acceptMassDeletes,
  };
}
