/** What every benchmark gets from bench/run.ts. */
import { DEFAULT_STREAMS } from '../../src/extract/streams.ts';
import { startSimulator } from '../../src/simulator/index.ts';

export interface BenchContext {
  /** Records across the default streams (what `sync` walks; opt-in ones left out) for the big figures (2, 3, 4). */
  records: number;
  /** Records for the small side of the memory ratio and the PGlite figure. */
  smallRecords: number;
  /** Repetitions of each measured pair; the median is reported. */
  reps: number;
  /** Repetitions for the big (records-sized) measurements. */
  bigReps: number;
  /** Budget benchmark: requests per minute (simulator limit = budget). */
  perMinute: number;
  /** Budget benchmark: the dataset's scale (it must need ≥ minRequests requests). */
  budgetScale: number;
  minRequests: number;
  /** Incremental benchmark scale. */
  incrementalScale: number;
  /** Partition concurrency of the sync, raw fetch and load path. */
  concurrency: number;
  seed: number;
  log: (line: string) => void;
}

const cache = new Map<number, number>();

/** Total records a complete walk of every stream returns at this scale. */
export async function recordsAt(scale: number, seed = 1): Promise<number> {
  const hit = cache.get(scale);
  if (hit !== undefined) return hit;
  const sim = await startSimulator({ seed, scale, rateLimit: null, logCap: 0 });
  try {
    const total = DEFAULT_STREAMS.reduce((n, s) => n + sim.count(s), 0);
    cache.set(scale, total);
    return total;
  } finally {
    await sim.close();
  }
}

/** The smallest simulator scale whose dataset holds at least `records` records. */
export async function scaleForRecords(records: number, seed = 1): Promise<number> {
  let lo = 1;
  let hi = Math.max(2, records);
  while (hi - lo > Math.max(1, lo / 200)) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await recordsAt(mid, seed)) >= records) hi = mid;
    else lo = mid;
  }
  return hi;
}
