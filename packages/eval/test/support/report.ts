// Hand-built EvalReport values for the gate and report tests (the runner is not involved).

import type { CaseResult, EvalReport, Interval } from "../../src/types.js";

export interface CaseSpec {
  id: string;
  scores: Record<string, number>;
  tags?: string[];
  input?: string;
  /** Evaluator → explanation (a score below 0.5 fails its evaluator). */
  explanations?: Record<string, string>;
  error?: string;
  costUsd?: number;
  latencyMs?: number;
}

export function makeReport(specs: CaseSpec[], prompt = { name: "support", version: "v2" }, dataset = "acme"): EvalReport {
  const cases: CaseResult[] = specs.map((spec, i) => {
    const scores = Object.entries(spec.scores).map(([evaluator, score]) => ({
      evaluator,
      score,
      pass: score >= 0.5,
      passed: score >= 0.5 ? 1 : 0,
      judged: 1,
      explanation: spec.explanations?.[evaluator],
    }));
    return {
      case: { id: spec.id, input: spec.input ?? `question ${spec.id}`, tags: spec.tags ?? [], line: i + 1 },
      runs: [
        {
          sample: 0,
          answer: `answer ${spec.id}`,
          toolCalls: [],
          documents: [],
          traceId: "0".repeat(31) + (i % 10),
          costUsd: spec.costUsd ?? 0.001,
          inputTokens: 10,
          outputTokens: 5,
          latencyMs: spec.latencyMs ?? 100,
          error: spec.error,
        },
      ],
      sampleScores: [scores.map(({ evaluator, score, pass, explanation }) => ({ evaluator, score, pass, explanation }))],
      scores,
      costUsd: spec.costUsd ?? 0.001,
      latencyMs: spec.latencyMs ?? 100,
    };
  });
  const byEvaluator: Record<string, Interval> = {};
  const byTag: Record<string, Record<string, Interval>> = {};
  const evaluators = [...new Set(specs.flatMap((s) => Object.keys(s.scores)))];
  for (const evaluator of evaluators) {
    byEvaluator[evaluator] = mean(specs.map((s) => s.scores[evaluator]));
    for (const tag of new Set(specs.flatMap((s) => s.tags ?? []))) {
      (byTag[tag] ??= {})[evaluator] = mean(specs.filter((s) => s.tags?.includes(tag)).map((s) => s.scores[evaluator]));
    }
  }
  return {
    dataset,
    prompt,
    startedAt: "2026-12-03T18:00:00.000Z",
    durationMs: 1234,
    samples: 1,
    confidence: 0.95,
    cases,
    byEvaluator,
    byTag,
    totals: {
      costUsd: cases.reduce((sum, c) => sum + c.costUsd, 0),
      latencyP50Ms: 100,
      latencyP95Ms: 180,
      errors: specs.filter((s) => s.error !== undefined).length,
    },
  };
}

function mean(values: Array<number | undefined>): Interval {
  const xs = values.filter((v): v is number => v !== undefined);
  const m = xs.reduce((sum, x) => sum + x, 0) / Math.max(1, xs.length);
  return { mean: m, low: m, high: m, n: xs.length };
}

/** A seeded generator (mulberry32), for reproducible jitter. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
