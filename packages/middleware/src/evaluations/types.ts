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

/**
 * Which run a score or feedback is for. With `token` (from `handler.feedbackToken`) nothing depends
 * on this process's memory: the span joins the trace under the token's root span context and the
 * metric labels come from the token. With `traceId` + `spanId` of the run's root span, likewise,
 * labelled with `agent` / `promptVersion` / `feature` as given (when the run is not in memory).
 * With `runId` or `traceId` alone, the run must be one this process remembers (`recentRuns`).
 */
export interface RunReference {
  token?: string;
  runId?: string;
  traceId?: string;
  /** The root span's id (16 hex), with `traceId`. */
  spanId?: string;
  /** Labels for a run found by `traceId` + `spanId` that this process does not remember. */
  agent?: string;
  promptVersion?: string;
  feature?: string;
}

/** A score recorded from code for a run (see {@link RunReference}). */
export interface EvaluationRecord extends RunReference {
  /** What was evaluated, e.g. "relevance": a bounded metric label (`name`). */
  name: string;
  /** 0..1. */
  score: number;
  label?: string;
  /** Who scored it; a bounded metric label. Default: "code". */
  evaluator?: string;
  /** Explanation; recorded only with `captureContent`, redacted. */
  comment?: string;
}

/** User feedback for a run (see {@link RunReference}). */
export interface FeedbackRecord extends RunReference {
  /** 1 = thumbs up, 0 = thumbs down; anything in 0..1. At least 0.5 counts as positive. */
  score: number;
  /** Recorded only with `captureContent`, redacted. */
  comment?: string;
  /** What the answer should have said. Recorded only with `captureContent`, redacted. */
  correction?: string;
  /** One of `feedback.categories` (default wrong, unsafe, slow, other): a metric label. */
  category?: string;
}

/** Feedback tokens and categories. */
export interface FeedbackOptions {
  /**
   * The secret(s) feedback tokens are signed with (HMAC-SHA256), the same on every replica; at
   * least 32 characters each. The first signs, any verifies: to rotate, put the new one first and
   * drop the old one once its tokens expired. Default: `AGENTWATCH_FEEDBACK_SECRET` (several
   * separated by commas); none means `feedbackToken` returns undefined.
   */
  secret?: string | string[];
  /** How long a token is accepted after the answer. Default: 7 days. */
  tokenTtlMs?: number;
  /** The feedback categories accepted (a metric label). Default: wrong, unsafe, slow, other. */
  categories?: string[];
}
