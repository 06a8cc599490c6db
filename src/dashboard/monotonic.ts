/**
 * Keeps a counter family from going down between scrapes. The dashboard recomputes its `_total`
 * families from sync_runs, and a total there can shrink: a stopped full refresh continued with
 * `sync --full-refresh` puts its run back to `running`, taking it out of `failed`. A drop is added
 * to an offset instead, so the exported value still only grows within this process (Prometheus
 * sees a reset only when the dashboard restarts after such a drop).
 */
type Labels = Record<string, string>;

export class MonotonicFamily {
  private readonly seen = new Map<string, { labels: Labels; raw: number; offset: number }>();
  private reading = new Map<string, { labels: Labels; value: number }>();

  /** Adds `value` to `labels` in the reading being collected. */
  add(labels: Labels, value: number): void {
    const key = keyOf(labels);
    const r = this.reading.get(key);
    if (r) r.value += value;
    else this.reading.set(key, { labels, value });
  }

  /** Ends the reading; returns the value to export for every label set ever read. */
  commit(): Array<{ labels: Labels; value: number }> {
    for (const [key, s] of this.seen) {
      const raw = this.reading.get(key)?.value ?? 0;
      if (raw < s.raw) s.offset += s.raw - raw;
      s.raw = raw;
    }
    for (const [key, r] of this.reading)
      if (!this.seen.has(key)) this.seen.set(key, { labels: r.labels, raw: r.value, offset: 0 });
    this.reading = new Map();
    return [...this.seen.values()].map((s) => ({ labels: s.labels, value: s.raw + s.offset }));
  }

  /** Forgets a reading that could not be completed (Postgres unreachable mid-scrape). */
  discard(): void {
    this.reading = new Map();
  }
}

function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
