import { fmt, lcsLength, words } from "./normalise.js";
import type { CaseEvaluator } from "./types.js";

/** ROUGE-L F1 of two texts: the longest common subsequence of their words, as the harmonic mean of its precision and recall. */
export function rougeL(candidate: string, reference: string): number {
  const c = words(candidate);
  const r = words(reference);
  if (c.length === 0 && r.length === 0) return 1;
  const lcs = lcsLength(c, r);
  if (lcs === 0) return 0;
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * `rouge_l`: ROUGE-L F1 (word-level longest common subsequence, lowercased, punctuation ignored) of
 * the answer against the reference. Passes at `threshold` (default 0.5). Applies to cases with a `reference`.
 */
export function rougeLEvaluator(options: { threshold?: number } = {}): CaseEvaluator {
  const threshold = options.threshold ?? 0.5;
  return {
    name: "rouge_l",
    appliesTo: (c) => c.reference !== undefined,
    evaluate(c, run) {
      const score = rougeL(run.answer, c.reference ?? "");
      const pass = score >= threshold;
      return { evaluator: "rouge_l", score, pass, ...(pass ? {} : { explanation: `ROUGE-L F1 ${fmt(score)} < ${threshold}` }) };
    },
  };
}
