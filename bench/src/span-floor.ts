import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { type Context, ROOT_CONTEXT, type Span, trace, type Tracer } from "@opentelemetry/api";

/** LangChain run names that are graph plumbing, never a step of their own. */
const PLUMBING = new Set(["__start__", "__end__"]);

/**
 * The floor for any tracer that makes each agent step an OpenTelemetry span: a LangChain handler
 * that does nothing but start and end one SDK span per step agentwatch makes one for (the root, each
 * LangGraph node, each model, tool and retriever call), under its parent's span, with three
 * attributes, and no metrics, no parsing, no context activation. What agentwatch costs above it is
 * its own work; what it costs up to it, any OTel-based tracer of the same spans pays too.
 */
export class SpanFloorHandler extends BaseCallbackHandler {
  name = "span-floor";
  private readonly spans = new Map<string, Span>();
  /** Runs without a span of their own, by id → the nearest ancestor's span (undefined at the root). */
  private readonly collapsed = new Map<string, Span | undefined>();
  /** Node runs by id → their node name (a node's own inner runnables may carry its name too). */
  private readonly nodes = new Map<string, string>();

  constructor(private readonly tracer: Tracer) {
    super({ _awaitHandler: true });
  }

  private parentOf(parentRunId: string | undefined): Context {
    if (parentRunId === undefined) return ROOT_CONTEXT;
    const span = this.spans.get(parentRunId) ?? this.collapsed.get(parentRunId);
    return span === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, span);
  }

  private start(name: string, runId: string, parentRunId: string | undefined): void {
    const span = this.tracer.startSpan(
      name,
      { attributes: { "gen_ai.operation.name": name, "agentwatch.run.id": runId } },
      this.parentOf(parentRunId),
    );
    this.spans.set(runId, span);
  }

  private end(runId: string): void {
    const span = this.spans.get(runId);
    this.collapsed.delete(runId);
    this.nodes.delete(runId);
    if (span === undefined) return;
    this.spans.delete(runId);
    span.setAttribute("gen_ai.response.model", "bench");
    span.end();
  }

  override async handleChainStart(
    _chain: unknown,
    _inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    _runType?: string,
    runName?: string,
  ): Promise<void> {
    const node = metadata?.langgraph_node;
    const step =
      parentRunId === undefined ||
      (typeof node === "string" &&
        node === runName &&
        !PLUMBING.has(node) &&
        !(tags ?? []).includes("langsmith:hidden") &&
        this.nodes.get(parentRunId) !== node);
    if (step) {
      this.start(runName ?? "chain", runId, parentRunId);
      if (typeof node === "string") this.nodes.set(runId, node);
    } else
      this.collapsed.set(runId, parentRunId === undefined ? undefined : (this.spans.get(parentRunId) ?? this.collapsed.get(parentRunId)));
  }

  override async handleChatModelStart(_llm: unknown, _messages: unknown, runId: string, parentRunId?: string): Promise<void> {
    this.start("chat", runId, parentRunId);
  }

  override async handleToolStart(_tool: unknown, _input: string, runId: string, parentRunId?: string): Promise<void> {
    this.start("execute_tool", runId, parentRunId);
  }

  override async handleRetrieverStart(_retriever: unknown, _query: string, runId: string, parentRunId?: string): Promise<void> {
    this.start("retrieval", runId, parentRunId);
  }

  override async handleChainEnd(_outputs: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleChainError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleLLMEnd(_output: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleLLMError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleToolEnd(_output: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleToolError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleRetrieverEnd(_documents: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  override async handleRetrieverError(_error: unknown, runId: string): Promise<void> {
    this.end(runId);
  }

  /** Spans started and not yet ended (0 between invokes, or the floor leaks). */
  get open(): number {
    return this.spans.size;
  }
}
