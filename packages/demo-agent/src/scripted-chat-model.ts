import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
  type LangSmithParams,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { type ChatGeneration, ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { checkLatencyProfile, checkSpeed, type LatencyProfile, sampleFirstTokenMs, samplePerTokenMs } from "./latency.js";
import { type Random, seededRandom } from "./prng.js";
import { ProviderError } from "./provider-error.js";
import { planResponse, type ScriptedResponse } from "./scripted-response.js";
import { scriptedInputTokens } from "./scripted-usage.js";
import { sleep } from "./sleep.js";

/** Constructor fields of {@link ScriptedChatModel}; all optional. */
export interface ScriptedChatModelFields extends BaseChatModelParams {
  /** Request model name. Default "acme-scripted-1". */
  model?: string;
  /** Model name reported in the response. Default `${model}-2026-11-01`. */
  responseModel?: string;
  /** Default "fp_acme_0001". */
  systemFingerprint?: string;
  /** Reported as `ls_provider`. Default "scripted". */
  provider?: string;
  /** Default 0.2. */
  temperature?: number;
  /** Default 512. */
  maxTokens?: number;
  /** Default 1. */
  topP?: number;
  /** Real delay before the first chunk (or before answering at all). Wins over `latency`. Default 0. */
  firstTokenDelayMs?: number;
  /** Real delay between streamed chunks; a non-streamed call waits `first + n * per`. Wins over `latency`. Default 0. */
  perTokenDelayMs?: number;
  /**
   * Draw the delays from these distributions (e.g. {@link REALISTIC_LATENCY}) with a seeded PRNG, for
   * whichever of `firstTokenDelayMs` / `perTokenDelayMs` is not given. Default: no sampled delays.
   */
  latency?: LatencyProfile;
  /** Every delay (given or sampled) is divided by this; e.g. 50 for fast tests. Default 1. */
  speed?: number;
  /** Multiplies the time to first token (the latency-spike incident uses 10). Default 1. */
  ttftMultiplier?: number;
  /** Seed of the PRNGs that draw delays and failures. Default 1. */
  seed?: number;
  /** The PRNG for delays; default `seededRandom(seed)`. Copies made by `bindTools` share it. */
  random?: Random;
  /** The PRNG for `errorRate`; default `seededRandom(seed + 1)`. Copies made by `bindTools` share it. */
  failureRandom?: Random;
  /** Share (0..1) of calls that fail like a provider under load: HTTP 429 (two in three) or 500. Default 0. */
  errorRate?: number;
  /** Stream inside `invoke` too (as `streaming: true` does for ChatOpenAI), so token callbacks fire. Default false. */
  streaming?: boolean;
  /** When false, usage reports no cache reads (the prompt cache stopped hitting). Default true. */
  cacheReads?: boolean;
  /** Cut every text answer to this many words. Default: no limit. */
  maxAnswerWords?: number;
  /** Call each support tool once, one after another, before answering (many calls per question). Default false. */
  chainTools?: boolean;
  /** If set, every call throws the returned error (after `firstTokenDelayMs`). */
  failWith?: () => Error;
  /** Awaited at the start of every call, inside the model run (e.g. to start a span as an HTTP client would). */
  onCall?: (messages: BaseMessage[]) => void | Promise<void>;
  /** Never used: only here to prove secrets in invocation params never leak into telemetry. */
  apiKey?: string;
  /** When false, no `usage_metadata` is reported. Default true. */
  reportUsage?: boolean;
  /** After a tool result, call the same tool with the same arguments again instead of answering: a runaway tool loop. Default false. */
  loopTools?: boolean;
  /** Names of the bound tools; set by {@link ScriptedChatModel.bindTools}. */
  toolNames?: string[];
}

/** What {@link ScriptedChatModel.invocationParams} returns, shaped like OpenAI's. */
export interface ScriptedInvocationParams {
  model: string;
  temperature: number;
  max_tokens: number;
  top_p: number;
  apiKey?: string;
}

/** The name of a tool in any of the shapes `bindTools` accepts. */
function toolName(tool: BindToolsInput): string | undefined {
  const record = tool as { name?: unknown; function?: { name?: unknown } };
  if (typeof record.name === "string") return record.name;
  if (typeof record.function?.name === "string") return record.function.name;
  return undefined;
}

/**
 * An offline, deterministic chat model for the Acme support agent: no network, simple
 * intent rules (order → `lookup_order`, refund → `refund_policy`, ticket / human →
 * `create_ticket`, else an answer from the retrieved context), OpenAI-shaped metadata
 * and usage, real delays, and word-by-word streaming.
 *
 * By default it answers at once. With `latency` (e.g. `REALISTIC_LATENCY`) its delays are
 * drawn from seeded distributions; `speed` divides every delay, `ttftMultiplier` stretches the time
 * to first token, `errorRate` fails a seeded share of calls like a provider under load, and
 * `cacheReads`, `maxAnswerWords`, `loopTools` and `chainTools` reproduce the demo's incidents.
 */
export class ScriptedChatModel extends BaseChatModel {
  static override lc_name(): string {
    return "ScriptedChatModel";
  }

  readonly model: string;
  readonly responseModel: string;
  readonly systemFingerprint: string;
  readonly provider: string;
  readonly temperature: number;
  readonly maxTokens: number;
  readonly topP: number;
  readonly firstTokenDelayMs: number;
  readonly perTokenDelayMs: number;
  readonly reportUsage: boolean;
  readonly loopTools: boolean;
  readonly chainTools: boolean;
  readonly cacheReads: boolean;
  readonly maxAnswerWords: number | undefined;
  readonly streaming: boolean;
  readonly latency: LatencyProfile | undefined;
  readonly speed: number;
  readonly ttftMultiplier: number;
  readonly errorRate: number;
  readonly random: Random;
  readonly failureRandom: Random;
  readonly toolNames: readonly string[];
  readonly failWith: (() => Error) | undefined;
  readonly onCall: ((messages: BaseMessage[]) => void | Promise<void>) | undefined;
  readonly apiKey: string | undefined;
  private readonly fields: ScriptedChatModelFields;

  constructor(fields: ScriptedChatModelFields = {}) {
    super(fields);
    this.fields = fields;
    this.model = fields.model ?? "acme-scripted-1";
    this.responseModel = fields.responseModel ?? `${this.model}-2026-11-01`;
    this.systemFingerprint = fields.systemFingerprint ?? "fp_acme_0001";
    this.provider = fields.provider ?? "scripted";
    this.temperature = fields.temperature ?? 0.2;
    this.maxTokens = fields.maxTokens ?? 512;
    this.topP = fields.topP ?? 1;
    this.firstTokenDelayMs = fields.firstTokenDelayMs ?? 0;
    this.perTokenDelayMs = fields.perTokenDelayMs ?? 0;
    this.reportUsage = fields.reportUsage ?? true;
    this.loopTools = fields.loopTools ?? false;
    this.chainTools = fields.chainTools ?? false;
    this.cacheReads = fields.cacheReads ?? true;
    this.maxAnswerWords = fields.maxAnswerWords;
    this.streaming = fields.streaming ?? false;
    this.latency = fields.latency;
    if (this.latency !== undefined) checkLatencyProfile(this.latency, "ScriptedChatModel: latency");
    this.speed = checkSpeed(fields.speed ?? 1, "ScriptedChatModel: speed");
    this.ttftMultiplier = fields.ttftMultiplier ?? 1;
    if (!(Number.isFinite(this.ttftMultiplier) && this.ttftMultiplier >= 0)) {
      throw new TypeError(`ScriptedChatModel: ttftMultiplier must be a finite number >= 0, got ${JSON.stringify(fields.ttftMultiplier)}`);
    }
    this.errorRate = fields.errorRate ?? 0;
    if (!(this.errorRate >= 0 && this.errorRate <= 1)) {
      throw new TypeError(
        `ScriptedChatModel: errorRate must be a share from 0 to 1 (0.3 fails 30 % of calls), got ${JSON.stringify(fields.errorRate)}`,
      );
    }
    const seed = fields.seed ?? 1;
    this.random = fields.random ?? seededRandom(seed);
    this.failureRandom = fields.failureRandom ?? seededRandom(seed + 1);
    this.toolNames = fields.toolNames ?? [];
    this.failWith = fields.failWith;
    this.onCall = fields.onCall;
    this.apiKey = fields.apiKey;
  }

  _llmType(): string {
    return "scripted";
  }

  override invocationParams(_options?: this["ParsedCallOptions"]): ScriptedInvocationParams {
    return {
      model: this.model,
      temperature: this.temperature,
      max_tokens: this.maxTokens,
      top_p: this.topP,
      ...(this.apiKey !== undefined ? { apiKey: this.apiKey } : {}),
    };
  }

  override getLsParams(_options: this["ParsedCallOptions"]): LangSmithParams {
    return {
      ls_provider: this.provider,
      ls_model_name: this.model,
      ls_model_type: "chat",
      ls_temperature: this.temperature,
      ls_max_tokens: this.maxTokens,
    };
  }

  /** A new model with the same fields that may call `tools` (only their names matter). */
  override bindTools(tools: BindToolsInput[], _kwargs?: Partial<BaseChatModelCallOptions>): ScriptedChatModel {
    const names = tools.map(toolName).filter((n): n is string => n !== undefined);
    return new ScriptedChatModel({
      ...this.fields,
      random: this.random,
      failureRandom: this.failureRandom,
      toolNames: [...this.toolNames, ...names],
    });
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    if (this.streaming) {
      let aggregated: ChatGenerationChunk | undefined;
      for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
        aggregated = aggregated === undefined ? chunk : aggregated.concat(chunk);
      }
      if (aggregated === undefined) throw new Error("ScriptedChatModel: the stream produced no chunk");
      return { generations: [aggregated] };
    }
    await this.onCall?.(messages);
    const response = this.plan(messages);
    await this.beforeFirstChunk(messages, options.signal);
    let wait = 0;
    for (let i = 0; i < Math.max(1, response.pieces.length); i++) wait += this.perTokenDelay();
    await sleep(Math.round(wait), options.signal);
    const message = new AIMessage({
      id: response.id,
      content: response.pieces.join(""),
      tool_calls:
        response.reply.kind === "tool_call"
          ? [{ type: "tool_call", id: response.toolCallId, name: response.reply.name, args: response.reply.args }]
          : [],
      response_metadata: { ...response.responseMetadata },
      ...(response.usage !== undefined ? { usage_metadata: response.usage } : {}),
    });
    const generation: ChatGeneration = { text: message.text, message, generationInfo: { finish_reason: response.finishReason } };
    return { generations: [generation] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    await this.onCall?.(messages);
    const response = this.plan(messages);
    await this.beforeFirstChunk(messages, options.signal);
    if (response.reply.kind === "tool_call") {
      const args = JSON.stringify(response.reply.args);
      const chunk = this.chunk(response, "", true, [
        { type: "tool_call_chunk", id: response.toolCallId, name: response.reply.name, args, index: 0 },
      ]);
      yield chunk;
      await runManager?.handleLLMNewToken("", undefined, undefined, undefined, undefined, { chunk });
      return;
    }
    for (const [i, piece] of response.pieces.entries()) {
      if (i > 0) await sleep(Math.round(this.perTokenDelay()), options.signal);
      const chunk = this.chunk(response, piece, i === response.pieces.length - 1);
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, { chunk });
    }
  }

  private plan(messages: readonly BaseMessage[]): ScriptedResponse {
    return planResponse(messages, {
      model: this.model,
      responseModel: this.responseModel,
      systemFingerprint: this.systemFingerprint,
      reportUsage: this.reportUsage,
      toolNames: this.toolNames,
      loopTools: this.loopTools,
      chainTools: this.chainTools,
      cacheReads: this.cacheReads,
      ...(this.maxAnswerWords !== undefined ? { maxAnswerWords: this.maxAnswerWords } : {}),
    });
  }

  /** The time to first token of one call, in ms: given or drawn, times the multiplier, divided by the speed. */
  private firstTokenDelay(messages: readonly BaseMessage[]): number {
    const base =
      this.fields.firstTokenDelayMs !== undefined || this.latency === undefined
        ? this.firstTokenDelayMs
        : sampleFirstTokenMs(this.latency, this.random, scriptedInputTokens(messages));
    return (base * this.ttftMultiplier) / this.speed;
  }

  /** The time between two tokens, in ms: given or drawn, divided by the speed. */
  private perTokenDelay(): number {
    const base =
      this.fields.perTokenDelayMs !== undefined || this.latency === undefined
        ? this.perTokenDelayMs
        : samplePerTokenMs(this.latency, this.random);
    return base / this.speed;
  }

  /**
   * Decides whether this call fails (`errorRate`), waits the first-token delay, then fails if it
   * is scripted to (`failWith`, or the drawn provider error).
   */
  private async beforeFirstChunk(messages: readonly BaseMessage[], signal: AbortSignal | undefined): Promise<void> {
    let failure: Error | undefined;
    if (this.errorRate > 0 && this.failureRandom() < this.errorRate) failure = new ProviderError(this.failureRandom() < 2 / 3 ? 429 : 500);
    await sleep(Math.round(this.firstTokenDelay(messages)), signal);
    if (this.failWith !== undefined) throw this.failWith();
    if (failure !== undefined) throw failure;
  }

  /** One streamed chunk; the last one carries usage, response metadata and the finish reason. */
  private chunk(
    response: ScriptedResponse,
    text: string,
    last: boolean,
    toolCallChunks?: AIMessageChunk["tool_call_chunks"],
  ): ChatGenerationChunk {
    const message = new AIMessageChunk({
      id: response.id,
      content: text,
      ...(toolCallChunks !== undefined ? { tool_call_chunks: toolCallChunks } : {}),
      ...(last ? { response_metadata: { ...response.responseMetadata } } : {}),
      ...(last && response.usage !== undefined ? { usage_metadata: response.usage } : {}),
    });
    return new ChatGenerationChunk({
      text,
      message,
      ...(last ? { generationInfo: { finish_reason: response.finishReason } } : {}),
    });
  }
}
