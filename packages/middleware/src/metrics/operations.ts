import type { Span } from "@opentelemetry/api";

import { BUCKETS, LABEL, METRIC, SEMCONV_DRAFT, TOKEN_PART, TOKEN_TYPE } from "../semconv.js";
import type { Instruments } from "./instruments.js";
import type { Labels } from "./label-set-cache.js";
import type { Series } from "./series.js";
import type { CounterWrites, HistogramWrites } from "./series-writes.js";

const TOKEN_TYPES = [TOKEN_TYPE.input, TOKEN_TYPE.output] as const;
const TOKEN_PARTS = [TOKEN_PART.cacheRead, TOKEN_PART.cacheWrite, TOKEN_PART.reasoning] as const;

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

/** The GenAI client operation metrics: operation duration, token usage, streamed chunk timing; ours: model retries and fallbacks. */
export class OperationMetrics {
  private readonly operationDuration: HistogramWrites;
  private readonly tokenUsage: HistogramWrites;
  private readonly tokenUsageParts: CounterWrites;
  private readonly timeToFirstChunk: HistogramWrites;
  private readonly timePerOutputChunk: HistogramWrites;
  private readonly retries: CounterWrites;
  private readonly fallbacks: CounterWrites;
  private readonly promptVersionLabel: boolean;
  private readonly semconvDrafts: boolean;

  constructor(
    instruments: Instruments,
    private readonly series: Series,
    options: { promptVersionLabel: boolean; semconvDrafts?: boolean },
  ) {
    this.promptVersionLabel = options.promptVersionLabel;
    this.semconvDrafts = options.semconvDrafts ?? false;
    const drafts = this.semconvDrafts ? [SEMCONV_DRAFT.tokenCacheLabel, SEMCONV_DRAFT.tokenPhaseLabel] : [];
    const withPrompt = options.promptVersionLabel ? [LABEL.promptVersion] : [];
    const op = [LABEL.operationName, LABEL.providerName, LABEL.requestModel, LABEL.agentName];
    this.operationDuration = instruments.exemplarHistogram({
      name: METRIC.operationDuration,
      help: "GenAI operation duration (chat, text_completion, embeddings, retrieval calls).",
      labelNames: [...op, ...withPrompt, LABEL.errorType],
      buckets: BUCKETS.operationDuration,
    });
    this.tokenUsage = instruments.histogramWrites({
      name: METRIC.tokenUsage,
      help: "Tokens used per GenAI call, by gen_ai_token_type input or output: a sum over every series is input + output tokens.",
      labelNames: [...op, ...withPrompt, LABEL.tokenType, ...drafts],
      buckets: BUCKETS.tokenUsage,
    });
    this.tokenUsageParts = instruments.counterWrites({
      name: METRIC.tokenUsageParts,
      help: "Ours: tokens by part: cache_read and cache_write are parts of the input tokens, reasoning of the output tokens of gen_ai_client_token_usage, already counted there: never add them to it.",
      labelNames: [...op, ...withPrompt, LABEL.part],
    });
    this.timeToFirstChunk = instruments.exemplarHistogram({
      name: METRIC.timeToFirstChunk,
      help: "Time from the request to the first streamed chunk, streamed calls only.",
      labelNames: op,
      buckets: BUCKETS.chunkTiming,
    });
    this.timePerOutputChunk = instruments.histogramWrites({
      name: METRIC.timePerOutputChunk,
      help: "Time between consecutive streamed chunks after the first, streamed calls only.",
      labelNames: op,
      buckets: BUCKETS.chunkTiming,
    });
    this.retries = instruments.counterWrites({
      name: METRIC.modelRetries,
      help: "Ours: model calls that failed and were retried (the same model called again in their place), by the failed call's error_type. A model's own maxRetries inside one call is not seen.",
      labelNames: [LABEL.agent, LABEL.provider, LABEL.model, LABEL.errorType],
    });
    this.fallbacks = instruments.counterWrites({
      name: METRIC.modelFallbacks,
      help: "Ours: failed model calls replaced by a call to another model (withFallbacks, modelFallbackMiddleware), by the failed call's error_type.",
      labelNames: [LABEL.agent, LABEL.fromModel, LABEL.toModel, LABEL.errorType],
    });
  }

