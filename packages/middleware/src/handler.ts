import { BaseCallbackHandler } from "@langchain/core/callbacks/base";

import { ContentCapture } from "./content/capture.js";
import { readyTokenizer } from "./cost/token-estimate.js";
import { DriftMonitor } from "./drift/drift-monitor.js";
import type { DriftBaseline, DriftResult } from "./drift/types.js";
import { instrumentEmbeddings } from "./embeddings.js";
import { Evaluations } from "./evaluations/evaluations.js";
import { feedbackHandler, type FeedbackRequestHandler } from "./evaluations/feedback-endpoint.js";
import { FeedbackTokens } from "./evaluations/feedback-token.js";
import { RecentRuns } from "./evaluations/recent-runs.js";
import type { EvaluationRecord, FeedbackRecord } from "./evaluations/types.js";
import { GUARDRAIL_EVENT } from "./guardrails/apply.js";
import { GuardrailRecorder } from "./guardrails/recorder.js";
import type { GuardrailRecord } from "./guardrails/types.js";
import { chainStartOf, chatModelStartOf, llmStartOf, retrieverStartOf, toolStartOf } from "./langchain/callback-args.js";
import { AgentWatchMetrics } from "./metrics/agentwatch-metrics.js";
import { metricsHandler, type MetricsRequestHandler } from "./metrics/endpoint.js";
import type { MetricsRegistry } from "./metrics/types.js";
import { resolveOptions } from "./options.js";
import { Conversations } from "./outcomes/conversations.js";
import { outcomeHandler, type OutcomeRequestHandler } from "./outcomes/outcome-endpoint.js";
import { checkOutcomeRecord } from "./outcomes/outcome-record.js";
import type { OutcomeRecord, OutcomeResult } from "./outcomes/types.js";
import { enableContextTracking } from "./runs/context-activation.js";
import { RunTracker } from "./runs/run-tracker.js";
import { RedisStore } from "./state/redis-store.js";
import type { AgentWatchOptions, EmbeddingsInfo } from "./types.js";
import { Guard } from "./util/callback-guard.js";

/**
 * What every callback returns: LangChain awaits callbacks, and a shared settled promise costs it
 * nothing to await, where an async method would allocate a promise (and its state) per call.
 */
const DONE: Promise<void> = Promise.resolve();

/**
 * The one callback to add to a LangChain / LangGraph agent:
 * `graph.invoke(input, { callbacks: [handler] })`. It turns every agent, node, model, tool and
 * retriever run into OpenTelemetry GenAI spans (parent-child, in the caller's trace) and
 * Prometheus metrics in `handler.registry`. One instance serves any number of concurrent runs.
 *
 * Starts are taken in LangChain's synchronous `_createRunFor*Start` hooks (the ones LangChain
 * calls for tracers before it queues callbacks), so start times and the caller's context are
 * exact even in LangChain's background callback mode. Every callback body runs in a guard: a
 * bug here is counted in `agentwatch_handler_errors_total` and never reaches the agent.
 */
export class AgentWatchHandler extends BaseCallbackHandler {
  name = "AgentWatchHandler";
  /** The registry holding agentwatch's metrics (the one passed in options, or a new OpenMetrics one). */
  readonly registry: MetricsRegistry;
  private readonly guard: Guard;
  private readonly tracker: RunTracker;
  private readonly agentName: string | undefined;
  private readonly evaluations: Evaluations;
  private readonly guardrails: GuardrailRecorder;
  private readonly metrics: AgentWatchMetrics;
  private readonly feedbackCategories: readonly string[];
  private readonly unsubscribeStore: (() => void) | undefined;
  private readonly conversations: Conversations | undefined;
  private readonly drift: DriftMonitor | undefined;

