import { type Span, TraceFlags } from "@opentelemetry/api";
import { Counter, Gauge, Histogram, type Metric, Registry } from "prom-client";
import { LabelLimiter } from "./label-limiter.js";
import { ExemplarSampler } from "./exemplar-sampler.js";
import { type Labels, LabelSetCache } from "./label-set-cache.js";
import { BUCKETS, LABEL, METRIC } from "../semconv.js";
import type { BudgetOptions } from "../cost/types.js";
import type { MetricsRegistry } from "./types.js";

/** Trace and span id of the span a measurement belongs to; written as an exemplar. */
export interface Exemplar {
  traceId: string;
  spanId: string;
}

/** The exemplar of a span: its ids, if it is sampled (an exemplar for a dropped trace links nowhere). */
export function exemplarOf(span: Span): Exemplar | undefined {
  const sc = span.spanContext();
  return (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? { traceId: sc.traceId, spanId: sc.spanId } : undefined;
}

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

/** How long a prompt (name, version, hash) stays in `agentwatch_prompt_info` after its last use. */
const PROMPT_INFO_TTL_MS = 15 * 60_000;
/** Bounded label sets remembered for reuse (cleared when full; they are rebuilt on demand). */
const MAX_CACHED_LABEL_SETS = 4096;
/** An exemplar is written at most this often per series and bucket. */
const EXEMPLAR_INTERVAL_MS = 1000;

/** Writes one handler's part of a shared gauge when the registry is scraped. */
type GaugePart = (gauge: Gauge) => void;

/**
 * A gauge that several handlers on one registry share: each scrape starts it from nothing and
 * every handler's part writes its share. The parts live on the gauge, so they go with the registry.
 */
class SharedGauge extends Gauge {
  readonly parts = new Set<GaugePart>();

  override async get(): ReturnType<Gauge["get"]> {
    this.reset();
    for (const part of this.parts) part(this);
    return super.get();
  }
}

/**
 * The metric instruments, registered in one registry. Every label value passes the
 * {@link LabelLimiter}; duration histograms carry trace/span exemplars when the registry serves
 * OpenMetrics.
 */
export class AgentWatchMetrics {
  readonly exemplars: boolean;
  private readonly limiter: LabelLimiter;
  private readonly boundLabels = new LabelSetCache(MAX_CACHED_LABEL_SETS);
  /** Bucket bounds of the histograms that carry exemplars. */
  private readonly exemplarBounds = new Map<Histogram, readonly number[]>();
  private readonly exemplarSampler = new ExemplarSampler(EXEMPLAR_INTERVAL_MS);
  private readonly operationDuration: Histogram;
  private readonly tokenUsage: Histogram;
  private readonly timeToFirstChunk: Histogram;
  private readonly timePerOutputChunk: Histogram;
  private readonly invokeAgentDuration: Histogram;
  private readonly executeToolDuration: Histogram;
  private readonly nodeDuration: Histogram;
  private readonly retrievalDocuments: Histogram;
  private readonly retrievalTopScore: Histogram;
  private readonly runLlmCalls: Histogram;
  private readonly runToolCalls: Histogram;
  private readonly interrupts: Counter;
  private readonly costUsd: Counter;
  private readonly agentRunCost: Histogram;
  private readonly unpricedCalls: Counter;
  private readonly estimatedUsageCalls: Counter;
  private readonly guardTrips: Counter;
  private readonly toolRepeats: Counter;
  private readonly attributionLabels: readonly string[];
  private readonly promptVersionLabel: boolean;
  private readonly modelResponses: Counter;
  private readonly evalScore: Histogram;
  private readonly guardrailChecks: Counter;
  private readonly evalDropped: Counter;
  private readonly evalErrors: Counter;
  private readonly userFeedback: Counter;
  private readonly responseLength: Histogram;
  /** Prompts seen, by their label values, with when they were last used. */
  private readonly promptsSeen = new Map<string, { labels: Labels; lastSeenMs: number }>();
  private readonly handlerErrors: Counter;
  private readonly runsEvicted: Counter;
  private readonly labelOverflow: Counter;
  /** Undoes what this handler added to shared gauges, in {@link close}. */
  private readonly closers: (() => void)[] = [];

  constructor(
    private readonly registry: MetricsRegistry,
    options: {
      maxLabelValues: number;
      agentDurationBuckets: readonly number[];
      openRuns: () => number;
      attributionLabels: readonly string[];
      budgets: BudgetOptions;
      promptVersionLabel: boolean;
    },
  ) {
    this.exemplars = registry.contentType === Registry.OPENMETRICS_CONTENT_TYPE;
    this.promptVersionLabel = options.promptVersionLabel;
    const withPrompt = options.promptVersionLabel ? [LABEL.promptVersion] : [];
    const op = [LABEL.operationName, LABEL.providerName, LABEL.requestModel, LABEL.agentName];
    this.operationDuration = this.histogram(
      METRIC.operationDuration,
      "GenAI operation duration (chat, text_completion, embeddings, retrieval calls).",
      [...op, ...withPrompt, LABEL.errorType],
      BUCKETS.operationDuration,
      true,
    );
    this.tokenUsage = this.histogram(
      METRIC.tokenUsage,
      "Tokens used per GenAI call by gen_ai_token_type. cache_read and cache_write are parts of input, reasoning is part of output: never add them to input/output.",
      [...op, ...withPrompt, LABEL.tokenType],
      BUCKETS.tokenUsage,
      false,
    );
    this.timeToFirstChunk = this.histogram(
      METRIC.timeToFirstChunk,
      "Time from the request to the first streamed chunk, streamed calls only.",
      op,
      BUCKETS.chunkTiming,
      true,
    );
    this.timePerOutputChunk = this.histogram(
      METRIC.timePerOutputChunk,
      "Time between consecutive streamed chunks after the first, streamed calls only.",
      op,
      BUCKETS.chunkTiming,
      false,
    );
    this.invokeAgentDuration = this.histogram(
      METRIC.invokeAgentDuration,
      "Duration of whole agent runs (root runs). Human-in-the-loop interrupts are not errors.",
      [LABEL.agentName, LABEL.errorType],
      options.agentDurationBuckets,
      true,
    );
    this.executeToolDuration = this.histogram(
      METRIC.executeToolDuration,
      "Duration of tool executions.",
      [LABEL.toolName, LABEL.agentName, LABEL.errorType],
      BUCKETS.operationDuration,
      true,
    );
    this.nodeDuration = this.histogram(
      METRIC.nodeDuration,
      "Duration of LangGraph node executions.",
      [LABEL.agent, LABEL.node, LABEL.errorType],
      BUCKETS.operationDuration,
      true,
    );
    this.retrievalDocuments = this.histogram(
      METRIC.retrievalDocuments,
      "Documents returned per retrieval.",
      [LABEL.agent, LABEL.dataSourceId],
      BUCKETS.counts,
      false,
    );
    this.retrievalTopScore = this.histogram(
      METRIC.retrievalTopScore,
      "Relevance score of the best document of each retrieval that reports scores (document metadata score).",
      [LABEL.agent, LABEL.dataSourceId],
      BUCKETS.score,
      false,
    );
    this.runLlmCalls = this.histogram(METRIC.runLlmCalls, "LLM calls per agent run.", [LABEL.agent], BUCKETS.counts, false);
    this.runToolCalls = this.histogram(METRIC.runToolCalls, "Tool calls per agent run.", [LABEL.agent], BUCKETS.counts, false);
    this.interrupts = this.counter(
      METRIC.interrupts,
      "LangGraph control flow that ended a node or run without an error (human-in-the-loop interrupt, parent command).",
      [LABEL.agent, LABEL.node],
    );
    this.attributionLabels = options.attributionLabels;
    this.costUsd = this.counter(
      METRIC.costUsd,
      "USD spent on model calls, by agent, provider, model and run-metadata feature (and tenant / tier when opted in).",
      [LABEL.agent, LABEL.provider, LABEL.model, LABEL.feature, ...options.attributionLabels],
    );
    this.agentRunCost = this.histogram(METRIC.agentRunCost, "USD cost of whole agent runs.", [LABEL.agent], BUCKETS.runCost, false);
    this.unpricedCalls = this.counter(
      METRIC.unpricedCalls,
      "Model calls with no known price (not counted in agentwatch_cost_usd_total): add the model to the handler's prices.",
      [LABEL.provider, LABEL.model],
    );
    this.estimatedUsageCalls = this.counter(
      METRIC.estimatedUsageCalls,
      "Model calls whose provider reported no token usage, so tokens were estimated with a tokenizer.",
      [LABEL.provider, LABEL.model],
    );
    this.guardTrips = this.counter(METRIC.guardTrips, "Run guards tripped (once per guard per run).", [LABEL.agent, LABEL.guard]);
    this.toolRepeats = this.counter(
      METRIC.toolRepeats,
      "Tool calls that repeat an earlier call of the same run (same tool, same arguments): the agent-loop signal.",
      [LABEL.agent, LABEL.tool],
    );
    this.budgets(options.budgets);
    this.modelResponses = this.counter(
      METRIC.modelResponses,
      "Model responses by requested model, the model that answered and its system fingerprint: a change is a silent model update.",
      [LABEL.provider, LABEL.requestModelShort, LABEL.responseModelShort, LABEL.fingerprint],
    );
    this.responseLength = this.histogram(
      METRIC.responseLength,
      "Characters of model text output, per agent and model: watch the distribution shift.",
      [LABEL.agent, LABEL.model],
      BUCKETS.responseLength,
      false,
    );
    this.evalScore = this.histogram(
      METRIC.evalScore,
      "Evaluation scores (0..1) by evaluator, agent and prompt version.",
      [LABEL.evaluator, LABEL.agent, LABEL.promptVersion],
      BUCKETS.score,
      false,
    );
    this.guardrailChecks = this.counter(
      METRIC.guardrailChecks,
      "Guardrail checks by guardrail, stage (input / output) and outcome (pass / flag / block).",
      [LABEL.guardrail, LABEL.stage, LABEL.outcome],
    );
    this.evalDropped = this.counter(METRIC.evalDropped, "Online evaluations dropped because the evaluation queue was full.", []);
    this.evalErrors = this.counter(METRIC.evalErrors, "Online evaluations that failed (the evaluator threw or judged nothing).", [
      LABEL.evaluator,
    ]);
    this.userFeedback = this.counter(METRIC.userFeedback, "User feedback by agent, rating (positive / negative) and prompt version.", [
      LABEL.agent,
      LABEL.rating,
      LABEL.promptVersion,
    ]);
    const prompts = this.promptsSeen;
    this.sharedGauge(
      METRIC.promptInfo,
      "1 for each prompt (name, version, template hash) used in the last 15 minutes: two versions live, or a hash change without a version change, is visible.",
      [LABEL.prompt, LABEL.version, LABEL.hash],
      (gauge) => {
        const now = Date.now();
        for (const [key, seen] of prompts) {
          if (now - seen.lastSeenMs > PROMPT_INFO_TTL_MS) prompts.delete(key);
          else gauge.set(seen.labels, 1);
        }
      },
    );
    this.handlerErrors = this.counter(
      METRIC.handlerErrors,
      "Errors inside agentwatch's own callbacks and hooks, caught before they reached the agent.",
      [LABEL.callback],
    );
    this.runsEvicted = this.counter(
      METRIC.runsEvicted,
      "Runs that never ended (abandoned streams, crashed nodes) and were evicted after the TTL or the open-run cap.",
      [],
    );
    this.labelOverflow = this.counter(
      METRIC.labelOverflow,
      "Label values collapsed into 'other' because a label reached its distinct-value cap.",
      [LABEL.metric, LABEL.label],
    );
    // Several handlers may share one registry: the gauge reports the sum over all of them.
    const openRuns = options.openRuns;
    this.sharedGauge(METRIC.openRuns, "Runs agentwatch is tracking that have not ended yet.", [], (gauge) => gauge.inc(openRuns()));
    this.limiter = new LabelLimiter(options.maxLabelValues, (metric, label) =>
      this.labelOverflow.inc({ [LABEL.metric]: metric, [LABEL.label]: label }),
    );
  }

  /** A GenAI client operation (chat, text_completion, embeddings, retrieval) ended. */
  operation(labels: OperationLabels, seconds: number, span: Span | undefined): void {
    this.observe(this.operationDuration, METRIC.operationDuration, this.opLabels(labels, true), seconds, span);
  }

  /** Token counts of one call, by token type; zero or missing types are skipped except input/output. */
  tokens(labels: OperationLabels, counts: Partial<Record<string, number>>): void {
    for (const type in counts) {
      const count = counts[type];
      if (count === undefined || !Number.isFinite(count) || count < 0) continue;
      const l = this.opLabels(labels, false, true);
      l[LABEL.tokenType] = type;
      this.tokenUsage.observe(this.bound(METRIC.tokenUsage, l), count);
    }
  }

  firstChunk(labels: OperationLabels, seconds: number, span: Span | undefined): void {
    this.observe(this.timeToFirstChunk, METRIC.timeToFirstChunk, this.opLabels(labels, false), seconds, span);
  }

  outputChunk(labels: OperationLabels, seconds: number): void {
    this.timePerOutputChunk.observe(this.bound(METRIC.timePerOutputChunk, this.opLabels(labels, false)), seconds);
  }

  agentRun(agent: string, errorType: string, seconds: number, span: Span | undefined, calls: { llm: number; tool: number }): void {
    const l = { [LABEL.agentName]: agent, [LABEL.errorType]: errorType };
    this.observe(this.invokeAgentDuration, METRIC.invokeAgentDuration, l, seconds, span);
    this.runLlmCalls.observe(this.bound(METRIC.runLlmCalls, { [LABEL.agent]: agent }), calls.llm);
    this.runToolCalls.observe(this.bound(METRIC.runToolCalls, { [LABEL.agent]: agent }), calls.tool);
  }

  tool(tool: string, agent: string, errorType: string, seconds: number, span: Span | undefined): void {
    const l = { [LABEL.toolName]: tool, [LABEL.agentName]: agent, [LABEL.errorType]: errorType };
    this.observe(this.executeToolDuration, METRIC.executeToolDuration, l, seconds, span);
  }

  node(agent: string, node: string, errorType: string, seconds: number, span: Span | undefined): void {
    const l = { [LABEL.agent]: agent, [LABEL.node]: node, [LABEL.errorType]: errorType };
    this.observe(this.nodeDuration, METRIC.nodeDuration, l, seconds, span);
  }

  retrieval(agent: string, dataSource: string, documents: number, topScore: number | undefined): void {
    const l = { [LABEL.agent]: agent, [LABEL.dataSourceId]: dataSource };
    this.retrievalDocuments.observe(this.bound(METRIC.retrievalDocuments, l), documents);
    if (topScore !== undefined) this.retrievalTopScore.observe(this.bound(METRIC.retrievalTopScore, l), topScore);
  }

  /** A priced model call: its cost, attributed by run metadata (feature, tenant, tier). */
  cost(agent: string, provider: string, model: string, attribution: Record<string, string>, usd: number): void {
    const l: Labels = {
      [LABEL.agent]: agent,
      [LABEL.provider]: provider,
      [LABEL.model]: model,
      [LABEL.feature]: attribution.feature ?? "",
    };
    for (const name of this.attributionLabels) l[name] = attribution[name] ?? "";
    this.costUsd.inc(this.bound(METRIC.costUsd, l), usd);
  }

  runCost(agent: string, usd: number): void {
    this.agentRunCost.observe(this.bound(METRIC.agentRunCost, { [LABEL.agent]: agent }), usd);
  }

  unpriced(provider: string, model: string): void {
    this.unpricedCalls.inc(this.bound(METRIC.unpricedCalls, { [LABEL.provider]: provider, [LABEL.model]: model }));
  }

  estimatedUsage(provider: string, model: string): void {
    this.estimatedUsageCalls.inc(this.bound(METRIC.estimatedUsageCalls, { [LABEL.provider]: provider, [LABEL.model]: model }));
  }

  guardTrip(agent: string, guard: string): void {
    this.guardTrips.inc(this.bound(METRIC.guardTrips, { [LABEL.agent]: agent, [LABEL.guard]: guard }));
  }

  toolRepeat(agent: string, tool: string): void {
    this.toolRepeats.inc(this.bound(METRIC.toolRepeats, { [LABEL.agent]: agent, [LABEL.tool]: tool }));
  }

  /** A model call used this prompt. */
  promptUsed(name: string, version: string, hash: string): void {
    const labels = this.bound(METRIC.promptInfo, { [LABEL.prompt]: name, [LABEL.version]: version, [LABEL.hash]: hash });
    const key = `${labels[LABEL.prompt]}\u0000${labels[LABEL.version]}\u0000${labels[LABEL.hash]}`;
    const seen = this.promptsSeen.get(key);
    if (seen !== undefined) seen.lastSeenMs = Date.now();
    else this.promptsSeen.set(key, { labels, lastSeenMs: Date.now() });
  }

  /** Which model answered, and its fingerprint, for a requested model. */
  modelResponse(provider: string, requestModel: string, responseModel: string, fingerprint: string, agent: string, chars: number): void {
    this.modelResponses.inc(
      this.bound(METRIC.modelResponses, {
        [LABEL.provider]: provider,
        [LABEL.requestModelShort]: requestModel,
        [LABEL.responseModelShort]: responseModel,
        [LABEL.fingerprint]: fingerprint,
      }),
    );
    this.responseLength.observe(this.bound(METRIC.responseLength, { [LABEL.agent]: agent, [LABEL.model]: requestModel }), chars);
  }

  evaluation(evaluator: string, agent: string, promptVersion: string, score: number): void {
    const l = { [LABEL.evaluator]: evaluator, [LABEL.agent]: agent, [LABEL.promptVersion]: promptVersion };
    this.evalScore.observe(this.bound(METRIC.evalScore, l), score);
  }

  guardrailCheck(guardrail: string, stage: string, outcome: string): void {
    this.guardrailChecks.inc(
      this.bound(METRIC.guardrailChecks, { [LABEL.guardrail]: guardrail, [LABEL.stage]: stage, [LABEL.outcome]: outcome }),
    );
  }

  evaluationDropped(): void {
    this.evalDropped.inc();
  }

  evaluationError(evaluator: string): void {
    this.evalErrors.inc(this.bound(METRIC.evalErrors, { [LABEL.evaluator]: evaluator }));
  }

  feedback(agent: string, rating: string, promptVersion: string): void {
    this.userFeedback.inc(
      this.bound(METRIC.userFeedback, { [LABEL.agent]: agent, [LABEL.rating]: rating, [LABEL.promptVersion]: promptVersion }),
    );
  }

  interrupt(agent: string, node: string): void {
    this.interrupts.inc(this.bound(METRIC.interrupts, { [LABEL.agent]: agent, [LABEL.node]: node }));
  }

  handlerError(callback: string): void {
    this.handlerErrors.inc({ [LABEL.callback]: callback });
  }

  evicted(count = 1): void {
    this.runsEvicted.inc(count);
  }

  /** Removes this handler's parts from the shared gauges; its counts stay in the registry's series. Idempotent. */
  close(): void {
    for (const undo of this.closers.splice(0)) undo();
  }

  /** Budgets are configuration: set once, so alert rules can divide spend by them. */
  private budgets(budgets: BudgetOptions): void {
    const gauge =
      this.existing<Gauge>(METRIC.budgetUsd) ??
      new Gauge({
        name: METRIC.budgetUsd,
        help: "Daily budget in USD by scope (global, agent, feature) and name, for spend-vs-budget alerts.",
        labelNames: [LABEL.scope, LABEL.name],
        registers: [this.registry],
      });
    if (budgets.global !== undefined) gauge.set({ [LABEL.scope]: "global", [LABEL.name]: "global" }, budgets.global);
    for (const [name, usd] of Object.entries(budgets.agents ?? {})) gauge.set({ [LABEL.scope]: "agent", [LABEL.name]: name }, usd);
    for (const [name, usd] of Object.entries(budgets.features ?? {})) gauge.set({ [LABEL.scope]: "feature", [LABEL.name]: name }, usd);
  }

  private opLabels(labels: OperationLabels, withError: boolean, withPrompt = withError): Labels {
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

  /**
   * `labels` with every value bounded by the limiter. A label set seen before (all of its values
   * admitted) comes from a cache: the hot path allocates nothing for it.
   */
  private bound(metric: string, labels: Labels): Labels {
    const cached = this.boundLabels.get(metric, labels);
    if (cached !== undefined) return cached;
    const out: Labels = {};
    let admitted = true;
    for (const name in labels) {
      const raw = labels[name];
      const value = this.limiter.value(metric, name, raw);
      if (value !== raw) admitted = false; // overflowed or normalized: let the limiter see it every time
      out[name] = value;
    }
    if (admitted) this.boundLabels.set(metric, labels, Object.freeze(out));
    return out;
  }

  /** Observes `value`, with the span's ids as the bucket's exemplar when one is due (see {@link ExemplarSampler}). */
  private observe(h: Histogram, metric: string, labels: Labels, value: number, span: Span | undefined): void {
    const bounded = this.bound(metric, labels);
    const bounds = this.exemplars && span !== undefined ? this.exemplarBounds.get(h) : undefined;
    const exemplar = bounds !== undefined && this.exemplarSampler.due(bounded, bounds, value) ? exemplarOf(span as Span) : undefined;
    if (exemplar !== undefined) {
      h.observe({ labels: bounded, value, exemplarLabels: { trace_id: exemplar.traceId, span_id: exemplar.spanId } });
    } else {
      // Not `observe`: on a histogram with exemplars enabled, prom-client's `observe` takes one object.
      (h as unknown as { observeWithoutExemplar(labels: Labels, value: number): void }).observeWithoutExemplar(bounded, value);
    }
  }

  private existing<T extends Metric>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }

  private histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[], exemplars: boolean): Histogram {
    const h =
      this.existing<Histogram>(name) ??
      new Histogram({
        name,
        help,
        labelNames: [...labelNames],
        buckets: [...buckets],
        registers: [this.registry],
        enableExemplars: exemplars && this.exemplars,
      });
    // The bounds of a histogram another handler registered may differ from ours: use its own.
    if (exemplars) this.exemplarBounds.set(h, (h as unknown as { upperBounds?: number[] }).upperBounds ?? buckets);
    return h;
  }

  private counter(name: string, help: string, labelNames: readonly string[]): Counter {
    return this.existing<Counter>(name) ?? new Counter({ name, help, labelNames: [...labelNames], registers: [this.registry] });
  }

  /** Adds `part` to the shared gauge `name` (registering the gauge on first use) until {@link close}. */
  private sharedGauge(name: string, help: string, labelNames: readonly string[], part: GaugePart): void {
    const existing = this.existing<Gauge>(name);
    const gauge =
      existing === undefined ? new SharedGauge({ name, help, labelNames: [...labelNames], registers: [this.registry] }) : existing;
    // A gauge of that name registered by someone else has no parts: leave it alone.
    if (!(gauge instanceof SharedGauge)) return;
    gauge.parts.add(part);
    this.closers.push(() => gauge.parts.delete(part));
  }
}
