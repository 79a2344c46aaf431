import { median, now } from "./stats.js";

/**
 * One turn of the event loop, as a server gets between requests. Without it the offline agent runs
 * entirely in promise callbacks: timers and I/O never run, so no batch span processor would export
 * during the timed batches (their queues would fill and drop spans instead).
 */
export const eventLoopTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Mean ms per invoke over `n` invokes, `concurrency` at a time, with an event-loop turn after each group. */
export async function timedBatch(invoke: () => Promise<unknown>, n: number, concurrency: number): Promise<number> {
  const start = now();
  for (let done = 0; done < n; done += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, n - done) }, invoke));
    await eventLoopTurn();
  }
  return (now() - start) / n;
}

/**
 * Ms per invoke of each variant in each round: a warm-up batch each, then `rounds` rounds of
 * `perRound` invokes per variant, the order rotating every round so no variant always runs first.
 * Sample `r` of every variant is from round `r`, so differences can be paired by round.
 */
export async function interleavedSamples<V extends { name: string }>(
  list: V[],
  rounds: number,
  perRound: number,
  batch: (variant: V, n: number) => Promise<number>,
): Promise<Map<string, number[]>> {
  for (const v of list) await batch(v, Math.max(20, perRound / 2));
  const samples = new Map<string, number[]>(list.map((v) => [v.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = list.map((_, i) => list[(i + round) % list.length] as V);
    for (const v of order) samples.get(v.name)?.push(await batch(v, perRound));
  }
  return samples;
}

/** Median ms per invoke of each variant over {@link interleavedSamples}' rounds. */
export async function interleavedMedians<V extends { name: string }>(
  list: V[],
  rounds: number,
  perRound: number,
  batch: (variant: V, n: number) => Promise<number>,
): Promise<Map<string, number>> {
  const samples = await interleavedSamples(list, rounds, perRound, batch);
  return new Map([...samples].map(([name, values]) => [name, median([...values])]));
}
