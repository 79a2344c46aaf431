import { type Attributes, SpanKind } from "@opentelemetry/api";

import { type ContentCapture, safeJson } from "../content/capture.js";
import type { RunGuards } from "../cost/run-guards.js";
import type { Evaluations } from "../evaluations/evaluations.js";
import { clipSample, MAX_SAMPLE_DOCS } from "../evaluations/sample-limits.js";
import { MAX_TOOL_DESCRIPTION, serializedClass } from "../langchain/llm-payload.js";
import { clipText, dict, text } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { Conversations } from "../outcomes/conversations.js";
import { ATTR, OPERATION } from "../semconv.js";
import type { RetrieverStart, ToolStart } from "./events.js";
import type { RunLifecycle } from "./lifecycle.js";
import type { StartPlace } from "./parenting.js";
import { conversationOf, newRootState, type RootSettings } from "./root-state.js";
import type { RunRecord } from "./run-record.js";

/** Longest retrieval `gen_ai.provider.name` (a label value). */
const MAX_RETRIEVAL_PROVIDER_LENGTH = 64;

/**
 * Tools and retrievers, the steps an agent calls for data: `execute_tool {tool}` spans (name,
 * call id, description, opt-in arguments and result; the tool-call and tool-loop guards) and
 * `retrieval {source}` CLIENT spans (data source, provider, top k, document ids and scores, opt-in
 * query; documents and top score metrics; documents kept for the evaluation sample).
 */
export class ToolRuns {
  constructor(
    private readonly lifecycle: RunLifecycle,
    private readonly metrics: AgentWatchMetrics,
    private readonly content: ContentCapture,
    private readonly guards: RunGuards,
    private readonly evaluations: Evaluations,
    private readonly roots: RootSettings,
    private readonly conversations: Conversations | undefined,
  ) {
    lifecycle.on(["tool"], {
      closed: (run, span, outcome) => {
        if (!outcome.cancelled)
          this.metrics.agents.tool({ agent: run.agent, tool: run.name, errorType: outcome.errorType }, outcome.seconds, span);
        this.conversations?.toolEnded(run.root, run.name, outcome.cancelled || outcome.errorType !== "");
      },
    });
    lifecycle.on(["retriever"], {
      closed: (run, span, outcome) => {
        if (outcome.cancelled) return;
        this.metrics.operations.operation(
          {
            operation: OPERATION.retrieval,
            provider: run.provider ?? "retriever",
            model: "",
            agent: run.agent,
            errorType: outcome.errorType,
          },
          outcome.seconds,
          span,
        );
      },
    });
  }

  toolStart(place: StartPlace, event: ToolStart): void {
    const { id, parent } = place;
    const serialized = dict(event.serialized);
    const name = text(event.runName) ?? text(serialized.name) ?? serializedClass(event.serialized) ?? "tool";
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.executeTool,
      [ATTR.toolName]: name,
      [ATTR.toolType]: "function",
      [ATTR.runId]: id,
    };
    const callId = text(event.toolCallId);
    if (callId !== undefined) attributes[ATTR.toolCallId] = callId;
    const md = dict(event.metadata);
    const root = parent?.root ?? newRootState(id, md, this.roots);
    // LangChain serializes most tools as "not_implemented" (no description): the description is
    // then the one the run's model was given for this tool name (its invocation params' tools).
    const description = text(dict(serialized.kwargs).description, serialized.description) ?? root.toolDescriptions?.get(name);
    if (description !== undefined) attributes[ATTR.toolDescription] = description.slice(0, MAX_TOOL_DESCRIPTION);
    // Not listed for execute_tool in v1.41.1, but the conversation is known and an execute_tool
    // span belongs to it as much as the chat span that asked for the call.
    const conversation = conversationOf(md) ?? root.conversationId;
    if (conversation !== undefined) attributes[ATTR.conversationId] = conversation;
    this.content.put(attributes, ATTR.toolCallArguments, "tool.call.arguments", event.input);
    root.toolCalls++;
    this.lifecycle.open({
      id,
      kind: "tool",
      name,
      root,
      details: {},
      parent,
      spanName: `${OPERATION.executeTool} ${name}`,
      spanKind: SpanKind.INTERNAL,
      attributes,
      activate: event.activate,
    });
    this.guards.toolStarted(root, name, event.input, root.toolCalls);
  }

  toolEnd(runId: unknown, output: unknown): void {
    const run = this.lifecycle.finish(runId, "tool");
    if (run !== undefined) this.lifecycle.ending(run, () => this.toolEnded(run, output));
  }

  retrieverStart(place: StartPlace, event: RetrieverStart): void {
    const { id, parent } = place;
    const md = dict(event.metadata);
    const kwargs = dict(dict(event.serialized).kwargs);
    const dataSource = text(md.ls_retriever_name) ?? text(event.runName) ?? serializedClass(event.serialized) ?? "retriever";
    // gen_ai.provider.name is "conditionally required when applicable" on retrieval spans but a
    // required label of gen_ai_client_operation_duration_seconds, so it is never empty: the vector
    // store's provider when the retriever reports one (`ls_vector_store_provider`), else the
    // retriever's class (what serves the retrieval), else "retriever"; at most 64 characters.
    const provider = clipText(
      text(md.ls_vector_store_provider) ?? serializedClass(event.serialized) ?? "retriever",
      MAX_RETRIEVAL_PROVIDER_LENGTH,
    );
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.retrieval,
      [ATTR.dataSourceId]: dataSource,
      [ATTR.runId]: id,
    };
    attributes[ATTR.providerName] = provider;
    const topK = [md.top_k, md.ls_retriever_k, kwargs.k, kwargs.top_k, dict(kwargs.searchKwargs).k].find((v) => typeof v === "number");
    if (typeof topK === "number") attributes[ATTR.requestTopK] = topK;
    this.content.put(attributes, ATTR.retrievalQueryText, "retrieval.query", event.query);
    this.lifecycle.open({
      id,
      kind: "retriever",
      name: dataSource,
      root: parent?.root ?? newRootState(id, md, this.roots),
      details: { dataSource, provider },
      parent,
      spanName: `${OPERATION.retrieval} ${dataSource}`,
      spanKind: SpanKind.CLIENT,
      attributes,
      activate: event.activate,
    });
  }

  retrieverEnd(runId: unknown, documents: unknown): void {
    const run = this.lifecycle.finish(runId, "retriever");
    if (run !== undefined) this.lifecycle.ending(run, () => this.retrieverEnded(run, documents));
  }

  private toolEnded(run: RunRecord, output: unknown): void {
    if (this.content.enabled && run.span !== undefined) {
      const attributes: Attributes = {};
      const content = dict(output).content;
      const result = content !== undefined && dict(output).lc_serializable !== undefined ? content : output;
      this.content.put(attributes, ATTR.toolCallResult, "tool.call.result", result);
      run.span.setAttributes(attributes);
    }
    this.lifecycle.end(run, undefined);
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
    this.metrics.agents.retrieval(
      { agent: run.agent, dataSource: run.dataSource ?? "" },
      { documents: docs.length, topScore: scores.length > 0 ? Math.max(...scores) : undefined },
    );
    if (this.evaluations.online) {
      const texts = (run.root.documents ??= []);
      for (const d of docs.slice(0, MAX_SAMPLE_DOCS)) {
        if (texts.length < MAX_SAMPLE_DOCS) texts.push(clipSample(text(dict(d).pageContent) ?? ""));
      }
    }
    this.lifecycle.end(run, undefined);
  }
}
