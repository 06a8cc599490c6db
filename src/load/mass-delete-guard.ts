/**
 * The mass-delete guard's decision, pure: what a complete walk's sweep applies and what it holds.
 *
 * A sweep is a *mass deletion* when it would soft-delete more than `percent` % of the partition's
 * live rows and at least `minRows` rows, or every live row of a partition holding at least
 * ALL_ROWS_FLOOR rows (an empty first page, taken for a complete walk). Such keys are held, not
 * deleted. The next complete walk settles them key by key: a key it misses again is confirmed and
 * deleted, a key it sees again is released (the row stays live). Keys it misses that were not held
 * are judged on their own, as a first walk's would be. Accepting (`accept`) applies everything.
 */
export interface DeleteGuard {
  /** Share of a partition's live rows above which a sweep is held, 1 to 100 (100: never by share). */
  percent: number;
  /** Fewer rows than this are never held by share. */
  minRows: number;
  /** Apply every deletion at once, held ones included. */
  accept: boolean;
}

/** Amazon Bedrock's connectors skip a delete phase that would remove more than 15 %. */
export const DEFAULT_DELETE_GUARD: DeleteGuard = { percent: 15, minRows: 10, accept: false };

/** A walk that would delete every live row is held from this many rows (or `minRows`, if lower). */
export const ALL_ROWS_FLOOR = 3;

export function isMassDeletion(count: number, live: number, guard: DeleteGuard): boolean {
  if (guard.accept || count === 0) return false;
  if (count >= guard.minRows && count * 100 > guard.percent * live) return true;
  return guard.percent < 100 && count >= live && count >= Math.min(ALL_ROWS_FLOOR, guard.minRows);
}

export interface SweepPlan {
  /** Keys to soft-delete now: confirmed held keys and fresh keys under the threshold. */
  apply: string[];
  /** Keys to hold until the next complete walk (empty: no hold remains). */
  hold: string[];
  /** Held keys applied because this walk missed them again. */
  confirmed: number;
  /** Held keys released because this walk saw them again. */
  released: number;
}

/**
 * @param gone live keys of the partition the completed walk did not see
 * @param held keys held by the previous complete walk (none: [])
 * @param live live rows of the partition, gone ones included
 */
export function planSweep(
  gone: readonly string[],
  held: readonly string[],
  live: number,
  guard: DeleteGuard,
): SweepPlan {
  const wasHeld = new Set(held);
  const confirmed = gone.filter((pk) => wasHeld.has(pk));
  const fresh = gone.filter((pk) => !wasHeld.has(pk));
  const holdFresh = isMassDeletion(fresh.length, live, guard);
  return {
    apply: holdFresh ? confirmed : [...confirmed, ...fresh],
    hold: holdFresh ? fresh : [],
    confirmed: confirmed.length,
    released: held.length - confirmed.length,
  };
}