  constructor(options: AgentWatchOptions = {}) {
    const settings = resolveOptions(options);
    // Guards that abort need LangChain to raise the handler's error instead of logging it; the
    // guard error is the only error that ever leaves this handler.
    const aborts = settings.guards?.action === "abort";
    super({ _awaitHandler: settings.awaitCallbacks || aborts, raiseError: aborts });
    this.registry = settings.registry;
    this.agentName = settings.agentName;
    const metrics = (this.metrics = new AgentWatchMetrics(settings.registry, {
      maxLabelValues: settings.maxLabelValues,
      agentDurationBuckets: settings.agentDurationBuckets,
      openRuns: () => this.openRuns,
      attributionLabels: settings.attributionLabels,
      budgets: settings.budgets,
      promptVersionLabel: settings.promptVersionLabel,
      semconvDrafts: settings.semconvDrafts,
    }));
    this.guard = new Guard((callback) => metrics.self.handlerError(callback));
    const content = new ContentCapture(settings.captureContent, settings.maxContentLength, settings.redact, this.guard);
    this.evaluations = new Evaluations(
      {
        tracer: settings.tracerProvider.getTracer("@agentwatch/middleware", "0.1.0"),
        metrics,
        guard: this.guard,
        content,
        recent: new RecentRuns(settings.recentRuns),
        tokens: new FeedbackTokens(settings.feedback.secrets, settings.feedback.tokenTtlMs),
        categories: (this.feedbackCategories = settings.feedback.categories),
        callbacks: () => [this],
        random: Math.random,
      },
      settings.evaluation,
    );
    this.conversations = settings.outcomes && new Conversations(settings.outcomes, metrics.outcomes, this.guard);
    if (settings.drift !== undefined) {
      const drift = (this.drift = new DriftMonitor(settings.drift, {
        onError: (where, error) => this.guard.report(where, error),
        random: Math.random,
        now: Date.now,
      }));
      metrics.drift(() => drift.results());
    }
    this.tracker = new RunTracker(settings, metrics, content, this.evaluations, this.conversations, this.drift);
    this.guardrails = new GuardrailRecorder(this.tracker.tracer, metrics, this.guard);
    // A shared store's failed commands (answered locally) count in this handler's registry.
    this.unsubscribeStore =
      settings.store instanceof RedisStore ? settings.store.onError((operation) => metrics.self.storeError(operation)) : undefined;
    enableContextTracking();
    readyTokenizer();
  }

  /**
   * A signed token for feedback on a root run that just finished in this process (by the `runId`
   * you gave its invoke, or its `traceId`): give it to the app's client with the answer. Any
   * replica with the same `feedback.secret` / `AGENTWATCH_FEEDBACK_SECRET` accepts it in
   * `recordFeedback({ token })`, `recordEvaluation({ token })` and `POST /feedback`, with no
   * memory of the run, until it expires (`feedback.tokenTtlMs`). Undefined without a secret, or
   * when the run is unknown (not finished yet: LangChain awaits the handler unless
   * `awaitCallbacks: false`).
   */
  feedbackToken(ref: { runId?: string; traceId?: string }): string | undefined {
    return this.evaluations.token(ref);
  }

  /**
   * Records a score (0..1) for a finished run, found by `token`, `traceId` + `spanId`, `runId` or `traceId`: a
   * `gen_ai.evaluation.result` event in the run's trace and an `agentwatch_eval_score`
   * observation labelled with `name`. Returns false if the run is unknown (never seen, or forgotten:
   * see `recentRuns`). Throws a TypeError for a malformed record, a FeedbackTokenError for a refused token.
   */
  recordEvaluation(record: EvaluationRecord): boolean {
    return this.evaluations.record(record);
  }

  /**
   * Records user feedback (score 0..1, comment, correction, category) for a finished run, found by
   * `token` (no memory needed), `traceId` + `spanId`, `runId` or `traceId`: an
   * `agentwatch.user_feedback` event in the run's trace and
   * `agentwatch_user_feedback_total{agent,rating,prompt_version,feature,category}`. Negative feedback
   * sends a remembered run to online evaluation. Returns false if the run is unknown. Throws a
   * TypeError for a malformed record, a FeedbackTokenError for a forged, tampered or expired token.
   */
  recordFeedback(record: FeedbackRecord): boolean {
    return this.evaluations.feedback(record);
  }

  /** An express / Node handler for `POST /feedback` (JSON `{ feedback_token | trace_id | run_id, score | rating, comment, correction, category }`). */
  feedbackHandler(): FeedbackRequestHandler {
    return feedbackHandler((record) => this.recordFeedback(record), this.feedbackCategories);
  }

  /**
   * Records the outcome of a conversation, found by `threadId` (its `gen_ai.conversation.id`) or
   * by the `traceId` of one of its answers: `agentwatch_conversation_outcomes_total{agent,outcome}`
   * and its turns in `agentwatch_conversation_turns`, once per conversation on every replica
   * sharing the store (the first decision wins). Needs the `outcomes` option. Throws a TypeError
   * for a malformed record or an outcome outside the set; resolves with what became of it.
   */
  recordOutcome(record: OutcomeRecord): Promise<OutcomeResult> {
    const conversations = this.conversations;
    const names = conversations?.names;
    if (conversations === undefined || names === undefined)
      throw new TypeError('agentwatch: recordOutcome needs option "outcomes"; pass outcomes: {} (or with names, escalationTools, ...)');
    const checked = checkOutcomeRecord(record, names);
    return conversations.record(checked, checked.outcome);
  }

