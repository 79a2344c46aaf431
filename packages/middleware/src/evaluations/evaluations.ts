import type { Tracer } from "@opentelemetry/api";

import type { ContentCapture } from "../content/capture.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { Guard } from "../util/callback-guard.js";
import { fail } from "../util/validate.js";
import { checkRef, checkScore } from "./checks.js";
import { OnlineEvaluation } from "./online-evaluation.js";
import type { FinishedRun, RecentRuns } from "./recent-runs.js";
import { ResultWriter } from "./result-writer.js";
import type { EvaluationOptions, EvaluationRecord, FeedbackRecord } from "./types.js";

/**
 * Scores and feedback for finished runs (recorded from code or by users), attached to their
 * traces, and online evaluation of sampled runs (online-evaluation.ts).
 */
export class Evaluations {
  private readonly results: ResultWriter;
  private readonly onlineEvaluation: OnlineEvaluation;

  constructor(
    private readonly deps: {
      tracer: Tracer;
      metrics: AgentWatchMetrics;
      guard: Guard;
      content: ContentCapture;
      recent: RecentRuns;
      /** The handler itself, for evaluators' own model calls. */
      callbacks: () => unknown[];
      random: () => number;
    },
    options: EvaluationOptions | undefined,
  ) {
    this.results = new ResultWriter(deps);
    this.onlineEvaluation = new OnlineEvaluation({ ...deps, results: this.results }, options);
  }

  /** Whether finished runs should keep a sample of their texts for evaluators. */
  get online(): boolean {
    return this.onlineEvaluation.enabled;
  }

  /** A root run finished: remember it, and evaluate it if it is sampled. */
  runFinished(run: FinishedRun): void {
    this.deps.recent.add(run);
    this.onlineEvaluation.finished(run);
  }

  /** Records a score from code. Returns false when the run is not (or no longer) known. */
  record(input: EvaluationRecord): boolean {
    checkRef("recordEvaluation", input);
    if (typeof input.name !== "string" || input.name.trim() === "")
      fail("recordEvaluation.name", { problem: "must be a non-empty string", fix: 'pass what was evaluated, e.g. "relevance"' });
    const score = checkScore("recordEvaluation.score", input.score);
    const run = this.deps.recent.find(input);
    if (run === undefined) return false;
    this.results.evaluation(run, input.evaluator ?? "code", input.name, { score, label: input.label, explanation: input.comment });
    return true;
  }

  /** Records user feedback. Returns false when the run is not (or no longer) known. */
  feedback(input: FeedbackRecord): boolean {
    checkRef("recordFeedback", input);
    const score = checkScore("recordFeedback.score", input.score);
    const run = this.deps.recent.find(input);
    // Synthetic traffic (a canary probe) has no user: feedback on it is refused like an unknown run's.
    if (run === undefined || run.synthetic === true) return false;
    if (this.results.feedback(run, score, input.comment) === "negative") this.onlineEvaluation.criticised(run);
    return true;
  }

  /** Resolves when no evaluation is queued or running. */
  idle(): Promise<void> {
    return this.onlineEvaluation.idle();
  }
}
