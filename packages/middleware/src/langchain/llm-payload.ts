import type { Attributes } from "@opentelemetry/api";

import { ATTR, type TOKEN_PART, type TOKEN_TYPE } from "../semconv.js";
import { providerName } from "./provider.js";
import { type Dict, dict, num, text } from "./values.js";

/** The class name from a serialized LangChain object (`{ id: [..., "ChatOpenAI"] }`). */
export function serializedClass(serialized: unknown): string | undefined {
  const id = dict(serialized).id;
  return Array.isArray(id) && typeof id[id.length - 1] === "string" ? (id[id.length - 1] as string) : undefined;
}

/** What a model run's start tells: provider, model, and the request parameters (never secrets). */
export interface LlmRequest {
  provider: string;
  model: string;
  attributes: Attributes;
}

/**
 * Reads provider, model and request parameters from a model start. Parameters are picked by name
 * from a fixed list, so API keys and other secrets in invocation params never reach a span.
 */
export function llmRequest(serialized: unknown, extraParams: unknown, metadata: unknown): LlmRequest {
  const md = dict(metadata);
  const params = dict(dict(extraParams).invocation_params);
  const kwargs = dict(dict(serialized).kwargs);
  const provider = providerName(md.ls_provider, serializedClass(serialized));
  const model =
    text(md.ls_model_name, params.model, params.model_name, params.modelName, params.model_id, kwargs.model, kwargs.model_name) ??
    "unknown";
  const attributes: Attributes = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) attributes[key] = value as never;
  };
  set(ATTR.requestTemperature, num(params.temperature, md.ls_temperature));
  set(
    ATTR.requestMaxTokens,
    num(
      params.max_tokens,
      params.max_completion_tokens,
      params.maxTokens,
      params.maxOutputTokens,
      params.max_output_tokens,
      md.ls_max_tokens,
    ),
  );
  set(ATTR.requestTopP, num(params.top_p, params.topP));
  set(ATTR.requestTopK, num(params.top_k, params.topK));
  set(ATTR.requestFrequencyPenalty, num(params.frequency_penalty, params.frequencyPenalty));
  set(ATTR.requestPresencePenalty, num(params.presence_penalty, params.presencePenalty));
  set(ATTR.requestSeed, num(params.seed));
  const n = num(params.n, params.candidateCount);
  if (n !== undefined && n !== 1) set(ATTR.requestChoiceCount, n);
  const stop = params.stop ?? params.stop_sequences ?? params.stopSequences ?? md.ls_stop;
  if (Array.isArray(stop) && stop.every((s) => typeof s === "string")) set(ATTR.requestStopSequences, stop);
  else if (typeof stop === "string") set(ATTR.requestStopSequences, [stop]);
  return { provider, model, attributes };
}

/** Token counts by `gen_ai.token.type` (input, output) and by part of them (cache_read, cache_write, reasoning: already in input / output). */
export type TokenCounts = Partial<
  Record<(typeof TOKEN_TYPE)[keyof typeof TOKEN_TYPE] | (typeof TOKEN_PART)[keyof typeof TOKEN_PART], number>
>;

/** What a model run's end tells. */
export interface LlmResponse {
  responseModel?: string;
  responseId?: string;
  finishReasons: string[];
  systemFingerprint?: string;
  tokens?: TokenCounts;
}

/**
 * Reads usage and response metadata from an `LLMResult`. Usage comes from the message's
 * `usage_metadata` when present, else from `llmOutput.tokenUsage` / `llmOutput.usage`: never both.
 */
export function llmResponse(output: unknown): LlmResponse {
  const result = dict(output);
  const llmOutput = dict(result.llmOutput);
  const generations = Array.isArray(result.generations) && Array.isArray(result.generations[0]) ? (result.generations[0] as unknown[]) : [];
  const first = dict(generations[0]);
  const message = dict(first.message);
  const meta = dict(message.response_metadata);
  const finishReasons: string[] = [];
  for (const g of generations) {
    const gen = dict(g);
    const m = dict(dict(gen.message).response_metadata);
    const reason = text(dict(gen.generationInfo).finish_reason, m.finish_reason, m.stop_reason, m.stopReason);
    if (reason !== undefined) finishReasons.push(reason);
  }
  return {
    responseModel: text(meta.model_name, meta.model, meta.modelId, llmOutput.model_name, llmOutput.model),
    responseId: text(message.id, meta.id, llmOutput.id),
    finishReasons,
    systemFingerprint: text(meta.system_fingerprint, llmOutput.system_fingerprint),
    tokens: usage(message.usage_metadata) ?? legacyUsage(llmOutput),
  };
}

function usage(raw: unknown): TokenCounts | undefined {
  const u = dict(raw);
  const input = num(u.input_tokens);
  const output = num(u.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  const inDetails = dict(u.input_token_details);
  const outDetails = dict(u.output_token_details);
  const counts: TokenCounts = { input: input ?? 0, output: output ?? 0 };
  const cacheRead = num(inDetails.cache_read);
  const cacheWrite = num(inDetails.cache_creation);
  const reasoning = num(outDetails.reasoning);
  if (cacheRead) counts.cache_read = cacheRead;
  if (cacheWrite) counts.cache_write = cacheWrite;
  if (reasoning) counts.reasoning = reasoning;
  return counts;
}

function legacyUsage(llmOutput: Dict): TokenCounts | undefined {
  const t = dict(llmOutput.tokenUsage ?? llmOutput.estimatedTokenUsage ?? llmOutput.usage);
  const input = num(t.promptTokens, t.prompt_tokens, t.input_tokens);
  const output = num(t.completionTokens, t.completion_tokens, t.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  return { input: input ?? 0, output: output ?? 0 };
}
