/**
 * Adaptive group commit: pages are fetched ahead while the caller commits, and every page waiting
 * when a commit ends becomes the next group (one transaction). When the API is the bottleneck a
 * page arrives after the previous commit ended, so a group is one page; when Postgres is, pages
 * pile up during a commit and groups grow, paying the per-transaction round trips once per group.
 *
 * The caps bound the work fetched and not yet committed (the group in its transaction plus the
 * pages waiting), so a crash re-fetches at most one group's worth of a walk: at most `pages`
 * pages, and, beyond the first page waiting, no more fetching once `rows` rows or `fetchMs` of
 * fetch time are uncommitted. Pages keep their order; memory stays bounded by the caps.
 */
import type { CommitGroupCaps } from '../load/index.ts';

interface Fetched<T> {
  page: T;
  rows: number;
  ms: number;
}

export async function* commitGroups<T extends { records: readonly unknown[] }>(
  source: AsyncGenerator<T>,
  caps: CommitGroupCaps,
): AsyncGenerator<T[]> {
  const waiting: Fetched<T>[] = [];
  const inFlight = { pages: 0, rows: 0, ms: 0 };
  let done = false;
  let failure: { err: unknown } | undefined;
  let stopped = false;
  // The pump and the consumer each wait for the other; a change wakes both, each re-checks.
  let waiters: Array<() => void> = [];
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };
  const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
  const uncommitted = () => {
    const sum = { pages: inFlight.pages + waiting.length, rows: inFlight.rows, ms: inFlight.ms };
    for (const f of waiting) {
      sum.rows += f.rows;
      sum.ms += f.ms;
    }
    return sum;
  };
  const mayFetch = () => {
    const u = uncommitted();
    if (u.pages >= caps.pages) return false;
    return waiting.length === 0 || (u.rows < caps.rows && u.ms < caps.fetchMs);
  };

  const pump = async () => {
    try {
      while (!stopped) {
        if (!mayFetch()) {
          await changed();
          continue;
        }
        const t0 = performance.now();
        const next = await source.next();
        if (next.done) break;
        waiting.push({ page: next.value, rows: next.value.records.length, ms: performance.now() - t0 });
        notify();
      }
    } catch (err) {
      failure = { err };
    } finally {
      done = true;
      notify();
    }
  };
  const pumping = pump();

  try {
    while (true) {
      while (waiting.length === 0 && !done) await changed();
      if (waiting.length === 0) {
        if (failure) throw failure.err;
        return;
      }
      const group = takeGroup(waiting, caps);
      for (const f of group) {
        inFlight.pages += 1;
        inFlight.rows += f.rows;
        inFlight.ms += f.ms;
      }
      yield group.map((f) => f.page);
      // The caller committed the group (it asked for the next one): its work is no longer at risk.
      inFlight.pages = 0;
      inFlight.rows = 0;
      inFlight.ms = 0;
      notify();
    }
  } finally {
    stopped = true;
    notify();
    await pumping;
    await source.return(undefined);
  }
}

/** The pages at the head of the queue that fit one group (at least one). */
function takeGroup<T>(waiting: Fetched<T>[], caps: CommitGroupCaps): Fetched<T>[] {
  let n = 0;
  let rows = 0;
  let ms = 0;
  for (const f of waiting) {
    if (n > 0 && (n >= caps.pages || rows + f.rows > caps.rows || ms >= caps.fetchMs)) break;
    n += 1;
    rows += f.rows;
    ms += f.ms;
  }
  return waiting.splice(0, n);
}