  /** A model call of `labels.agent` / provider / model failed with `errorType` and was retried. */
  retry(labels: { agent: string; provider: string; model: string; errorType: string }): void {
    const l = {
      [LABEL.agent]: labels.agent,
      [LABEL.provider]: labels.provider,
      [LABEL.model]: labels.model,
      [LABEL.errorType]: labels.errorType,
    };
    this.series.count(this.retries, METRIC.modelRetries, l);
  }

  /** A model call to `fromModel` failed with `errorType`, and `toModel` was called in its place. */
  fallback(labels: { agent: string; fromModel: string; toModel: string; errorType: string }): void {
    const l = {
      [LABEL.agent]: labels.agent,
      [LABEL.fromModel]: labels.fromModel,
      [LABEL.toModel]: labels.toModel,
      [LABEL.errorType]: labels.errorType,
    };
    this.series.count(this.fallbacks, METRIC.modelFallbacks, l);
  }

  /** A GenAI client operation (chat, text_completion, embeddings, retrieval) ended. */
  operation(labels: OperationLabels, seconds: number, span: Span | undefined): void {
    this.series.observe(this.operationDuration, METRIC.operationDuration, this.labels(labels, true), seconds, span);
  }

  /**
   * Token counts of one call: input and output (always, zero included) into the token usage
   * histogram; the parts of them (cache_read, cache_write, reasoning; zero or missing ones skipped)
   * into the parts counter only, so that no sum over the histogram counts a token twice.
   */
  tokens(labels: OperationLabels, counts: Partial<Record<string, number>>): void {
    for (const type of TOKEN_TYPES) {
      const count = counts[type];
      if (!valid(count)) continue;
      if (this.semconvDrafts) this.draftTokens(labels, type, count, counts);
      else this.observeTokens(labels, type, count);
    }
    for (const part of TOKEN_PARTS) {
      const count = counts[part];
      if (!valid(count) || count === 0) continue;
      const l = this.labels(labels, false, true);
      l[LABEL.part] = part;
      this.series.count(this.tokenUsageParts, METRIC.tokenUsageParts, l, count);
    }
  }

  /**
   * The drafts' form: input split by cache state, output by phase, each token in one series. A
   * call that reports no breakdown of a type gets one series without the split label.
   */
  private draftTokens(labels: OperationLabels, type: string, count: number, counts: Partial<Record<string, number>>): void {
    const part = (p: string) => Math.min(valid(counts[p]) ? (counts[p] as number) : 0, count);
    const { cache, phase, tokenCacheLabel, tokenPhaseLabel } = SEMCONV_DRAFT;
    const split: [string, string, number][] = [];
    if (type === TOKEN_TYPE.input && (counts[TOKEN_PART.cacheRead] !== undefined || counts[TOKEN_PART.cacheWrite] !== undefined)) {
      const read = part(TOKEN_PART.cacheRead);
      const write = Math.min(part(TOKEN_PART.cacheWrite), count - read);
      split.push(
        [tokenCacheLabel, cache.read, read],
        [tokenCacheLabel, cache.write, write],
        [tokenCacheLabel, cache.uncached, count - read - write],
      );
    } else if (type === TOKEN_TYPE.output && counts[TOKEN_PART.reasoning] !== undefined) {
      const reasoning = part(TOKEN_PART.reasoning);
      split.push([tokenPhaseLabel, phase.reasoning, reasoning], [tokenPhaseLabel, phase.response, count - reasoning]);
    }
    if (split.length === 0) return this.observeTokens(labels, type, count);
    for (const [label, value, n] of split) {
      if (n > 0) this.observeTokens(labels, type, n, label, value);
    }
  }

  /** Observes `count` tokens of `type` (and of a drafts' split label, if given) in the token usage histogram. */
  private observeTokens(labels: OperationLabels, type: string, count: number, split?: string, splitValue?: string): void {
    const l = this.labels(labels, false, true);
    l[LABEL.tokenType] = type;
    if (split !== undefined && splitValue !== undefined) l[split] = splitValue;
    this.series.record(this.tokenUsage, METRIC.tokenUsage, l, count);
  }

  firstChunk(labels: OperationLabels, seconds: number, span: Span | undefined): void {
    this.series.observe(this.timeToFirstChunk, METRIC.timeToFirstChunk, this.labels(labels, false), seconds, span);
  }

  outputChunk(labels: OperationLabels, seconds: number): void {
    this.series.record(this.timePerOutputChunk, METRIC.timePerOutputChunk, this.labels(labels, false), seconds);
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

function valid(count: number | undefined): count is number {
  return count !== undefined && Number.isFinite(count) && count >= 0;
}
