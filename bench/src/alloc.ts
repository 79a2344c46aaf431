import v8 from "node:v8";

/** What one measured batch allocated and collected. */
export interface AllocStats {
  /** Bytes allocated on the V8 heap (buffers' external memory not included). */
  bytes: number;
  /** Young-generation collections (scavenges, minor mark-sweeps) and their time in ms. */
  minor: number;
  minorMs: number;
  /** Full mark-sweep-compacts (incremental marking steps included in their time) and their time in ms. */
  major: number;
  majorMs: number;
}

const MINOR = new Set(["Scavenge", "MinorMarkSweep", "MinorMarkCompact"]);
const MAJOR = new Set(["MarkSweepCompact", "IncrementalMarking", "ProcessWeakCallbacks"]);

/**
 * Runs `work` under a `v8.GCProfiler`. Heap use only grows between collections, so the bytes
 * allocated are the growth before each collection plus the growth after the last one:
 * Σ (used before GC k − used after GC k−1) + (used at the end − used after the last GC), with
 * "used after GC −1" the use at the start. GC time is the profiler's cost of each collection.
 */
export async function measureAllocation(work: () => Promise<void>): Promise<AllocStats> {
  const profiler = new v8.GCProfiler();
  const start = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  await work();
  const end = v8.getHeapStatistics().used_heap_size;
  const result = profiler.stop();
  const stats: AllocStats = { bytes: 0, minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  let after = start;
  for (const s of result?.statistics ?? []) {
    stats.bytes += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - after);
    after = s.afterGC.heapStatistics.usedHeapSize;
    if (MINOR.has(s.gcType)) {
      stats.minor++;
      stats.minorMs += s.cost / 1000;
    } else if (MAJOR.has(s.gcType)) {
      if (s.gcType === "MarkSweepCompact") stats.major++;
      stats.majorMs += s.cost / 1000;
    }
  }
  stats.bytes += Math.max(0, end - after);
  return stats;
}

/** Allocates `mib` MiB of JS double arrays (1 MiB each, dropped at once): what `measureAllocation` should read back. */
export async function allocateArrays(mib: number): Promise<void> {
  let keep = 0;
  for (let i = 0; i < mib; i++) {
    // 131072 doubles = 1 MiB of elements (plus a few header bytes), on the V8 heap.
    const a = new Array<number>(131_072).fill(i + 0.5);
    keep += a.length;
    if (i % 8 === 0) await Promise.resolve();
  }
  if (keep < 0) throw new Error("unreachable");
}
