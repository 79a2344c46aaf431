import type { Counter } from "prom-client";

import { BUCKETS, LABEL, METRIC } from "../semconv.js";
import type { Instruments } from "./instruments.js";
import type { Labels } from "./label-set-cache.js";
import type { Series } from "./series.js";
import type { CounterWrites, HistogramWrites } from "./series-writes.js";

/** How long a prompt (name, version, hash) stays in `agentwatch_prompt_info` after its last use. */
const PROMPT_INFO_TTL_MS = 15 * 60_000;

/**
 * The quality metrics: what answered (model responses, prompts in use) and how well (evaluation
 * scores, user feedback, guardrail checks).
 */
export class QualityMetrics {
  private readonly modelResponses: CounterWrites;
  private readonly responseLength: HistogramWrites;
  private readonly evalScore: HistogramWrites;
  private readonly guardrailChecks: CounterWrites;
  private readonly evalDropped: Counter;
  private readonly evalErrors: CounterWrites;
  private readonly evalSkipped: CounterWrites;
  private readonly userFeedback: CounterWrites;
  /** Prompts seen, by their label values, with when they were last used. */
  private readonly promptsSeen = new Map<string, { labels: Labels; lastSeenMs: number }>();

  constructor(
    instruments: Instruments,
    private readonly series: Series,
  ) {
    this.modelResponses = instruments.counterWrites({
      name: METRIC.modelResponses,
      help: "Model responses by requested model, the model that answered and its system fingerprint: a change is a silent model update.",
      labelNames: [LABEL.provider, LABEL.requestModelShort, LABEL.responseModelShort, LABEL.fingerprint],
    });
    this.responseLength = instruments.histogramWrites({
      name: METRIC.responseLength,
      help: "Characters of model text output, per agent and model: watch the distribution shift.",
      labelNames: [LABEL.agent, LABEL.model],
      buckets: BUCKETS.responseLength,
    });
    this.evalScore = instruments.histogramWrites({
      name: METRIC.evalScore,
      help: "Evaluation scores (0..1) by evaluator, what was evaluated (name), agent and prompt version.",
      labelNames: [LABEL.evaluator, LABEL.name, LABEL.agent, LABEL.promptVersion],
      buckets: BUCKETS.score,
    });
    this.guardrailChecks = instruments.counterWrites({
      name: METRIC.guardrailChecks,
      help: "Guardrail checks by guardrail, stage (input / output) and outcome (pass / flag / block).",
      labelNames: [LABEL.guardrail, LABEL.stage, LABEL.outcome],
    });
    this.evalDropped = instruments.counter({
      name: METRIC.evalDropped,
      help: "Online evaluations dropped because the evaluation queue was full.",
    });
    this.evalErrors = instruments.counterWrites({
      name: METRIC.evalErrors,
      help: "Online evaluations that failed (the evaluator threw, or returned a result without a valid score).",
      labelNames: [LABEL.evaluator],
    });
    this.evalSkipped = instruments.counterWrites({
      name: METRIC.evalSkipped,
      help: "Online evaluations an evaluator deliberately skipped (returned no result, e.g. an LLM judge that declined to grade): not errors.",
      labelNames: [LABEL.evaluator],
    });
    this.userFeedback = instruments.counterWrites({
      name: METRIC.userFeedback,
      help: 'User feedback by agent, rating (positive / negative), prompt version, feature and category ("" when none).',
      labelNames: [LABEL.agent, LABEL.rating, LABEL.promptVersion, LABEL.feature, LABEL.category],
    });
    const prompts = this.promptsSeen;
    instruments.sharedGauge(
      {
        name: METRIC.promptInfo,
        help: "1 for each prompt (name, version, template hash) used in the last 15 minutes: two versions live, or a hash change without a version change, is visible.",
        labelNames: [LABEL.prompt, LABEL.version, LABEL.hash],
      },
      (gauge) => {
        const now = Date.now();
        for (const [key, seen] of prompts) {
          if (now - seen.lastSeenMs > PROMPT_INFO_TTL_MS) prompts.delete(key);
          else gauge.set(seen.labels, 1);
        }
      },
    );
  }

  /** Which model answered, and its fingerprint, for a requested model; `chars` of text output. */
  modelResponse(
    labels: { provider: string; requestModel: string; responseModel: string; fingerprint: string; agent: string },
    chars: number,
  ): void {
    this.series.count(this.modelResponses, METRIC.modelResponses, {
      [LABEL.provider]: labels.provider,
      [LABEL.requestModelShort]: labels.requestModel,
      [LABEL.responseModelShort]: labels.responseModel,
      [LABEL.fingerprint]: labels.fingerprint,
    });
    const l = { [LABEL.agent]: labels.agent, [LABEL.model]: labels.requestModel };
    this.series.record(this.responseLength, METRIC.responseLength, l, chars);
  }

  /** A model call used this prompt. */
  promptUsed(prompt: { name: string; version: string; hash: string }): void {
    const labels = this.series.bound(METRIC.promptInfo, {
      [LABEL.prompt]: prompt.name,
      [LABEL.version]: prompt.version,
      [LABEL.hash]: prompt.hash,
    });
    const key = `${labels[LABEL.prompt]}\u0000${labels[LABEL.version]}\u0000${labels[LABEL.hash]}`;
    const seen = this.promptsSeen.get(key);
    if (seen !== undefined) seen.lastSeenMs = Date.now();
    else this.promptsSeen.set(key, { labels, lastSeenMs: Date.now() });
  }

  evaluation(labels: { evaluator: string; name: string; agent: string; promptVersion: string }, score: number): void {
    const l = {
      [LABEL.evaluator]: labels.evaluator,
      [LABEL.name]: labels.name,
      [LABEL.agent]: labels.agent,
      [LABEL.promptVersion]: labels.promptVersion,
    };
    this.series.record(this.evalScore, METRIC.evalScore, l, score);
  }

  evaluationDropped(): void {
    this.evalDropped.inc();
  }

  evaluationError(evaluator: string): void {
    this.series.count(this.evalErrors, METRIC.evalErrors, { [LABEL.evaluator]: evaluator });
  }

  evaluationSkipped(evaluator: string): void {
    this.series.count(this.evalSkipped, METRIC.evalSkipped, { [LABEL.evaluator]: evaluator });
  }

  feedback(labels: { agent: string; rating: string; promptVersion: string; feature: string; category: string }): void {
    const l = {
      [LABEL.agent]: labels.agent,
      [LABEL.rating]: labels.rating,
      [LABEL.promptVersion]: labels.promptVersion,
      [LABEL.feature]: labels.feature,
      [LABEL.category]: labels.category,
    };
    this.series.count(this.userFeedback, METRIC.userFeedback, l);
  }

  guardrailCheck(labels: { guardrail: string; stage: string; outcome: string }): void {
    const l = { [LABEL.guardrail]: labels.guardrail, [LABEL.stage]: labels.stage, [LABEL.outcome]: labels.outcome };
    this.series.count(this.guardrailChecks, METRIC.guardrailChecks, l);
  }
}
