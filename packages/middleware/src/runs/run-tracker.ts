import { type Attributes, type Context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { nowMs } from "../util/clock.js";
import { boundAttributes, type ContentCapture, safeJson } from "../content/capture.js";
import { enterContext, restoreContext, startingContext } from "./context-activation.js";
import { controlFlowKind, errorMessage, errorType, exceptionOf, isControlFlow } from "../langchain/error-info.js";
import { llmRequest, llmResponse, serializedClass, type TokenCounts } from "../langchain/llm-payload.js";
import { inputMessages, outputMessages, promptMessages } from "../langchain/messages.js";
import { type AgentWatchMetrics, type OperationLabels } from "../metrics/agentwatch-metrics.js";
import type { ResolvedOptions } from "../options.js";
import { type LlmInfo, type RootState, type RunDetails, type RunKind, RunRecord } from "./run-record.js";
import { RunGuards } from "../cost/run-guards.js";
import { RunStore } from "./run-store.js";
import { Pricer } from "../cost/pricing.js";
import { countTokens } from "../cost/token-estimate.js";
import { messageRole, messagesText, outputText } from "../langchain/messages.js";
import { ATTR, EVENT, OPERATION } from "../semconv.js";
import type { Evaluations } from "../evaluations/evaluations.js";
import { EVALUATOR_AGENT } from "../evaluations/evaluator-agent.js";
import { isPromptTemplate, type PromptInfo, promptLabels, templateHash } from "../langchain/prompt-provenance.js";
import { diag } from "@opentelemetry/api";
import { clipText, type Dict, dict, text } from "../langchain/values.js";

/** LangChain run names that are graph plumbing even when not tagged hidden. */
const PLUMBING_NAMES = new Set(["__start__", "__end__", "__pregel_pull", "__pregel_push"]);

/** The LangChain-independent core: turns run starts and ends into spans and metrics. */
export class RunTracker {
  readonly runs: RunStore<RunRecord>;
  readonly tracer: Tracer;
  readonly guards: RunGuards;
  private readonly pricer: Pricer;
  /** Models already logged as unpriced (bounded). */
  private readonly unpricedLogged = new Set<string>();

  constructor(
    private readonly options: ResolvedOptions,
    readonly metrics: AgentWatchMetrics,
    private readonly content: ContentCapture,
    private readonly evaluations: Evaluations,
  ) {
    this.tracer = options.tracerProvider.getTracer("@agentwatch/middleware", "0.1.0");
    this.guards = new RunGuards(options.guards, metrics);
    this.pricer = new Pricer(options.prices);
    this.runs = new RunStore<RunRecord>(options.runTtlMs, options.maxOpenRuns, (run, now) => this.evict(run, now), nowMs);
  }

  // ---- starts -------------------------------------------------------------------------------

  chainStart(
    serialized: unknown,
    inputs: unknown,
    runId: unknown,
    parentRunId: unknown,
    tags: unknown,
    metadata: unknown,
    runType: unknown,
    runName: unknown,
    activate: boolean,
  ): void {
    const start = this.begin(runId, parentRunId);
    if (start === undefined) return;
    const { id, parent } = start;
    const md = dict(metadata);
    const name = text(runName) ?? serializedClass(serialized) ?? "chain";
    if (parent === undefined) {
      this.startRoot(id, name, md, inputs, activate);
      return;
    }
    if (isPromptTemplate(serialized)) {
      // The model call that follows a prompt template in a sequence is its sibling: leave the
      // template's identity on the shared parent for it.
      const info = promptLabels(md);
      const hash = templateHash(serialized);
      if (hash !== undefined) info.hash = hash;
      parent.prompt = info;
    }
    const kind = this.classifyChain(name, tags, md, parent);
    const node = text(md.langgraph_node);
    const step = typeof md.langgraph_step === "number" ? md.langgraph_step : undefined;
    if (kind === "hidden") {
      const hidden = new RunRecord(kind, name, nowMs(), parent.root, undefined, parent.parentSpan, parent, { node, step });
      hidden.childContext = parent.childContext;
      this.runs.add(id, hidden);
      return;
    }
    const attributes: Attributes = { [ATTR.runId]: id };
    if (kind === "node") {
      attributes[ATTR.langgraphNode] = name;
      if (step !== undefined) attributes[ATTR.langgraphStep] = step;
    } else {
      attributes[ATTR.runType] = text(runType) ?? "chain";
    }
    const spanName = kind === "node" ? name : `chain ${name}`;
    this.open(
      id,
      kind,
      name,
      parent.root,
      { node: kind === "node" ? name : node, step },
      parent,
      spanName,
      SpanKind.INTERNAL,
      attributes,
      activate,
    );
  }

  llmStart(
    operation: string,
    serialized: unknown,
    messagesOrPrompts: unknown,
    runId: unknown,
    parentRunId: unknown,
    extraParams: unknown,
    metadata: unknown,
    activate: boolean,
  ): void {
    const start = this.begin(runId, parentRunId);
    if (start === undefined) return;
    const { id, parent } = start;
    const md = dict(metadata);
    const request = llmRequest(serialized, extraParams, md);
    const prompt = this.promptOf(parent, md);
    const attributes: Attributes = {
      [ATTR.operationName]: operation,
      [ATTR.providerName]: request.provider,
      [ATTR.requestModel]: request.model,
      [ATTR.runId]: id,
      ...request.attributes,
    };
    if (prompt.name !== undefined) attributes[ATTR.promptName] = prompt.name;
    if (prompt.version !== undefined) attributes[ATTR.promptVersion] = prompt.version;
    if (prompt.hash !== undefined) attributes[ATTR.promptHash] = prompt.hash;
    if (this.content.enabled) {
      if (operation === OPERATION.chat) {
        const { system, messages } = inputMessages(messagesOrPrompts);
        this.setText(attributes, ATTR.inputMessages, "input.messages", messages);
        if (system.length > 0) this.setText(attributes, ATTR.systemInstructions, "system_instructions", system);
      } else {
        this.setText(attributes, ATTR.inputMessages, "input.messages", promptMessages(messagesOrPrompts));
      }
    }
    const root = parent?.root ?? this.standaloneRoot(id, md);
    root.llmCalls++;
    if (prompt.name !== undefined || prompt.hash !== undefined) {
      root.prompt = prompt;
      this.metrics.promptUsed(prompt.name ?? "", prompt.version ?? "", prompt.hash ?? "");
    }
    this.open(
      id,
      "llm",
      request.model,
      root,
      {
        llm: {
          operation,
          provider: request.provider,
          model: request.model,
          firstChunkMs: undefined,
          lastChunkMs: undefined,
          prompt: messagesOrPrompts,
          promptInfo: prompt,
        },
      },
      parent,
      `${operation} ${request.model}`,
      SpanKind.CLIENT,
      attributes,
      activate,
    );
    this.guards.llmStarted(root, root.llmCalls);
  }

  toolStart(
    serialized: unknown,
    input: unknown,
    runId: unknown,
    parentRunId: unknown,
    metadata: unknown,
    runName: unknown,
    toolCallId: unknown,
    activate: boolean,
  ): void {
    const start = this.begin(runId, parentRunId);
    if (start === undefined) return;
    const { id, parent } = start;
    const md = dict(metadata);
    const name = text(runName) ?? text(dict(serialized).name) ?? serializedClass(serialized) ?? "tool";
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.executeTool,
      [ATTR.toolName]: name,
      [ATTR.toolType]: "function",
      [ATTR.runId]: id,
    };
    const callId = text(toolCallId);
    if (callId !== undefined) attributes[ATTR.toolCallId] = callId;
    const description = text(dict(dict(serialized).kwargs).description) ?? text(dict(serialized).description);
    if (description !== undefined) attributes[ATTR.toolDescription] = description.slice(0, 256);
    this.setText(attributes, ATTR.toolCallArguments, "tool.call.arguments", input);
    const root = parent?.root ?? this.standaloneRoot(id, md);
    root.toolCalls++;
    this.open(id, "tool", name, root, NO_DETAILS, parent, `${OPERATION.executeTool} ${name}`, SpanKind.INTERNAL, attributes, activate);
    this.guards.toolStarted(root, name, input, root.toolCalls);
  }

  retrieverStart(
    serialized: unknown,
    query: unknown,
    runId: unknown,
    parentRunId: unknown,
    metadata: unknown,
    runName: unknown,
    activate: boolean,
  ): void {
    const start = this.begin(runId, parentRunId);
    if (start === undefined) return;
    const { id, parent } = start;
    const md = dict(metadata);
    const kwargs = dict(dict(serialized).kwargs);
    const dataSource = text(md.ls_retriever_name) ?? text(runName) ?? serializedClass(serialized) ?? "retriever";
    const provider = text(md.ls_vector_store_provider) ?? "";
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.retrieval,
      [ATTR.dataSourceId]: dataSource,
      [ATTR.runId]: id,
    };
    if (provider !== "") attributes[ATTR.providerName] = provider;
    const topK = [md.top_k, md.ls_retriever_k, kwargs.k, kwargs.top_k, dict(kwargs.searchKwargs).k].find((v) => typeof v === "number");
    if (typeof topK === "number") attributes[ATTR.requestTopK] = topK;
    this.setText(attributes, ATTR.retrievalQueryText, "retrieval.query", query);
    const root = parent?.root ?? this.standaloneRoot(id, md);
    this.open(
      id,
      "retriever",
      dataSource,
      root,
      { dataSource, provider },
      parent,
      `${OPERATION.retrieval} ${dataSource}`,
      SpanKind.CLIENT,
      attributes,
      activate,
    );
  }

  // ---- progress -----------------------------------------------------------------------------

  /** A streamed chunk arrived; with `firstOnly`, it counts only if it is the first (a block start before its deltas). */
  llmNewToken(runId: unknown, firstOnly = false): void {
    const run = this.runs.get(runId);
    const llm = run?.llm;
    if (run === undefined || llm === undefined) return;
    if (firstOnly && llm.firstChunkMs !== undefined) return;
    const now = nowMs();
    if (llm.firstChunkMs === undefined) {
      llm.firstChunkMs = now;
      run.span?.addEvent(EVENT.firstChunk, now);
    } else if (llm.lastChunkMs !== undefined) {
      this.metrics.outputChunk(this.opLabels(run, ""), (now - llm.lastChunkMs) / 1000);
    }
    llm.lastChunkMs = now;
  }

  // ---- ends ---------------------------------------------------------------------------------

  chainEnd(runId: unknown, outputs: unknown): void {
    const run = this.finish(runId);
    if (run === undefined) return;
    this.close(run, undefined, outputs);
  }

  llmEnd(runId: unknown, output: unknown): void {
    const run = this.finish(runId, "llm");
    if (run !== undefined) this.ending(run, () => this.llmEnded(run, output));
  }

  private llmEnded(run: RunRecord, output: unknown): void {
    const response = llmResponse(output);
    const llm = run.llm as LlmInfo;
    const estimated = response.tokens === undefined;
    const tokens = response.tokens ?? this.estimateTokens(llm.prompt, output);
    llm.prompt = undefined;
    const span = run.span;
    if (span !== undefined) {
      const attributes: Attributes = {};
      if (response.responseModel !== undefined) attributes[ATTR.responseModel] = response.responseModel;
      if (response.responseId !== undefined) attributes[ATTR.responseId] = response.responseId;
      if (response.finishReasons.length > 0) attributes[ATTR.responseFinishReasons] = response.finishReasons;
      if (response.systemFingerprint !== undefined) attributes[ATTR.openaiSystemFingerprint] = response.systemFingerprint;
      if (estimated) attributes[ATTR.usageEstimated] = true;
      attributes[ATTR.usageInputTokens] = tokens.input ?? 0;
      attributes[ATTR.usageOutputTokens] = tokens.output ?? 0;
      if (tokens.cache_read !== undefined) attributes[ATTR.usageCacheReadInputTokens] = tokens.cache_read;
      if (tokens.cache_write !== undefined) attributes[ATTR.usageCacheCreationInputTokens] = tokens.cache_write;
      if (tokens.reasoning !== undefined) attributes[ATTR.usageReasoningOutputTokens] = tokens.reasoning;
      if (this.content.enabled) {
        this.setText(
          attributes,
          ATTR.outputMessages,
          "output.messages",
          outputMessages(dict(output).generations, response.finishReasons[0]),
        );
      }
      span.setAttributes(boundAttributes(attributes));
    }
    this.metrics.tokens(this.opLabels(run, ""), tokens);
    const responseText = outputText(dict(output).generations, false);
    span?.setAttribute(ATTR.responseLength, responseText.length);
    this.metrics.modelResponse(
      llm.provider,
      llm.model,
      response.responseModel ?? "",
      response.systemFingerprint ?? "",
      run.root.agent,
      responseText.length,
    );
    if (estimated) this.metrics.estimatedUsage(llm.provider, llm.model);
    this.charge(run, llm, tokens);
    this.close(run, undefined);
  }

  toolEnd(runId: unknown, output: unknown): void {
    const run = this.finish(runId, "tool");
    if (run !== undefined) this.ending(run, () => this.toolEnded(run, output));
  }

  private toolEnded(run: RunRecord, output: unknown): void {
    if (this.content.enabled && run.span !== undefined) {
      const attributes: Attributes = {};
      const content = dict(output).content;
      this.setText(
        attributes,
        ATTR.toolCallResult,
        "tool.call.result",
        content !== undefined && dict(output).lc_serializable !== undefined ? content : output,
      );
      run.span.setAttributes(attributes);
    }
    this.close(run, undefined);
  }

  retrieverEnd(runId: unknown, documents: unknown): void {
    const run = this.finish(runId, "retriever");
    if (run !== undefined) this.ending(run, () => this.retrieverEnded(run, documents));
  }

  private retrieverEnded(run: RunRecord, documents: unknown): void {
    const docs = Array.isArray(documents) ? documents : [];
    const summary = docs.map((d) => {
      const md = dict(dict(d).metadata);
      const out: { id?: string; score?: number } = {};
      const docId = md.id ?? dict(d).id;
      if (docId !== undefined) out.id = clipText(String(docId));
      const score = md.score ?? md.relevance_score;
      if (typeof score === "number" && Number.isFinite(score)) out.score = score;
      return out;
    });
    run.span?.setAttribute(ATTR.retrievalDocumentCount, docs.length);
    run.span?.setAttribute(ATTR.retrievalDocuments, safeJson(summary));
    const scores = summary.flatMap((d) => (d.score === undefined ? [] : [d.score]));
    this.metrics.retrieval(run.root.agent, run.dataSource ?? "", docs.length, scores.length > 0 ? Math.max(...scores) : undefined);
    if (this.evaluations.online) {
      const texts = (run.root.documents ??= []);
      for (const d of docs.slice(0, MAX_SAMPLE_DOCS)) if (texts.length < MAX_SAMPLE_DOCS) texts.push(clip(text(dict(d).pageContent) ?? ""));
    }
    this.close(run, undefined);
  }

  /** Any run ended with an error (or with LangGraph control flow, which is not an error). */
  runError(runId: unknown, error: unknown, expected?: RunKind): void {
    const run = this.finish(runId, expected);
    if (run === undefined) return;
    this.close(run, error === undefined ? new Error("unknown error") : error);
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Validates ids; returns the run's parent record (undefined for a root), or undefined to ignore the start. */
  private begin(runId: unknown, parentRunId: unknown): { id: string; parent: RunRecord | undefined } | undefined {
    if (typeof runId !== "string" || runId === "" || this.runs.has(runId)) return undefined;
    if (parentRunId === undefined || parentRunId === null) return { id: runId, parent: undefined };
    const parent = this.runs.get(parentRunId);
    // A parent we do not know (evicted, never started, malformed): ignore the run and its subtree.
    return parent === undefined ? undefined : { id: runId, parent };
  }

  private classifyChain(name: string, tags: unknown, md: Dict, parent: RunRecord): RunKind {
    const hidden = (Array.isArray(tags) && tags.includes("langsmith:hidden")) || PLUMBING_NAMES.has(name);
    const isNode =
      !hidden && md.langgraph_node === name && !(parent.node === name && parent.step === md.langgraph_step && parent.kind === "node");
    if (isNode) return "node";
    return this.options.showAllRuns ? "chain" : "hidden";
  }

  private startRoot(id: string, name: string, md: Dict, inputs: unknown, activate: boolean): void {
    const root = this.standaloneRoot(id, md, name);
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.invokeAgent,
      [ATTR.agentName]: root.agent,
      [ATTR.runId]: id,
    };
    const conversation = text(md.thread_id) ?? text(md.conversation_id);
    if (conversation !== undefined) attributes[ATTR.conversationId] = conversation;
    const user = text(md.user_id);
    if (user !== undefined) attributes[ATTR.userId] = user;
    const session = text(md.session_id);
    if (session !== undefined) attributes[ATTR.sessionId] = session;
    if (this.content.enabled) this.setText(attributes, ATTR.inputMessages, "input.messages", inputs);
    if (this.evaluations.online) root.question = clip(questionOf(inputs));
    this.open(
      id,
      "agent",
      name,
      root,
      NO_DETAILS,
      undefined,
      `${OPERATION.invokeAgent} ${root.agent}`,
      SpanKind.INTERNAL,
      attributes,
      activate,
    );
  }

  private standaloneRoot(id: string, md: Dict, rootName?: string): RootState {
    // An evaluator's own model calls are counted apart from the app's traffic.
    const evaluation = md.agentwatch_evaluation === true;
    const attribution: Record<string, string> = { feature: evaluation ? "evaluation" : (text(md.feature) ?? "") };
    for (const label of this.options.attributionLabels) attribution[label] = text(md[label]) ?? "";
    return {
      id,
      span: undefined,
      agent: evaluation ? EVALUATOR_AGENT : (this.options.agentName ?? text(md.agent_name) ?? rootName ?? ""),
      flagged: false,
      attribution,
      baseContext: startingContext(),
      llmCalls: 0,
      toolCalls: 0,
      costUsd: 0,
      tokens: 0,
      toolCallCounts: new Map(),
      trips: new Set(),
      interrupted: false,
      // Set later on some runs; present from the start so every root state has one shape.
      question: undefined,
      documents: undefined,
      prompt: undefined,
      abort: undefined,
    };
  }

  /** The prompt of a model call: metadata name/version, and the template that ran just before it under the same parent. */
  private promptOf(parent: RunRecord | undefined, md: Dict): PromptInfo {
    let template: PromptInfo | undefined;
    for (let r = parent; r !== undefined && template === undefined; r = r.parent) template = r.prompt;
    return { ...template, ...promptLabels(md) };
  }

  /** Tokens estimated with a tokenizer from the prompt and completion text. */
  private estimateTokens(prompt: unknown, output: unknown): TokenCounts {
    return { input: countTokens(messagesText(prompt)), output: countTokens(outputText(dict(output).generations)) };
  }

  /** Prices a model call, puts the cost on its span, rolls it up to its node and root, and checks the guards. */
  private charge(run: RunRecord, llm: LlmInfo, tokens: TokenCounts): void {
    const root = run.root;
    root.tokens += (tokens.input ?? 0) + (tokens.output ?? 0);
    const cost = this.pricer.price(llm.provider, llm.model, tokens);
    if (cost.priced) {
      run.span?.setAttribute(ATTR.costUsd, cost.usd);
      for (let r: RunRecord | undefined = run.parent; r !== undefined; r = r.parent) r.costUsd += cost.usd;
      root.costUsd += cost.usd;
      this.metrics.cost(root.agent, llm.provider, llm.model, root.attribution, cost.usd);
    } else {
      run.span?.setAttribute(ATTR.costPriced, false);
      this.metrics.unpriced(llm.provider, llm.model);
      const key = `${llm.provider}/${llm.model}`;
      if (!this.unpricedLogged.has(key) && this.unpricedLogged.size < 1000) {
        this.unpricedLogged.add(key);
        diag.warn(
          `agentwatch: no price for model "${llm.model}" (provider "${llm.provider}"); its cost is not counted. Add it to the handler's prices option.`,
        );
      }
    }
    this.guards.usageAdded(root);
  }

  /** The span (kept, or the nearest kept ancestor's) and root of an open run, for records made under it. */
  spanOf(runId: unknown): { span: Span | undefined; root: RootState } | undefined {
    const run = this.runs.get(runId);
    return run === undefined ? undefined : { span: run.parentSpan, root: run.root };
  }

  /** The guard error that stops `runId` (a model or tool call that just started), ending its span with it. */
  abortError(runId: unknown): Error | undefined {
    const run = this.runs.get(runId);
    const error = run?.root.abort;
    if (run === undefined || error === undefined || (run.kind !== "llm" && run.kind !== "tool")) return undefined;
    this.runs.delete(runId as string);
    if (run.restore !== undefined) restoreContext(run.restore);
    this.close(run, error);
    return error;
  }

  private open(
    id: string,
    kind: RunKind,
    name: string,
    root: RootState,
    details: RunDetails,
    parent: RunRecord | undefined,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    activate: boolean,
  ): void {
    const startMs = nowMs();
    const parentContext = parent === undefined ? root.baseContext : childContextOf(parent);
    const span = this.tracer.startSpan(
      clipText(spanName),
      { kind: spanKind, attributes: boundAttributes(attributes), startTime: startMs },
      parentContext,
    );
    const record = new RunRecord(kind, name, startMs, root, span, span, parent, details);
    if (parent === undefined && kind === "agent") root.span = span;
    if (activate && this.options.awaitCallbacks) {
      const previous = startingContext();
      if (enterContext(childContextOf(record), previous, root.agent, root)) record.restore = previous;
    }
    this.runs.add(id, record);
  }

  /**
   * Runs `body`, which reads an ended run's output and closes the run. The output can be anything
   * (a getter that throws, a Proxy): if reading it fails, the run is closed all the same, without
   * it, and the error goes on to the guard. A span is never left open.
   */
  private ending(run: RunRecord, body: () => void): void {
    try {
      body();
    } catch (error) {
      if (run.span?.isRecording() === true) this.close(run, undefined);
      throw error;
    }
  }

  private finish(runId: unknown, expected?: RunKind): RunRecord | undefined {
    const run = this.runs.get(runId);
    if (run === undefined) return undefined;
    if (expected !== undefined && run.kind !== expected) return undefined;
    this.runs.delete(runId as string);
    // Awaited callbacks run in the ending run's own async context: put back what was active before
    // the run's span was entered, so nothing that settles after it (the caller's await) inherits it.
    if (run.restore !== undefined) restoreContext(run.restore);
    return run;
  }

  /** Ends a run's span and records its metrics; `error` undefined means success. */
  private close(run: RunRecord, error: unknown, outputs?: unknown): void {
    const endMs = nowMs();
    const seconds = Math.max(0, (endMs - run.startMs) / 1000);
    const span = run.span;
    let errType = "";
    if (error !== undefined) {
      if (isControlFlow(error)) {
        const kind = controlFlowKind(error);
        span?.addEvent(EVENT.controlFlow, { [ATTR.controlFlow]: kind }, endMs);
        span?.setAttribute(ATTR.controlFlow, kind);
        span?.setStatus({ code: SpanStatusCode.OK });
        if ((run.kind === "node" || run.kind === "agent") && !run.root.interrupted) {
          run.root.interrupted = true;
          this.metrics.interrupt(run.root.agent, run.kind === "node" ? run.name : "");
        }
      } else {
        errType = errorType(error);
        if (span !== undefined) {
          span.recordException(exceptionOf(error, errType), endMs);
          span.setAttribute(ATTR.errorType, errType);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        }
      }
    }
    if (span === undefined) return;
    const llm = run.llm;
    if (llm?.firstChunkMs !== undefined) {
      span.setAttribute(ATTR.requestStream, true);
      span.setAttribute(ATTR.responseTimeToFirstChunk, (llm.firstChunkMs - run.startMs) / 1000);
    }
    if (run.kind === "node" || run.kind === "agent") span.setAttribute(ATTR.costUsd, run.kind === "agent" ? run.root.costUsd : run.costUsd);
    const rootPrompt = run.kind === "agent" ? run.root.prompt : undefined;
    if (rootPrompt?.name !== undefined) span.setAttribute(ATTR.promptName, rootPrompt.name);
    if (rootPrompt?.version !== undefined) span.setAttribute(ATTR.promptVersion, rootPrompt.version);
    if (rootPrompt?.hash !== undefined) span.setAttribute(ATTR.promptHash, rootPrompt.hash);
    span.end(endMs);
    this.record(run, errType, seconds, span);
    if (run.kind === "agent") this.remember(run, error === undefined ? outputs : undefined);
  }

  private record(run: RunRecord, errType: string, seconds: number, span: Span): void {
    const agent = run.root.agent;
    switch (run.kind) {
      case "agent":
        this.metrics.agentRun(agent, errType, seconds, span, { llm: run.root.llmCalls, tool: run.root.toolCalls });
        this.metrics.runCost(agent, run.root.costUsd);
        break;
      case "node":
        this.metrics.node(agent, run.name, errType, seconds, span);
        break;
      case "tool":
        this.metrics.tool(run.name, agent, errType, seconds, span);
        break;
      case "llm": {
        const labels = this.opLabels(run, errType);
        this.metrics.operation(labels, seconds, span);
        const first = run.llm?.firstChunkMs;
        if (first !== undefined) this.metrics.firstChunk(labels, (first - run.startMs) / 1000, span);
        break;
      }
      case "retriever":
        this.metrics.operation(
          { operation: OPERATION.retrieval, provider: run.provider ?? "", model: "", agent, errorType: errType },
          seconds,
          span,
        );
        break;
      default:
        break;
    }
  }

  /** Keeps a finished root run for later scores and feedback, with a sample of its texts when evaluation is on. */
  private remember(run: RunRecord, outputs: unknown): void {
    const root = run.root;
    const span = root.span;
    if (span === undefined) return;
    const answer = this.evaluations.online && outputs !== undefined ? answerOf(outputs) : undefined;
    this.evaluations.runFinished({
      runId: root.id,
      spanContext: span.spanContext(),
      agent: root.agent,
      promptVersion: root.prompt?.version ?? "",
      flagged: root.flagged,
      evaluated: false,
      ...(answer !== undefined ? { sample: { question: root.question ?? "", answer: clip(answer), documents: root.documents ?? [] } } : {}),
    });
  }

  private opLabels(run: RunRecord, errType: string): OperationLabels {
    const llm = run.llm;
    return {
      operation: llm?.operation ?? OPERATION.chat,
      provider: llm?.provider ?? "",
      model: llm?.model ?? "",
      agent: run.root.agent,
      errorType: errType,
      promptVersion: llm?.promptInfo.version ?? "",
    };
  }

  private evict(run: RunRecord, now: number): void {
    this.metrics.evicted();
    if (run.span !== undefined) {
      run.span.setAttribute(ATTR.evicted, true);
      run.span.end(now);
    }
  }

  private setText(attributes: Attributes, key: string, field: Parameters<ContentCapture["text"]>[0], value: unknown): void {
    const captured = this.content.text(field, value);
    if (captured !== undefined) attributes[key] = captured;
  }
}

