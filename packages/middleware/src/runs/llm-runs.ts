import { type Attributes, type Span, SpanKind } from "@opentelemetry/api";

import { boundAttributes, type ContentCapture } from "../content/capture.js";
import type { Charger } from "../cost/charge.js";
import type { RunGuards } from "../cost/run-guards.js";
import { estimateUsage } from "../cost/token-estimate.js";
import type { DriftMonitor } from "../drift/drift-monitor.js";
import { llmRequest, type LlmResponse, llmResponse, type TokenCounts } from "../langchain/llm-payload.js";
import { inputMessages, outputMessages, outputText, promptMessages } from "../langchain/messages.js";
import { type PromptInfo, promptLabels } from "../langchain/prompt-provenance.js";
import { type Dict, dict } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { OperationLabels } from "../metrics/operations.js";
import { ATTR, EVENT, OPERATION, PROVIDER } from "../semconv.js";
import { nowMs } from "../util/clock.js";
import type { LlmStart } from "./events.js";
import type { RunLifecycle } from "./lifecycle.js";
import type { ModelRetries } from "./model-retries.js";
import { nestedProvider } from "./nested-agent-runs.js";
import type { StartPlace } from "./parenting.js";
import { conversationOf, newRootState, type RootSettings } from "./root-state.js";
import type { LlmInfo, RootState, RunRecord } from "./run-record.js";

/**
 * Model calls (chat and text completion): `chat {model}` CLIENT spans with provider, server,
 * conversation, request and response model, parameters, usage, finish reasons, prompt provenance
 * and (opt-in) messages; streamed chunks (time to first chunk, time per output chunk); tokens, response metrics, cost
 * (cost/charge.ts) and the model-call guard; retries and fallbacks of failed calls (runs/model-retries.ts).
 */
export class LlmRuns {
  constructor(
    private readonly lifecycle: RunLifecycle,
    private readonly metrics: AgentWatchMetrics,
    private readonly content: ContentCapture,
    private readonly guards: RunGuards,
    private readonly charger: Charger,
    private readonly roots: RootSettings,
    private readonly drift: DriftMonitor | undefined,
    private readonly retries: ModelRetries,
  ) {
    lifecycle.on(["llm"], {
      closing: (run, span) => {
        const first = run.llm?.firstChunkMs;
        if (first === undefined) return;
        span.setAttribute(ATTR.requestStream, true);
        span.setAttribute(ATTR.responseTimeToFirstChunk, (first - run.startMs) / 1000);
      },
      closed: (run, span, outcome) => {
        if (outcome.error !== undefined) this.retries.llmFailed(run, outcome.errorType);
        if (outcome.cancelled) return;
        const labels = operationLabels(run, outcome.errorType);
        this.metrics.operations.operation(labels, outcome.seconds, span);
        const first = run.llm?.firstChunkMs;
        if (first !== undefined) this.metrics.operations.firstChunk(labels, (first - run.startMs) / 1000, span);
      },
    });
  }

