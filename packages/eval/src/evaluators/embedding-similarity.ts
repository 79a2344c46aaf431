import type { EmbeddingsInterface } from "@langchain/core/embeddings";

import { fmt } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/** Cosine similarity of two vectors; 0 when either is all zeros. */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`cosineSimilarity: vectors of different lengths (${a.length} and ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * `embedding_similarity`: cosine similarity of the answer's and the reference's embeddings, from
 * any LangChain `Embeddings`, clamped to 0..1. Passes at `threshold` (default 0.8). Each case's
 * reference is embedded once. Applies to cases with a `reference`.
 */
export function embeddingSimilarityEvaluator(options: { embeddings: EmbeddingsInterface; threshold?: number }): CaseEvaluator {
  const { embeddings } = options;
  if (typeof embeddings?.embedQuery !== "function")
    throw new TypeError("embeddingSimilarityEvaluator: embeddings must be a LangChain Embeddings (with embedQuery)");
  const threshold = options.threshold ?? 0.8;
  const references = new Map<string, Promise<number[]>>();
  return {
    name: "embedding_similarity",
    appliesTo: (c) => c.reference !== undefined,
    async evaluate(c, run) {
      let reference = references.get(c.id);
      if (reference === undefined) references.set(c.id, (reference = embeddings.embedQuery(c.reference ?? "")));
      const [r, a] = await Promise.all([reference, embeddings.embedQuery(run.answer)]);
      const score = Math.max(0, Math.min(1, cosineSimilarity(a, r)));
      const pass = score >= threshold;
      return {
        evaluator: "embedding_similarity",
        score,
        pass,
        ...(pass ? {} : { explanation: `cosine similarity ${fmt(score)} < ${threshold}` }),
      };
    },
  };
}