  /** An express / Node handler for `POST /outcome` (JSON `{ thread_id | trace_id, outcome }`). */
  outcomeHandler(): OutcomeRequestHandler {
    return outcomeHandler((record) => this.recordOutcome(record));
  }

  /** Resolves when no conversation-state update is pending (for tests and graceful shutdown). */
  outcomesIdle(): Promise<void> {
    return this.conversations?.idle() ?? Promise.resolve();
  }

  /**
   * Records a result of your own guardrail (a moderation API, say) as agentwatch records its
   * built-ins: an `apply_guardrail {guardrail}` span under the active span, a
   * `gen_ai.guardrail.result` event, and `agentwatch_guardrail_checks_total`. Throws a TypeError
   * for a malformed record.
   */
  recordGuardrail(record: GuardrailRecord): void {
    this.guardrails.record(record);
  }

  /** Guardrail results dispatched by applyGuardrails / guardrailNode / guardrailRunnable inside a run. */
  override handleCustomEvent(eventName: string, data: unknown, runId: string): Promise<void> {
    if (eventName !== GUARDRAIL_EVENT) return DONE;
    this.guard.run("handleCustomEvent", () => this.guardrails.record(data as GuardrailRecord, this.tracker.spanOf(runId)));
    return DONE;
  }

  /** Resolves when online evaluation has nothing queued or running (for tests and graceful shutdown). */
  evaluationsIdle(): Promise<void> {
    return this.evaluations.idle();
  }

  /** Number of runs started and not yet ended (or evicted). */
  get openRuns(): number {
    return this.tracker.openRuns;
  }

  /** A Node / express request handler that serves `handler.registry` (OpenMetrics when the registry is). */
  metricsHandler(): MetricsRequestHandler {
    return metricsHandler(this.registry);
  }

  /**
   * Returns `embeddings` wrapped so its `embedQuery` / `embedDocuments` calls are traced and
   * measured (LangChain's Embeddings classes fire no callbacks). Use the returned object in place
   * of the original, e.g. when building a vector store.
   */
  instrumentEmbeddings<T extends object>(embeddings: T, info?: EmbeddingsInfo): T {
    return instrumentEmbeddings(
      embeddings,
      { tracer: this.tracker.tracer, metrics: this.metrics, guard: this.guard, agentName: this.agentName, drift: this.drift },
      info,
    );
  }

  /**
   * Runs the drift tests now (they also run every `drift.intervalMs`): for tests, or before a
   * scrape. Resolves when done; never rejects. Does nothing without the `drift` option.
   */
  driftCheck(): Promise<void> {
    return this.drift?.check() ?? Promise.resolve();
  }

  /** The latest drift test of each agent and signal (empty without the `drift` option). */
  driftResults(): DriftResult[] {
    return this.drift?.results() ?? [];
  }

  /**
   * The references this process knows, as a baseline to commit (`JSON.stringify` it to a file and
   * pass its path as `drift.baseline`): freezes "normal" instead of learning it from traffic.
   */
  driftBaseline(): DriftBaseline {
    return this.drift?.baseline() ?? { version: 1, agents: {} };
  }

  /**
   * Stops the background TTL sweep (runs still end normally) and the abandonment sweeper, and takes this handler's open runs
   * and prompts out of the registry's shared gauges. Call when the handler is discarded.
   */
  shutdown(): void {
    this.tracker.close();
    this.conversations?.close();
    this.drift?.close();
    this.metrics.close();
    this.unsubscribeStore?.();
  }

  /** LangChain copies handlers for child runs; all copies must share one run map. */
  override copy(): this {
    return this;
  }

  // ---- LangChain's synchronous tracer hooks (see sync-hooks note above) ----------------------
  // LangChain recognises a tracer by `_addRunToRunMap` and then calls `_createRunFor*Start`
  // synchronously, in the caller's async context, before it schedules the async callback.

  /** @internal Marks this handler as a tracer for LangChain's callback manager. */
  _addRunToRunMap(): void {}

  /** @internal */
  _createRunForChainStart(...args: unknown[]): void {
    this.syncHooks = true;
    this.guard.run("handleChainStart", () => this.tracker.chainStart(chainStartOf(args, true)));
  }

  /** @internal */
  _createRunForChatModelStart(...args: unknown[]): void {
    this.syncHooks = true;
    this.guard.run("handleChatModelStart", () => this.tracker.llmStart(chatModelStartOf(args, true)));
  }

  /** @internal */
  _createRunForLLMStart(...args: unknown[]): void {
    this.syncHooks = true;
    this.guard.run("handleLLMStart", () => this.tracker.llmStart(llmStartOf(args, true)));
  }

