/**
 * The crash bar of adaptive group commit: a process that dies loses at most one commit group per
 * walk in flight (the group in its transaction plus the pages fetched ahead, together never more
 * than PUFFLE_COMMIT_GROUP_PAGES), and the resumed run fetches those again. Tests that interrupt a
 * sync run it with small groups so the bound stays tight while groups still form.
 */
export const TEST_GROUP_PAGES = 3;

/** Walks a `sync` or `worker` process runs at once (their --concurrency default). */
export const WALKS_IN_FLIGHT = 4;

export const groupEnv = { PUFFLE_COMMIT_GROUP_PAGES: String(TEST_GROUP_PAGES) };

/** Pages a resumed run may fetch again after `interruptions` (kills, revocations) of `processes` each. */
export function refetchBound(interruptions: number, processes = 1): number {
  return interruptions * processes * WALKS_IN_FLIGHT * TEST_GROUP_PAGES;
}