  start(place: StartPlace, event: LlmStart): void {
    const { id, parent } = place;
    const { operation } = event;
    const md = dict(event.metadata);
    const request = llmRequest(event.serialized, event.extraParams, md);
    const prompt = promptOf(parent, md);
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
        const { system, messages } = inputMessages(event.input);
        this.content.put(attributes, ATTR.inputMessages, "input.messages", messages);
        if (system.length > 0) this.content.put(attributes, ATTR.systemInstructions, "system_instructions", system);
      } else {
        this.content.put(attributes, ATTR.inputMessages, "input.messages", promptMessages(event.input));
      }
    }
    const root = parent?.root ?? newRootState(id, md, this.roots);
    const conversation = conversationOf(md) ?? root.conversationId;
    if (conversation !== undefined) attributes[ATTR.conversationId] = conversation;
    if (root.provider === undefined) {
      // The agent's provider is its first model call's (see runs/agent-runs.ts), set now so that
      // it is there however the run ends.
      root.provider = request.provider;
      root.span?.setAttribute(ATTR.providerName, request.provider);
    }
    nestedProvider(parent?.nested, request.provider);
    rememberToolDescriptions(root, request.toolDescriptions);
    root.llmCalls++;
    if (prompt.name !== undefined || prompt.hash !== undefined) {
      root.prompt = prompt;
      this.metrics.quality.promptUsed({ name: prompt.name ?? "", version: prompt.version ?? "", hash: prompt.hash ?? "" });
    }
    const llm: LlmInfo = {
      operation,
      provider: request.provider,
      model: request.model,
      firstChunkMs: undefined,
      lastChunkMs: undefined,
      prompt: event.input,
      promptInfo: prompt,
    };
    const run = this.lifecycle.open({
      id,
      kind: "llm",
      name: request.model,
      root,
      details: { llm },
      parent,
      spanName: `${operation} ${request.model}`,
      spanKind: SpanKind.CLIENT,
      attributes,
      activate: event.activate,
    });
    this.retries.llmStarted(run);
    this.guards.llmStarted(root, root.llmCalls);
  }

  /** A streamed chunk arrived; with `firstOnly`, it counts only if it is the first (a block start before its deltas). */
  newToken(runId: unknown, firstOnly = false): void {
    const run = this.lifecycle.get(runId);
    const llm = run?.llm;
    if (run === undefined || llm === undefined) return;
    if (firstOnly && llm.firstChunkMs !== undefined) return;
    const now = nowMs();
    if (llm.firstChunkMs === undefined) {
      llm.firstChunkMs = now;
      run.span?.addEvent(EVENT.firstChunk, now);
    } else if (llm.lastChunkMs !== undefined) {
      this.metrics.operations.outputChunk(operationLabels(run, ""), (now - llm.lastChunkMs) / 1000);
    }
    llm.lastChunkMs = now;
  }

  end(runId: unknown, output: unknown): void {
    const run = this.lifecycle.finish(runId, "llm");
    if (run !== undefined) this.lifecycle.ending(run, () => this.ended(run, output));
  }

  private ended(run: RunRecord, output: unknown): void {
    const response = llmResponse(output);
    const llm = run.llm as LlmInfo;
    const estimated = response.tokens === undefined;
    const tokens = response.tokens ?? estimateUsage(llm.prompt, output);
    llm.prompt = undefined;
    const span = run.span;
    if (span !== undefined) this.responseAttributes(span, llm.provider, response, tokens, estimated, output);
    this.metrics.operations.tokens(operationLabels(run, ""), tokens);
    const responseText = outputText(dict(output).generations, false);
    span?.setAttribute(ATTR.responseLength, responseText.length);
    this.metrics.quality.modelResponse(
      {
        provider: llm.provider,
        requestModel: llm.model,
        responseModel: response.responseModel ?? "",
        fingerprint: response.systemFingerprint ?? "",
        agent: run.agent,
      },
      responseText.length,
    );
    this.drift?.observeAnswer(run.agent, responseText, tokens.output, response.finishReasons[0]);
    if (estimated) this.metrics.cost.estimatedUsage({ provider: llm.provider, model: llm.model });
    this.charger.charge(run, llm, tokens);
    this.lifecycle.end(run, undefined);
  }

  private responseAttributes(
    span: Span,
    provider: string,
    response: LlmResponse,
    tokens: TokenCounts,
    estimated: boolean,
    output: unknown,
  ): void {
    const attributes: Attributes = {};
    if (response.responseModel !== undefined) attributes[ATTR.responseModel] = response.responseModel;
    if (response.responseId !== undefined) attributes[ATTR.responseId] = response.responseId;
    if (response.finishReasons.length > 0) attributes[ATTR.responseFinishReasons] = response.finishReasons;
    // `openai.*` attributes belong to OpenAI spans only: the conventions list the fingerprint on
    // `span.openai.inference.client` (provider "openai"), and spans of other providers (Azure
    // OpenAI included) "are not expected to include `openai.*` attributes".
    if (response.systemFingerprint !== undefined && provider === PROVIDER.openai) {
      attributes[ATTR.openaiSystemFingerprint] = response.systemFingerprint;
    }
    if (estimated) attributes[ATTR.usageEstimated] = true;
    attributes[ATTR.usageInputTokens] = tokens.input ?? 0;
    attributes[ATTR.usageOutputTokens] = tokens.output ?? 0;
    if (tokens.cache_read !== undefined) attributes[ATTR.usageCacheReadInputTokens] = tokens.cache_read;
    if (tokens.cache_write !== undefined) attributes[ATTR.usageCacheCreationInputTokens] = tokens.cache_write;
    if (tokens.reasoning !== undefined) attributes[ATTR.usageReasoningOutputTokens] = tokens.reasoning;
    if (this.content.enabled) {
      const messages = outputMessages(dict(output).generations, response.finishReasons[0]);
      this.content.put(attributes, ATTR.outputMessages, "output.messages", messages);
    }
    span.setAttributes(boundAttributes(attributes));
  }
}

/** Most tool descriptions kept per root run. */
const MAX_TOOL_DESCRIPTIONS = 256;

/** Keeps the descriptions of the tools a model call was given, for the `execute_tool` spans of the same run. */
function rememberToolDescriptions(root: RootState, descriptions: readonly [string, string][]): void {
  if (descriptions.length === 0) return;
  const known = (root.toolDescriptions ??= new Map());
  for (const [name, description] of descriptions) {
    if (known.size >= MAX_TOOL_DESCRIPTIONS && !known.has(name)) break;
    known.set(name, description);
  }
}

/** The prompt of a model call: metadata name/version, and the template that ran just before it under the same parent. */
function promptOf(parent: RunRecord | undefined, md: Dict): PromptInfo {
  let template: PromptInfo | undefined;
  for (let r = parent; r !== undefined && template === undefined; r = r.parent) template = r.prompt;
  return { ...template, ...promptLabels(md) };
}

/** The labels of a model call's operation metrics. */
function operationLabels(run: RunRecord, errorType: string): OperationLabels {
  const llm = run.llm;
  return {
    operation: llm?.operation ?? OPERATION.chat,
    provider: llm?.provider ?? "",
    model: llm?.model ?? "",
    agent: run.agent,
    errorType,
    promptVersion: llm?.promptInfo.version ?? "",
  };
}
