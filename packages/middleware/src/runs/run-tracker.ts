import type { Span, Tracer } from "@opentelemetry/api";

import type { ContentCapture } from "../content/capture.js";
import { Charger } from "../cost/charge.js";
import { RunGuards } from "../cost/run-guards.js";
import { SpendLimits } from "../cost/spend-limits.js";
import type { DriftMonitor } from "../drift/drift-monitor.js";
import type { Evaluations } from "../evaluations/evaluations.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { ResolvedOptions } from "../options.js";
import type { Conversations } from "../outcomes/conversations.js";
import { AgentRuns } from "./agent-runs.js";
import { countCancellation } from "./cancellation.js";
import { ChainRuns } from "./chain-runs.js";
import type { ChainStart, LlmStart, RetrieverStart, ToolStart } from "./events.js";
import { Handoffs } from "./handoffs.js";
import { InterruptLinks } from "./interrupt-links.js";
import { RunLifecycle } from "./lifecycle.js";
import { LlmRuns } from "./llm-runs.js";
import { ModelRetries } from "./model-retries.js";
import { NestedAgentRuns } from "./nested-agent-runs.js";
import { isNestedAgent } from "./nested-agents.js";
import type { RootState, RunKind } from "./run-record.js";
import { ToolRuns } from "./tool-runs.js";

/**
 * The LangChain-independent core: run starts and ends in, spans and metrics out. It puts the
 * shared lifecycle (runs/lifecycle.ts) together with one module per run kind (agent, chain/node,
 * model, tool/retriever) and routes each event to its kind.
 */
export class RunTracker {
  readonly tracer: Tracer;
  readonly guards: RunGuards;
  private readonly lifecycle: RunLifecycle;
  private readonly agents: AgentRuns;
  private readonly chains: ChainRuns;
  private readonly nested: NestedAgentRuns;
  private readonly llms: LlmRuns;
  private readonly tools: ToolRuns;
  private readonly retries: ModelRetries;

  constructor(
    options: ResolvedOptions,
    metrics: AgentWatchMetrics,
    content: ContentCapture,
    evaluations: Evaluations,
    conversations?: Conversations,
    drift?: DriftMonitor,
  ) {
    this.tracer = options.tracerProvider.getTracer("@agentwatch/middleware", "0.1.0");
    this.lifecycle = new RunLifecycle(this.tracer, {
      runTtlMs: options.runTtlMs,
      maxOpenRuns: options.maxOpenRuns,
      awaitCallbacks: options.awaitCallbacks,
      onEvicted: () => metrics.self.evicted(),
      onCancelled: (run) => countCancellation(metrics, run),
    });
    const limits = new SpendLimits(options.guards, options.store, metrics);
    this.guards = new RunGuards(options.guards, metrics, limits.enabled ? limits : undefined);
    const roots = { agentName: options.agentName, attributionLabels: options.attributionLabels };
    const charger = new Charger(options.prices, metrics, this.guards);
    // Interrupted runs waiting for their resume are bounded like open runs.
    this.agents = new AgentRuns(
      this.lifecycle,
      metrics,
      content,
      evaluations,
      roots,
      new InterruptLinks(options.maxOpenRuns),
      conversations,
    );
    this.retries = new ModelRetries(metrics);
    this.chains = new ChainRuns(this.lifecycle, metrics, options.showAllRuns, new Handoffs(metrics), this.retries);
    this.nested = new NestedAgentRuns(this.lifecycle, metrics, content);
    this.llms = new LlmRuns(this.lifecycle, metrics, content, this.guards, charger, roots, drift, this.retries);
    this.tools = new ToolRuns(this.lifecycle, metrics, content, this.guards, evaluations, roots, conversations);
  }

  /** Runs started and not yet ended (or evicted). */
  get openRuns(): number {
    return this.lifecycle.runs.size;
  }

  chainStart(event: ChainStart): void {
    const place = this.lifecycle.place(event.runId, event.parentRunId);
    if (place === undefined) return;
    const { parent } = place;
    if (parent === undefined) this.agents.start(place, event);
    else if (isNestedAgent(event.serialized, event.tags)) this.nested.start({ id: place.id, parent }, event);
    else this.chains.start({ id: place.id, parent }, event);
  }

  llmStart(event: LlmStart): void {
    const place = this.lifecycle.place(event.runId, event.parentRunId);
    if (place !== undefined) this.llms.start(place, event);
  }

  toolStart(event: ToolStart): void {
    const place = this.lifecycle.place(event.runId, event.parentRunId);
    if (place !== undefined) this.tools.toolStart(place, event);
  }

  retrieverStart(event: RetrieverStart): void {
    const place = this.lifecycle.place(event.runId, event.parentRunId);
    if (place !== undefined) this.tools.retrieverStart(place, event);
  }

  /** A streamed chunk arrived; with `firstOnly`, it counts only if it is the first (a block start before its deltas). */
  llmNewToken(runId: unknown, firstOnly = false): void {
    this.llms.newToken(runId, firstOnly);
  }

  chainEnd(runId: unknown, outputs: unknown): void {
    const run = this.lifecycle.finish(runId);
    if (run === undefined) return;
    this.retries.chainEnded(run, false);
    this.lifecycle.end(run, undefined, outputs);
  }

  llmEnd(runId: unknown, output: unknown): void {
    this.llms.end(runId, output);
  }

  toolEnd(runId: unknown, output: unknown): void {
    this.tools.toolEnd(runId, output);
  }

  retrieverEnd(runId: unknown, documents: unknown): void {
    this.tools.retrieverEnd(runId, documents);
  }

  /** Any run ended with an error (or with LangGraph control flow, which is not an error). */
  runError(runId: unknown, error: unknown, expected?: RunKind): void {
    const run = this.lifecycle.finish(runId, expected);
    if (run === undefined) return;
    this.retries.chainEnded(run, true);
    this.lifecycle.end(run, error === undefined ? new Error("unknown error") : error);
  }

  /** The span (kept, or the nearest kept ancestor's) and root of an open run, for records made under it. */
  spanOf(runId: unknown): { span: Span | undefined; root: RootState } | undefined {
    const run = this.lifecycle.get(runId);
    return run === undefined ? undefined : { span: run.parentSpan, root: run.root };
  }

  /** The guard error that stops `runId` (a model or tool call that just started), ending its span with it. */
  abortError(runId: unknown): Error | undefined {
    return this.lifecycle.abort(runId);
  }

  /** Stops the background TTL sweep (runs still end normally). */
  close(): void {
    this.lifecycle.close();
  }
}
