/** The texts of a finished run that an evaluator judges (kept in memory only, never exported). */
export interface EvaluationSample {
  question: string;
  answer: string;
  documents: string[];
}

/** An evaluator's verdict: `score` in 0..1. */
export interface EvaluationResult {
  score: number;
  label?: string;
  explanation?: string;
}

/** What an evaluator gets besides the sample: a LangChain config for its own model calls. */
export interface EvaluatorContext {
  /**
   * Pass this to your judge model's `invoke`: its calls are traced under the evaluation span and
   * counted under agent "agentwatch-evaluator", feature "evaluation", never as the app's traffic.
   */
  config: { callbacks: unknown[]; metadata: Record<string, unknown> };
}

/**
 * Scores a run. Return undefined to skip it on purpose (the evaluator does not apply, a judge
 * declined): nothing is recorded and it counts in `agentwatch_eval_skipped_total`. Throwing, or a
 * result without a score in 0..1, counts in `agentwatch_eval_errors_total`.
 */
export interface Evaluator {
  name: string;
  evaluate(sample: EvaluationSample, context: EvaluatorContext): Promise<EvaluationResult | undefined> | EvaluationResult | undefined;
}

/** Online evaluation settings. */
export interface EvaluationOptions {
  evaluators: Evaluator[];
  /** Share of finished runs evaluated; runs a guardrail flagged and runs with negative feedback always are. Default: 0.05. */
  sampleRate?: number;
  /** Evaluations running at once. Default: 2. */
  concurrency?: number;
  /** Evaluations waiting at most; more are dropped and counted in `agentwatch_eval_dropped_total`. Default: 100. */
  queueSize?: number;
}

/** A score recorded from code for a run, found by run id or trace id. */
export interface EvaluationRecord {
  runId?: string;
  traceId?: string;
  /** What was evaluated, e.g. "relevance". */
  name: string;
  /** 0..1. */
  score: number;
  label?: string;
  /** Who scored it; a bounded metric label. Default: "code". */
  evaluator?: string;
  /** Explanation; recorded only with `captureContent`, redacted. */
  comment?: string;
}

/** User feedback for a run, found by run id or trace id. */
export interface FeedbackRecord {
  runId?: string;
  traceId?: string;
  /** 1 = thumbs up, 0 = thumbs down; anything in 0..1. At least 0.5 counts as positive. */
  score: number;
  /** Recorded only with `captureContent`, redacted. */
  comment?: string;
}
