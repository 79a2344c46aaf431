import type { Span } from "@opentelemetry/api";

import { BUCKETS, LABEL, METRIC, OPERATION } from "../semconv.js";
import type { Instruments } from "./instruments.js";
import type { Series } from "./series.js";
import type { CounterWrites, HistogramWrites } from "./series-writes.js";

/** The agent-step metrics: whole agent runs, LangGraph nodes and interrupts, tools, retrievals. */
export class AgentMetrics {
  private readonly invokeAgentDuration: HistogramWrites;
  private readonly executeToolDuration: HistogramWrites;
  private readonly nestedAgentDuration: HistogramWrites;
  private readonly nodeDuration: HistogramWrites;
  private readonly retrievalDocuments: HistogramWrites;
  private readonly retrievalTopScore: HistogramWrites;
  private readonly runLlmCalls: HistogramWrites;
  private readonly runToolCalls: HistogramWrites;
  private readonly interrupts: CounterWrites;
  private readonly handoffs: CounterWrites;
  private readonly cancellations: CounterWrites;

  constructor(
    instruments: Instruments,
    private readonly series: Series,
    options: { agentDurationBuckets: readonly number[] },
  ) {
    this.invokeAgentDuration = instruments.exemplarHistogram({
      name: METRIC.invokeAgentDuration,
      help: "Duration of whole agent runs (root runs). Human-in-the-loop interrupts are not errors.",
      labelNames: [LABEL.operationName, LABEL.agentName, LABEL.errorType],
      buckets: options.agentDurationBuckets,
    });
    this.nestedAgentDuration = instruments.exemplarHistogram({
      name: METRIC.nestedAgentDuration,
      help: "Duration of agents run inside another agent's node (a supervisor's expert, a subgraph agent); whole runs are in gen_ai_invoke_agent_duration_seconds.",
      labelNames: [LABEL.agent, LABEL.parentAgent, LABEL.errorType],
      buckets: options.agentDurationBuckets,
    });
    this.executeToolDuration = instruments.exemplarHistogram({
      name: METRIC.executeToolDuration,
      help: "Duration of tool executions.",
      labelNames: [LABEL.operationName, LABEL.toolName, LABEL.agentName, LABEL.errorType],
      buckets: BUCKETS.operationDuration,
    });
    this.nodeDuration = instruments.exemplarHistogram({
      name: METRIC.nodeDuration,
      help: "Duration of LangGraph node executions.",
      labelNames: [LABEL.agent, LABEL.node, LABEL.errorType],
      buckets: BUCKETS.operationDuration,
    });
    this.retrievalDocuments = instruments.histogramWrites({
      name: METRIC.retrievalDocuments,
      help: "Documents returned per retrieval.",
      labelNames: [LABEL.agent, LABEL.dataSourceId],
      buckets: BUCKETS.counts,
    });
    this.retrievalTopScore = instruments.histogramWrites({
      name: METRIC.retrievalTopScore,
      help: "Relevance score of the best document of each retrieval that reports scores (document metadata score).",
      labelNames: [LABEL.agent, LABEL.dataSourceId],
      buckets: BUCKETS.score,
    });
    this.runLlmCalls = instruments.histogramWrites({
      name: METRIC.runLlmCalls,
      help: "LLM calls per agent run.",
      labelNames: [LABEL.agent],
      buckets: BUCKETS.counts,
    });
    this.runToolCalls = instruments.histogramWrites({
      name: METRIC.runToolCalls,
      help: "Tool calls per agent run.",
      labelNames: [LABEL.agent],
      buckets: BUCKETS.counts,
    });
    this.interrupts = instruments.counterWrites({
      name: METRIC.interrupts,
      help: "Agent runs paused by a human-in-the-loop interrupt (LangGraph interrupt() / NodeInterrupt), once per run. Not errors.",
      labelNames: [LABEL.agent, LABEL.node],
    });
    this.handoffs = instruments.counterWrites({
      name: METRIC.handoffs,
      help: "LangGraph handoffs: a node handing control to another (Command goto, ParentCommand to the parent graph), one per target. Not interrupts, not errors.",
      labelNames: [LABEL.agent, LABEL.from, LABEL.to],
    });
    this.cancellations = instruments.counterWrites({
      name: METRIC.cancellations,
      help: "Invocations (root runs) the caller cancelled: aborted signal, stream no longer read. Not errors; in no duration histogram.",
      labelNames: [LABEL.operationName, LABEL.agentName],
    });
  }

