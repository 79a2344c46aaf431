import { context, trace } from "@opentelemetry/api";

import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { Guard } from "../util/callback-guard.js";
import { isScore } from "./checks.js";
import type { FinishedRun } from "./recent-runs.js";
import type { ResultWriter } from "./result-writer.js";
import type { EvaluationOptions, Evaluator } from "./types.js";
import { UnreadableVerdictError } from "./unreadable-verdict.js";

/**
 * Online evaluation: which finished runs are judged (a `sampleRate` share of runs, every run a
 * guardrail flagged, every run with negative feedback), and the background queue that judges
 * them with the configured evaluators: bounded concurrency, and a bounded queue that drops (and
 * counts) rather than grows. Each run is judged at most once.
 */
export class OnlineEvaluation {
  private readonly queue: FinishedRun[] = [];
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly evaluators: readonly Evaluator[];
  private readonly sampleRate: number;
  private readonly concurrency: number;
  private readonly queueSize: number;

  constructor(
    private readonly deps: {
      metrics: AgentWatchMetrics;
      guard: Guard;
      results: ResultWriter;
      /** The handler itself, for evaluators' own model calls. */
      callbacks: () => unknown[];
      random: () => number;
    },
    options: EvaluationOptions | undefined,
  ) {
    this.evaluators = options?.evaluators ?? [];
    this.sampleRate = options?.sampleRate ?? 0.05;
    this.concurrency = options?.concurrency ?? 2;
    this.queueSize = options?.queueSize ?? 100;
  }

  /** Whether any evaluator is configured (finished runs then keep a sample of their texts). */
  get enabled(): boolean {
    return this.evaluators.length > 0;
  }

  /** A root run finished: judge it if it was flagged or falls in the sample. */
  finished(run: FinishedRun): void {
    // Synthetic traffic (canaries) judges itself with known answers; it would skew the online scores.
    if (run.synthetic === true) return;
    if (run.sample !== undefined && (run.flagged || this.deps.random() < this.sampleRate)) this.enqueue(run);
  }

  /** A run got negative feedback: judge it. */
  criticised(run: FinishedRun): void {
    if (run.sample !== undefined) this.enqueue(run);
  }

  /** Resolves when no evaluation is queued or running. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(run: FinishedRun): void {
    if (run.evaluated || !this.enabled) return;
    if (this.queue.length >= this.queueSize) {
      this.deps.metrics.quality.evaluationDropped();
      return;
    }
    run.evaluated = true;
    this.queue.push(run);
    // Off the request path: start on a later turn of the event loop.
    setImmediate(() => this.pump());
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const run = this.queue.shift() as FinishedRun;
      this.active++;
      void this.evaluate(run).finally(() => {
        this.active--;
        this.pump();
        if (this.active === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async evaluate(run: FinishedRun): Promise<void> {
    const sample = run.sample;
    if (sample === undefined) return;
    for (const evaluator of this.evaluators) await this.evaluateWith(evaluator, run, sample);
    // The texts are not needed any more.
    run.sample = undefined;
  }

  private async evaluateWith(evaluator: Evaluator, run: FinishedRun, sample: NonNullable<FinishedRun["sample"]>): Promise<void> {
    const span = this.deps.results.startEvaluationSpan(run, evaluator.name, evaluator.name);
    try {
      const config = { callbacks: this.deps.callbacks(), metadata: { agentwatch_evaluation: true } };
      const result = await context.with(trace.setSpan(context.active(), span), () => evaluator.evaluate(sample, { config }));
      if (result === undefined) {
        // The evaluator chose not to judge this run (it does not apply, or a judge declined): not an error.
        this.deps.metrics.quality.evaluationSkipped(evaluator.name);
        return;
      }
      if (!isScore(result.score)) {
        this.deps.metrics.quality.evaluationError(evaluator.name);
        return;
      }
      this.deps.results.result(span, run, { evaluator: evaluator.name, name: evaluator.name }, result);
    } catch (error) {
      this.deps.metrics.quality.evaluationError(evaluator.name);
      if (!(error instanceof UnreadableVerdictError)) this.deps.guard.report(`evaluator:${evaluator.name}`, error);
    } finally {
      span.end();
    }
  }
}
