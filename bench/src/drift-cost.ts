/**
 * The cost of one drift evaluation of the query-embedding signal (MMD² with its permutation
 * p-value), through the public API: a handler with the `drift` option, `instrumentEmbeddings` over
 * the demo's `HashedBagOfWordsEmbeddings` (1024 dimensions), a committed baseline as the reference
 * window, a full current window of other queries, then `driftCheck()` timed. The handler watches
 * only embeddings here, so each check is exactly one MMD test of `window` against `window` vectors.
 */
import { HashedBagOfWordsEmbeddings, SUPPORT_QUESTIONS } from "@agentwatch/demo-agent";
import { seededRandom } from "@agentwatch/fixtures";
import { AgentWatchHandler, type DriftOptions } from "@agentwatch/middleware";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";

import { median, now } from "./stats.js";

/** One measured drift setting. */
export interface DriftCost {
  window: number;
  permutations: number;
  dimensions: number;
  /** Median ms of one evaluation (`driftCheck()`). */
  ms: number;
  /** The drift interval the share is taken of. */
  intervalMs: number;
  /** Evaluations timed. */
  samples: number;
}

const AGENT = "bench";

/** `count` support-like questions of 6 to 12 words drawn from the demo's questions' words, seeded. */
function questions(count: number, seed: number): string[] {
  const words = [...new Set(SUPPORT_QUESTIONS.flatMap((q) => q.text.toLowerCase().match(/[a-z0-9-]+/g) ?? []))];
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 6 + Math.floor(random() * 7) }, () => words[Math.floor(random() * words.length)] ?? "order").join(" "),
  );
}

/**
 * Median ms of one query-embedding drift evaluation at `options`' embeddingWindowSize (vectors on
 * each side), permutations and intervalMs (the drift option's defaults: 200, 200, 60000).
 */
export async function driftCost(
  options: Pick<DriftOptions, "embeddingWindowSize" | "permutations" | "intervalMs"> = {},
): Promise<DriftCost> {
  const window = options.embeddingWindowSize ?? 200;
  const permutations = options.permutations ?? 200;
  const intervalMs = options.intervalMs ?? 60_000;
  const base = new HashedBagOfWordsEmbeddings();
  const reference = await base.embedDocuments(questions(window, 1));
  const handler = new AgentWatchHandler({
    agentName: AGENT,
    tracerProvider: new BasicTracerProvider(),
    drift: {
      embeddingWindowSize: window,
      minSamples: window,
      permutations,
      intervalMs,
      baseline: { version: 1, agents: { [AGENT]: { query_embedding: reference } } },
    },
  });
  try {
    const embeddings = handler.instrumentEmbeddings(base, { model: base.model, provider: "acme" });
    for (const q of questions(window, 2)) await embeddings.embedQuery(q);
    await handler.driftCheck(); // warm-up, and proof that the test runs
    const result = handler.driftResults().find((r) => r.signal === "query_embedding");
    if (result?.currentSize !== window || result.referenceSize !== window) {
      throw new Error(`drift bench: no query_embedding test of ${window} against ${window} vectors (${JSON.stringify(result)})`);
    }
    // About two seconds of evaluations, at least 5, at most 101.
    const first = now();
    await handler.driftCheck();
    const samples = Math.max(5, Math.min(101, Math.round(2000 / Math.max(now() - first, 0.01))));
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const start = now();
      await handler.driftCheck();
      times.push(now() - start);
    }
    return { window, permutations, dimensions: base.dimensions, ms: median(times), intervalMs, samples };
  } finally {
    handler.shutdown();
  }
}
