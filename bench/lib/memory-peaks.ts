/**
 * Peaks of each part of a process's memory, sampled every 100 ms: where an RSS peak goes (V8
 * heap, ArrayBuffers outside it, and PGlite's WebAssembly memory, which is one ArrayBuffer that
 * only grows). getrusage maxrss stays the figure; these say what filled it.
 */
export interface MemoryPeaks {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** PGlite's WebAssembly.Memory size, when the process holds one. */
  wasmMb: number;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export function sampleMemoryPeaks(wasmBytes: () => number = () => 0): () => MemoryPeaks {
  const peaks: MemoryPeaks = {
    rssMb: 0,
    heapUsedMb: 0,
    heapTotalMb: 0,
    externalMb: 0,
    arrayBuffersMb: 0,
    wasmMb: 0,
  };
  const sample = () => {
    const m = process.memoryUsage();
    peaks.rssMb = Math.max(peaks.rssMb, mb(m.rss));
    peaks.heapUsedMb = Math.max(peaks.heapUsedMb, mb(m.heapUsed));
    peaks.heapTotalMb = Math.max(peaks.heapTotalMb, mb(m.heapTotal));
    peaks.externalMb = Math.max(peaks.externalMb, mb(m.external));
    peaks.arrayBuffersMb = Math.max(peaks.arrayBuffersMb, mb(m.arrayBuffers));
    peaks.wasmMb = Math.max(peaks.wasmMb, mb(wasmBytes()));
  };
  const timer = setInterval(sample, 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample();
    return peaks;
  };
}
