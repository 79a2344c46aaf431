import { type Attributes, context, ROOT_CONTEXT, SpanKind, type Tracer, trace } from "@opentelemetry/api";
import { boundAttributes, type ContentCapture, safeJson } from "../content/capture.js";
import type { Guard } from "../util/callback-guard.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { FinishedRun, RecentRuns } from "./recent-runs.js";
import { ATTR, EVENT, OPERATION } from "../semconv.js";
import type { EvaluationOptions, EvaluationRecord, EvaluationResult, Evaluator, FeedbackRecord } from "./types.js";
import { clipText } from "../langchain/values.js";
import { fail } from "../util/validate.js";

function checkScore(field: string, score: unknown): number {
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
    fail(field, { problem: `must be a number from 0 to 1, got ${clipText(safeJson(score))}`, fix: "scale your score to 0..1" });
  }
  return score;
}

function checkRef(where: string, ref: { runId?: unknown; traceId?: unknown } | null | undefined): void {
  if (typeof ref !== "object" || ref === null)
    fail(where, { problem: `must be an object, got ${clipText(safeJson(ref))}`, fix: "pass { runId | traceId, score, ... }" });
  if (ref.runId === undefined && ref.traceId === undefined)
    fail(`${where}.runId / traceId`, { problem: "are both missing", fix: "pass the run id or the trace id of the run" });
}

interface Job {
  run: FinishedRun;
}

/**
 * Scores and feedback for finished runs, attached to their traces as child spans of the root
 * span with `gen_ai.evaluation.result` / `agentwatch.user_feedback` events, and online
 * evaluation: sampled runs are judged in the background by the configured evaluators, with
 * bounded concurrency and a bounded queue that drops (and counts) rather than grows.
 */
