/**
 * V8 lets the old generation grow to several times what survived the last full collection before
 * it collects again. A sync allocates fast and keeps little (a few commit groups per walk: about
 * 40 MB live at 100k records), so most of its ~200 MB heap peak was garbage waiting for a
 * collection. Growing by 20 % instead keeps the peak near what is live, for the same wall time
 * (bench figure 6b: 445 → ≈ 360 MB RSS for the embedded 100k sync). Called once, at process start,
 * by the CLI and by the benchmark's sync child.
 */
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