const NO_DETAILS: RunDetails = {};

/** The context a run's children start in, made once per run (a context is immutable). */
function childContextOf(run: RunRecord): Context {
  run.childContext ??= run.parentSpan === undefined ? run.root.baseContext : trace.setSpan(run.root.baseContext, run.parentSpan);
  return run.childContext;
}

const MAX_SAMPLE_DOCS = 8;
const MAX_SAMPLE_CHARS = 4000;

function clip(value: string): string {
  return value.length > MAX_SAMPLE_CHARS ? value.slice(0, MAX_SAMPLE_CHARS) : value;
}

/** The user's question in a run's inputs: the last human message, or a string input. */
function questionOf(inputs: unknown): string {
  if (typeof inputs === "string") return inputs;
  const d = dict(inputs);
  const messages = d.messages;
  if (Array.isArray(messages)) {
    const humans = messages.filter((m) => messageRole(m) === "user");
    return messagesText(humans.slice(-1));
  }
  return text(d.input, d.question, d.query) ?? "";
}

/** The final answer in a run's outputs: the last AI message, or a string output. */
function answerOf(outputs: unknown): string | undefined {
  if (typeof outputs === "string") return outputs;
  const d = dict(outputs);
  const messages = d.messages;
  if (Array.isArray(messages) && messages.length > 0) return messagesText(messages.slice(-1));
  return text(d.output, d.answer);
}
