import type { Tracer } from "@opentelemetry/api";

import type { ContentCapture } from "../content/capture.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { Guard } from "../util/callback-guard.js";
import { fail } from "../util/validate.js";
import { checkRef, checkScore } from "./checks.js";
import type { FeedbackTokens } from "./feedback-token.js";
import { OnlineEvaluation } from "./online-evaluation.js";
import type { FinishedRun, RecentRuns } from "./recent-runs.js";
import { ResultWriter } from "./result-writer.js";
import { resolveRun } from "./run-reference.js";
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
      tokens: FeedbackTokens;
      /** The feedback categories accepted. */
      categories: readonly string[];
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

  /** A signed feedback token for a run this process remembers; undefined without a secret or run. */
  token(ref: { runId?: string; traceId?: string }): string | undefined {
    if (!this.deps.tokens.enabled) return undefined;
    const run = this.deps.recent.find(ref);
    return run === undefined ? undefined : this.deps.tokens.issue(run);
  }

  /** Records a score from code. Returns false when the run is not (or no longer) known. */
  record(input: EvaluationRecord): boolean {
    checkRef("recordEvaluation", input);
    if (typeof input.name !== "string" || input.name.trim() === "")
      fail("recordEvaluation.name", { problem: "must be a non-empty string", fix: 'pass what was evaluated, e.g. "relevance"' });
    const score = checkScore("recordEvaluation.score", input.score);
    const found = resolveRun("recordEvaluation", input, this.deps);
    if (found === undefined) return false;
    this.results.evaluation(found.ref, input.evaluator ?? "code", input.name, { score, label: input.label, explanation: input.comment });
    return true;
  }

  /** Records user feedback. Returns false when the run is not (or no longer) known. */
  feedback(input: FeedbackRecord): boolean {
    checkRef("recordFeedback", input);
    const score = checkScore("recordFeedback.score", input.score);
    if (input.category !== undefined && !this.deps.categories.includes(input.category)) {
      fail("recordFeedback.category", {
        problem: `is not one of the configured categories, got ${JSON.stringify(input.category)}`,
        fix: `use one of ${this.deps.categories.join(", ")} (option feedback.categories)`,
      });
    }
    const found = resolveRun("recordFeedback", input, this.deps);
    // Synthetic traffic (a canary probe) has no user: feedback on it is refused like an unknown run's.
    if (found === undefined || found.run?.synthetic === true) return false;
    const rating = this.results.feedback(found.ref, {
      score,
      comment: input.comment,
      correction: input.correction,
      ...(input.category !== undefined ? { category: input.category } : {}),
    });
    if (rating === "negative" && found.run !== undefined) this.onlineEvaluation.criticised(found.run);
    return true;
  }

  /** Resolves when no evaluation is queued or running. */
  idle(): Promise<void> {
    return this.onlineEvaluation.idle();
  }
}
