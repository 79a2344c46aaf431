import { type Attributes, ROOT_CONTEXT, type Span, SpanKind, trace, type Tracer } from "@opentelemetry/api";

import { boundAttributes, type ContentCapture } from "../content/capture.js";
import { clipText } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { ATTR, EVENT, OPERATION } from "../semconv.js";
import type { RunRef } from "./recent-runs.js";
import type { EvaluationResult } from "./types.js";

/**
 * Writes scores and feedback onto a finished run's trace: a child span of the run's root span
 * with a `gen_ai.evaluation.result` or `agentwatch.user_feedback` event, and the matching metric.
 */
export class ResultWriter {
  constructor(
    private readonly deps: {
      tracer: Tracer;
      metrics: AgentWatchMetrics;
      content: ContentCapture;
    },
  ) {}

  /** An `evaluate {name}` span under the run's root span, not yet ended. */
  startEvaluationSpan(run: RunRef, evaluator: string, name: string): Span {
    return this.deps.tracer.startSpan(
      clipText(`${OPERATION.evaluate} ${name}`),
      { kind: SpanKind.INTERNAL, attributes: boundAttributes({ [ATTR.operationName]: OPERATION.evaluate, [ATTR.evaluator]: evaluator }) },
      trace.setSpanContext(ROOT_CONTEXT, run.spanContext),
    );
  }

  /** A score from code: its own span with the result event. */
  evaluation(run: RunRef, evaluator: string, name: string, result: EvaluationResult): void {
    const span = this.startEvaluationSpan(run, evaluator, name);
    this.result(span, run, { evaluator, name }, result);
    span.end();
  }

  /** Adds the `gen_ai.evaluation.result` event to `span` and counts the score. */
  result(span: Span, run: RunRef, by: { evaluator: string; name: string }, result: EvaluationResult): void {
    const attributes: Attributes = {
      [ATTR.evaluationName]: by.name,
      [ATTR.evaluationScoreValue]: result.score,
      [ATTR.evaluator]: by.evaluator,
    };
    if (result.label !== undefined) attributes[ATTR.evaluationScoreLabel] = result.label;
    const explanation = this.deps.content.text("evaluation.explanation", result.explanation);
    if (explanation !== undefined) attributes[ATTR.evaluationExplanation] = explanation;
    span.addEvent(EVENT.evaluationResult, boundAttributes(attributes));
    this.deps.metrics.quality.evaluation(
      { evaluator: by.evaluator, name: by.name, agent: run.agent, promptVersion: run.promptVersion },
      result.score,
    );
  }

  /** User feedback: a `user_feedback` span under the run's root span, and the feedback counter. */
  feedback(run: RunRef, feedback: { score: number; comment?: unknown; correction?: unknown; category?: string }): "positive" | "negative" {
    const { score } = feedback;
    const rating = score >= 0.5 ? "positive" : "negative";
    const attributes: Attributes = { [ATTR.feedbackScore]: score, [ATTR.evaluationScoreLabel]: rating };
    const text = this.deps.content.text("feedback.comment", feedback.comment);
    if (text !== undefined) attributes[ATTR.feedbackComment] = text;
    const correction = this.deps.content.text("feedback.correction", feedback.correction);
    if (correction !== undefined) attributes[ATTR.feedbackCorrection] = correction;
    if (feedback.category !== undefined) attributes[ATTR.feedbackCategory] = feedback.category;
    const span = this.deps.tracer.startSpan(
      "user_feedback",
      { kind: SpanKind.INTERNAL },
      trace.setSpanContext(ROOT_CONTEXT, run.spanContext),
    );
    span.addEvent(EVENT.userFeedback, attributes);
    span.end();
    this.deps.metrics.quality.feedback({
      agent: run.agent,
      rating,
      promptVersion: run.promptVersion,
      feature: run.feature,
      category: feedback.category ?? "",
    });
    return rating;
  }
}