export class Evaluations {
  private readonly queue: Job[] = [];
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly sampleRate: number;
  private readonly concurrency: number;
  private readonly queueSize: number;

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
    private readonly options: EvaluationOptions | undefined,
  ) {
    this.sampleRate = options?.sampleRate ?? 0.05;
    this.concurrency = options?.concurrency ?? 2;
    this.queueSize = options?.queueSize ?? 100;
  }

  /** Whether finished runs should keep a sample of their texts for evaluators. */
  get online(): boolean {
    return (this.options?.evaluators.length ?? 0) > 0;
  }

  /** A root run finished: remember it, and evaluate it if it is sampled. */
  runFinished(run: FinishedRun): void {
    this.deps.recent.add(run);
    if (run.sample !== undefined && (run.flagged || this.deps.random() < this.sampleRate)) this.enqueue(run);
  }

  /** Records a score from code. Returns false when the run is not (or no longer) known. */
  record(input: EvaluationRecord): boolean {
    checkRef("recordEvaluation", input);
    if (typeof input.name !== "string" || input.name.trim() === "")
      fail("recordEvaluation.name", { problem: "must be a non-empty string", fix: 'pass what was evaluated, e.g. "relevance"' });
    const score = checkScore("recordEvaluation.score", input.score);
    const run = this.deps.recent.find(input);
    if (run === undefined) return false;
    this.emit(run, input.evaluator ?? "code", input.name, { score, label: input.label, explanation: input.comment });
    return true;
  }

  /** Records user feedback. Returns false when the run is not (or no longer) known. */
  feedback(input: FeedbackRecord): boolean {
    checkRef("recordFeedback", input);
    const score = checkScore("recordFeedback.score", input.score);
    const run = this.deps.recent.find(input);
    if (run === undefined) return false;
    const rating = score >= 0.5 ? "positive" : "negative";
    const attributes: Attributes = { [ATTR.feedbackScore]: score, [ATTR.evaluationScoreLabel]: rating };
    const comment = this.deps.content.text("feedback.comment", input.comment);
    if (comment !== undefined) attributes[ATTR.feedbackComment] = comment;
    const span = this.deps.tracer.startSpan(
      "user_feedback",
      { kind: SpanKind.INTERNAL },
      trace.setSpanContext(ROOT_CONTEXT, run.spanContext),
    );
    span.addEvent(EVENT.userFeedback, attributes);
    span.end();
    this.deps.metrics.quality.feedback({ agent: run.agent, rating, promptVersion: run.promptVersion });
    if (rating === "negative" && run.sample !== undefined) this.enqueue(run);
    return true;
  }

  /** Resolves when no evaluation is queued or running. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(run: FinishedRun): void {
    if (run.evaluated || !this.online) return;
    if (this.queue.length >= this.queueSize) {
      this.deps.metrics.quality.evaluationDropped();
      return;
    }
    run.evaluated = true;
    this.queue.push({ run });
    // Off the request path: start on a later turn of the event loop.
    setImmediate(() => this.pump());
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.active++;
      void this.evaluate(job.run).finally(() => {
        this.active--;
        this.pump();
        if (this.active === 0 && this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async evaluate(run: FinishedRun): Promise<void> {
    const sample = run.sample;
    if (sample === undefined) return;
    for (const evaluator of this.options?.evaluators ?? []) {
      await this.evaluateWith(evaluator, run, sample);
    }
    // The texts are not needed any more.
    run.sample = undefined;
  }

  private async evaluateWith(evaluator: Evaluator, run: FinishedRun, sample: NonNullable<FinishedRun["sample"]>): Promise<void> {
    const span = this.deps.tracer.startSpan(
      clipText(`${OPERATION.evaluate} ${evaluator.name}`),
      {
        kind: SpanKind.INTERNAL,
        attributes: boundAttributes({ [ATTR.operationName]: OPERATION.evaluate, [ATTR.evaluator]: evaluator.name }),
      },
      trace.setSpanContext(ROOT_CONTEXT, run.spanContext),
    );
    try {
      const config = { callbacks: this.deps.callbacks(), metadata: { agentwatch_evaluation: true } };
      const result = await context.with(trace.setSpan(context.active(), span), () => evaluator.evaluate(sample, { config }));
      const score = result?.score;
      if (result === undefined || typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
        this.deps.metrics.quality.evaluationError(evaluator.name);
        return;
      }
      this.addResult(span, run, evaluator.name, evaluator.name, result);
    } catch (error) {
      this.deps.metrics.quality.evaluationError(evaluator.name);
      this.deps.guard.report(`evaluator:${evaluator.name}`, error);
    } finally {
      span.end();
    }
  }

  private emit(run: FinishedRun, evaluator: string, name: string, result: EvaluationResult): void {
    const span = this.deps.tracer.startSpan(
      clipText(`${OPERATION.evaluate} ${name}`),
      { kind: SpanKind.INTERNAL, attributes: boundAttributes({ [ATTR.operationName]: OPERATION.evaluate, [ATTR.evaluator]: evaluator }) },
      trace.setSpanContext(ROOT_CONTEXT, run.spanContext),
    );
    this.addResult(span, run, evaluator, name, result);
    span.end();
  }

  private addResult(
    span: { addEvent(name: string, attributes: Attributes): unknown },
    run: FinishedRun,
    evaluator: string,
    name: string,
    result: EvaluationResult,
  ): void {
    const attributes: Attributes = {
      [ATTR.evaluationName]: name,
      [ATTR.evaluationScoreValue]: result.score,
      [ATTR.evaluator]: evaluator,
    };
    if (result.label !== undefined) attributes[ATTR.evaluationScoreLabel] = result.label;
    const explanation = this.deps.content.text("evaluation.explanation", result.explanation);
    if (explanation !== undefined) attributes[ATTR.evaluationExplanation] = explanation;
    span.addEvent(EVENT.evaluationResult, boundAttributes(attributes));
    this.deps.metrics.quality.evaluation({ evaluator, agent: run.agent, promptVersion: run.promptVersion }, result.score);
  }
}
