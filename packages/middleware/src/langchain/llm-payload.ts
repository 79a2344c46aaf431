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
  /** Descriptions of the tools the model was given, by tool name (for the `execute_tool` spans that follow). */
  toolDescriptions: [string, string][];
}

/** Longest `gen_ai.tool.description` kept. */
export const MAX_TOOL_DESCRIPTION = 256;
/** Most tool definitions read from one model call. */
const MAX_TOOL_DEFINITIONS = 64;

/**
 * The base URL a serialized model was configured with, where LangChain's integrations keep it:
 * ChatOpenAI `configuration.baseURL`, ChatAnthropic `anthropicApiUrl` (serialized as
 * `anthropic_api_url`), AzureChatOpenAI `azureOpenAIEndpoint` (`azure_endpoint`), ChatOllama and
 * others `baseUrl`. Undefined when the model uses its SDK's default (or is not serializable).
 */
function baseUrlOf(kwargs: Dict): string | undefined {
  const configuration = dict(kwargs.configuration);
  return text(
    configuration.baseURL,
    configuration.basePath,
    kwargs.anthropicApiUrl,
    kwargs.anthropic_api_url,
    kwargs.azureOpenAIEndpoint,
    kwargs.azure_endpoint,
    kwargs.azureOpenAIBasePath,
    kwargs.azure_open_ai_base_path,
    kwargs.baseUrl,
    kwargs.base_url,
    kwargs.baseURL,
    kwargs.endpointUrl,
  );
}

/**
 * `server.address` / `server.port` from a base URL: the host name and the explicit port, else the
 * scheme's default (443 / 80). Only http(s) URLs; never the credentials, path or query.
 */
export function serverOf(url: string | undefined): { address: string; port: number } | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const defaultPort = parsed.protocol === "https:" ? 443 : parsed.protocol === "http:" ? 80 : undefined;
  const address = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (defaultPort === undefined || address === "") return undefined;
  return { address, port: parsed.port === "" ? defaultPort : Number(parsed.port) };
}

/** (name, description) of the tool definitions in invocation params: OpenAI's `{ function: { name, description } }` or Anthropic's `{ name, description }`. */
function toolDescriptionsOf(tools: unknown): [string, string][] {
  if (!Array.isArray(tools)) return [];
  const out: [string, string][] = [];
  for (const t of tools.slice(0, MAX_TOOL_DEFINITIONS)) {
    const fn = dict(dict(t).function);
    const name = text(fn.name, dict(t).name);
    const description = text(fn.description, dict(t).description);
    if (name !== undefined && description !== undefined) out.push([name, description.slice(0, MAX_TOOL_DESCRIPTION)]);
  }
  return out;
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
  // Known at the start, so a streamed call that fails before its first chunk is still marked
  // (calls that LangChain streams on its own, for a streaming handler, are marked at their first chunk).
  if (params.stream === true || params.streaming === true || kwargs.streaming === true) set(ATTR.requestStream, true);
  const server = serverOf(baseUrlOf(kwargs));
  if (server !== undefined) {
    set(ATTR.serverAddress, server.address);
    set(ATTR.serverPort, server.port);
  }
  return { provider, model, attributes, toolDescriptions: toolDescriptionsOf(params.tools) };
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
