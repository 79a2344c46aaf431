import type { Span } from "@opentelemetry/api";
import type { Histogram } from "prom-client";

import { BUCKETS, LABEL, METRIC } from "../semconv.js";
import type { ExemplarHistogram } from "./exemplars.js";
import type { Instruments } from "./instruments.js";
import type { Labels } from "./label-set-cache.js";
import type { Series } from "./series.js";

/** Labels shared by the GenAI client operation metrics. */
export interface OperationLabels {
  operation: string;
  provider: string;
  model: string;
  agent: string;
  errorType: string;
  /** Used only when the `prompt_version` label is opted in. */
  promptVersion?: string;
}

/** The GenAI client operation metrics: operation duration, token usage, streamed chunk timing. */
export class OperationMetrics {
  private readonly operationDuration: ExemplarHistogram;
  private readonly tokenUsage: Histogram;
  private readonly timeToFirstChunk: ExemplarHistogram;
  private readonly timePerOutputChunk: Histogram;
  private readonly promptVersionLabel: boolean;

  constructor(
    instruments: Instruments,
    private readonly series: Series,
    options: { promptVersionLabel: boolean },
  ) {
    this.promptVersionLabel = options.promptVersionLabel;
    const withPrompt = options.promptVersionLabel ? [LABEL.promptVersion] : [];
    const op = [LABEL.operationName, LABEL.providerName, LABEL.requestModel, LABEL.agentName];
    this.operationDuration = instruments.exemplarHistogram({
      name: METRIC.operationDuration,
      help: "GenAI operation duration (chat, text_completion, embeddings, retrieval calls).",
      labelNames: [...op, ...withPrompt, LABEL.errorType],
      buckets: BUCKETS.operationDuration,
    });
    this.tokenUsage = instruments.histogram({
      name: METRIC.tokenUsage,
      help: "Tokens used per GenAI call by gen_ai_token_type. cache_read and cache_write are parts of input, reasoning is part of output: never add them to input/output.",
      labelNames: [...op, ...withPrompt, LABEL.tokenType],
      buckets: BUCKETS.tokenUsage,
    });
    this.timeToFirstChunk = instruments.exemplarHistogram({
      name: METRIC.timeToFirstChunk,
      help: "Time from the request to the first streamed chunk, streamed calls only.",
      labelNames: op,
      buckets: BUCKETS.chunkTiming,
    });
    this.timePerOutputChunk = instruments.histogram({
      name: METRIC.timePerOutputChunk,
      help: "Time between consecutive streamed chunks after the first, streamed calls only.",
      labelNames: op,
      buckets: BUCKETS.chunkTiming,
    });
  }

  /** A GenAI client operation (chat, text_completion, embeddings, retrieval) ended. */
  operation(labels: OperationLabels, seconds: number, span: Span | undefined): void {
    this.series.observe(this.operationDuration, METRIC.operationDuration, this.labels(labels, true), seconds, span);
  }

  /** Token counts of one call, by token type; zero or missing types are skipped except input/output. */
  tokens(labels: OperationLabels, counts: Partial<Record<string, number>>): void {
    for (const type in counts) {
      const count = counts[type];
      if (count === undefined || !Number.isFinite(count) || count < 0) continue;
      const l = this.labels(labels, false, true);
      l[LABEL.tokenType] = type;
      this.tokenUsage.observe(this.series.bound(METRIC.tokenUsage, l), count);
    }
  }

  firstChunk(labels: OperationLabels, seconds: number, span: Span | undefined): void {
    this.series.observe(this.timeToFirstChunk, METRIC.timeToFirstChunk, this.labels(labels, false), seconds, span);
  }

  outputChunk(labels: OperationLabels, seconds: number): void {
    this.timePerOutputChunk.observe(this.series.bound(METRIC.timePerOutputChunk, this.labels(labels, false)), seconds);
  }

  private labels(labels: OperationLabels, withError: boolean, withPrompt = withError): Labels {
    const l: Labels = {
      [LABEL.operationName]: labels.operation,
      [LABEL.providerName]: labels.provider,
      [LABEL.requestModel]: labels.model,
      [LABEL.agentName]: labels.agent,
    };
    if (withPrompt && this.promptVersionLabel) l[LABEL.promptVersion] = labels.promptVersion ?? "";
    if (withError) l[LABEL.errorType] = labels.errorType;
    return l;
  }
}