  /** @internal */
  _createRunForToolStart(...args: unknown[]): void {
    this.syncHooks = true;
    this.guard.run("handleToolStart", () => this.tracker.toolStart(toolStartOf(args, true)));
  }

  /** @internal */
  _createRunForRetrieverStart(...args: unknown[]): void {
    this.syncHooks = true;
    this.guard.run("handleRetrieverStart", () => this.tracker.retrieverStart(retrieverStartOf(args, true)));
  }

  /** Set once LangChain has called a synchronous hook: the async start callbacks then have nothing to do. */
  private syncHooks = false;

  // ---- LangChain callbacks ------------------------------------------------------------------
  // Argument lists are typed loosely on purpose: callers are not always well-behaved, and the
  // guard plus the tracker's own checks handle whatever arrives.

  override handleChainStart(...args: unknown[]): Promise<void> {
    if (this.syncHooks) return DONE;
    this.guard.run("handleChainStart", () => this.tracker.chainStart(chainStartOf(args, false)));
    return DONE;
  }

  override handleChainEnd(outputs: unknown, runId: string): Promise<void> {
    this.guard.run("handleChainEnd", () => this.tracker.chainEnd(runId, outputs));
    return DONE;
  }

  override handleChainError(error: unknown, runId: string): Promise<void> {
    this.guard.run("handleChainError", () => this.tracker.runError(runId, error));
    return DONE;
  }

  override handleChatModelStart(...args: unknown[]): Promise<void> {
    if (!this.syncHooks) this.guard.run("handleChatModelStart", () => this.tracker.llmStart(chatModelStartOf(args, false)));
    return this.stopIfAborted(args[2]);
  }

  override handleLLMStart(...args: unknown[]): Promise<void> {
    if (!this.syncHooks) this.guard.run("handleLLMStart", () => this.tracker.llmStart(llmStartOf(args, false)));
    return this.stopIfAborted(args[2]);
  }

  /**
   * A run guard with action "abort" tripped in this run: stop this model or tool call before it
   * executes. LangChain (with raiseError) rejects the call with the thrown error.
   */
  private stopIfAborted(runId: unknown): Promise<void> {
    if (!this.tracker.guards.aborts) return DONE;
    const error = this.guard.run("guards", () => this.tracker.abortError(runId));
    return error === undefined ? DONE : Promise.reject(error);
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): Promise<void> {
    this.guard.run("handleLLMNewToken", () => this.tracker.llmNewToken(runId));
    return DONE;
  }

  /** LangChain's newer streaming protocol (content-block events) instead of handleLLMNewToken. */
  override handleChatModelStreamEvent(event: unknown, runId: string): Promise<void> {
    this.guard.run("handleChatModelStreamEvent", () => {
      const kind = (event as { event?: unknown } | null)?.event;
      if (kind === "content-block-delta") this.tracker.llmNewToken(runId);
      else if (kind === "content-block-start") this.tracker.llmNewToken(runId, true);
    });
    return DONE;
  }

  override handleLLMEnd(output: unknown, runId: string): Promise<void> {
    this.guard.run("handleLLMEnd", () => this.tracker.llmEnd(runId, output));
    return DONE;
  }

  override handleLLMError(error: unknown, runId: string): Promise<void> {
    this.guard.run("handleLLMError", () => this.tracker.runError(runId, error, "llm"));
    return DONE;
  }

  override handleToolStart(...args: unknown[]): Promise<void> {
    if (!this.syncHooks) this.guard.run("handleToolStart", () => this.tracker.toolStart(toolStartOf(args, false)));
    return this.stopIfAborted(args[2]);
  }

  override handleToolEnd(output: unknown, runId: string): Promise<void> {
    this.guard.run("handleToolEnd", () => this.tracker.toolEnd(runId, output));
    return DONE;
  }

  override handleToolError(error: unknown, runId: string): Promise<void> {
    this.guard.run("handleToolError", () => this.tracker.runError(runId, error, "tool"));
    return DONE;
  }

  override handleRetrieverStart(...args: unknown[]): Promise<void> {
    if (this.syncHooks) return DONE;
    this.guard.run("handleRetrieverStart", () => this.tracker.retrieverStart(retrieverStartOf(args, false)));
    return DONE;
  }

  override handleRetrieverEnd(documents: unknown, runId: string): Promise<void> {
    this.guard.run("handleRetrieverEnd", () => this.tracker.retrieverEnd(runId, documents));
    return DONE;
  }

  override handleRetrieverError(error: unknown, runId: string): Promise<void> {
    this.guard.run("handleRetrieverError", () => this.tracker.runError(runId, error, "retriever"));
    return DONE;
  }
}
