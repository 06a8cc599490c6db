/** Per-stream request counters, returned to the caller for `sync_runs` and metrics. */

export interface StreamStats {
  requests: number;
  /** Retries of transient failures (5xx, reset, timeout, bad JSON); 429 waits are not counted here. */
  retries: number;
  rateLimited429: number;
  /** Time spent waiting because of 429s (Retry-After or backoff), including blocks set by other workers. */
  rateLimitWaitMs: number;
  /** Time spent waiting for a slot of the proactive budget (pacing), excluding 429 blocks. */
  budgetWaitMs: number;
  /** Responses by HTTP status, plus `network` / `timeout` for requests that got none. */
  byStatus: Record<string, number>;
}

export class StatsBook {
  readonly #byStream = new Map<string, StreamStats>();

  for(stream: string): StreamStats {
    let s = this.#byStream.get(stream);
    if (!s) {
      s = { requests: 0, retries: 0, rateLimited429: 0, rateLimitWaitMs: 0, budgetWaitMs: 0, byStatus: {} };
      this.#byStream.set(stream, s);
    }
    return s;
  }

  /** A deep copy, so callers can diff snapshots. */
  snapshot(): Record<string, StreamStats> {
    const out: Record<string, StreamStats> = {};
    for (const [name, s] of this.#byStream) out[name] = { ...s, byStatus: { ...s.byStatus } };
    return out;
  }
}

export function countStatus(stats: StreamStats, status: number | 'network' | 'timeout'): void {
  const key = String(status);
  stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
}

/** What a caller records of its requests (sync_runs' counters): the figures of StreamStats it stores. */
export interface RequestStats {
  requests: number;
  retries: number;
  rateLimited: number;
  rateLimitWaitMs: number;
  requestsByStatus: Record<string, number>;
}

/** The requests made between two snapshots of one stream's stats (`before` omitted: all of them). */
export function statsSince(after: StreamStats | undefined, before?: StreamStats): RequestStats {
  const requestsByStatus: Record<string, number> = {};
  for (const [key, n] of Object.entries(after?.byStatus ?? {})) {
    const d = n - (before?.byStatus[key] ?? 0);
    if (d > 0) requestsByStatus[key] = d;
  }
  const since = (k: 'requests' | 'retries' | 'rateLimited429' | 'rateLimitWaitMs') =>
    (after?.[k] ?? 0) - (before?.[k] ?? 0);
  return {
    requests: since('requests'),
    retries: since('retries'),
    rateLimited: since('rateLimited429'),
    rateLimitWaitMs: since('rateLimitWaitMs'),
    requestsByStatus,
  };
}

/** Key-wise sum of several `byStatus`-like maps. */
export function sumCounts(
  maps: ReadonlyArray<Readonly<Record<string, number>> | undefined>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [key, n] of Object.entries(m ?? {})) out[key] = (out[key] ?? 0) + n;
  return out;
}