  /** A whole agent run (a root run) ended, after `calls` model and tool calls. */
  run(labels: { agent: string; errorType: string }, seconds: number, span: Span | undefined, calls: { llm: number; tool: number }): void {
    const l = { [LABEL.operationName]: OPERATION.invokeAgent, [LABEL.agentName]: labels.agent, [LABEL.errorType]: labels.errorType };
    this.series.observe(this.invokeAgentDuration, METRIC.invokeAgentDuration, l, seconds, span);
    this.series.record(this.runLlmCalls, METRIC.runLlmCalls, { [LABEL.agent]: labels.agent }, calls.llm);
    this.series.record(this.runToolCalls, METRIC.runToolCalls, { [LABEL.agent]: labels.agent }, calls.tool);
  }

  /** An agent run inside another agent's node ended (not a whole run: those are {@link run}). */
  nestedRun(labels: { agent: string; parentAgent: string; errorType: string }, seconds: number, span: Span | undefined): void {
    const l = { [LABEL.agent]: labels.agent, [LABEL.parentAgent]: labels.parentAgent, [LABEL.errorType]: labels.errorType };
    this.series.observe(this.nestedAgentDuration, METRIC.nestedAgentDuration, l, seconds, span);
  }

  tool(labels: { agent: string; tool: string; errorType: string }, seconds: number, span: Span | undefined): void {
    const l = {
      [LABEL.operationName]: OPERATION.executeTool,
      [LABEL.toolName]: labels.tool,
      [LABEL.agentName]: labels.agent,
      [LABEL.errorType]: labels.errorType,
    };
    this.series.observe(this.executeToolDuration, METRIC.executeToolDuration, l, seconds, span);
  }

  node(labels: { agent: string; node: string; errorType: string }, seconds: number, span: Span | undefined): void {
    const l = { [LABEL.agent]: labels.agent, [LABEL.node]: labels.node, [LABEL.errorType]: labels.errorType };
    this.series.observe(this.nodeDuration, METRIC.nodeDuration, l, seconds, span);
  }

  /** A retrieval returned `documents`; `topScore` is the best document's score, if the retriever reports scores. */
  retrieval(labels: { agent: string; dataSource: string }, result: { documents: number; topScore: number | undefined }): void {
    const l = { [LABEL.agent]: labels.agent, [LABEL.dataSourceId]: labels.dataSource };
    this.series.record(this.retrievalDocuments, METRIC.retrievalDocuments, l, result.documents);
    if (result.topScore !== undefined) this.series.record(this.retrievalTopScore, METRIC.retrievalTopScore, l, result.topScore);
  }

  /** A human-in-the-loop interrupt paused a run; `node` is "" unless a node ended with it. */
  interrupt(labels: { agent: string; node: string }): void {
    this.series.count(this.interrupts, METRIC.interrupts, { [LABEL.agent]: labels.agent, [LABEL.node]: labels.node });
  }

  /** Node `from` handed control to node `to` (one call per target). */
  handoff(labels: { agent: string; from: string; to: string }): void {
    this.series.count(this.handoffs, METRIC.handoffs, { [LABEL.agent]: labels.agent, [LABEL.from]: labels.from, [LABEL.to]: labels.to });
  }

  /** The caller cancelled an invocation (a root run) of `operation`. */
  cancelled(labels: { agent: string; operation: string }): void {
    const l = { [LABEL.operationName]: labels.operation, [LABEL.agentName]: labels.agent };
    this.series.count(this.cancellations, METRIC.cancellations, l);
  }
}
