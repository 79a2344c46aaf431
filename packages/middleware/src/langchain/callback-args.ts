import type { ChainStart, LlmStart, RetrieverStart, ToolStart } from "../runs/events.js";
import { OPERATION } from "../semconv.js";

/**
 * LangChain's start callbacks, read into typed events. The argument orders are the ones LangChain
 * really uses (core 1.4): `handleChainStart` is called as (chain, inputs, runId, parentRunId,
 * tags, metadata, runType, runName), whatever its `.d.ts` says. The synchronous tracer hooks
 * (`_createRunFor*Start`) take the same order as their callbacks.
 */
export function chainStartOf(args: readonly unknown[], activate: boolean): ChainStart {
  const [serialized, inputs, runId, parentRunId, tags, metadata, runType, runName] = args;
  return { serialized, inputs, runId, parentRunId, tags, metadata, runType, runName, activate };
}

/** (llm, messages, runId, parentRunId, extraParams, tags, metadata): a chat model's start. */
export function chatModelStartOf(args: readonly unknown[], activate: boolean): LlmStart {
  return llmStart(OPERATION.chat, args, activate);
}

/** (llm, prompts, runId, parentRunId, extraParams, tags, metadata): a completion model's start. */
export function llmStartOf(args: readonly unknown[], activate: boolean): LlmStart {
  return llmStart(OPERATION.textCompletion, args, activate);
}

function llmStart(operation: string, args: readonly unknown[], activate: boolean): LlmStart {
  const [serialized, input, runId, parentRunId, extraParams, , metadata] = args;
  return { operation, serialized, input, runId, parentRunId, extraParams, metadata, activate };
}

/** (tool, input, runId, parentRunId, tags, metadata, runName, toolCallId). */
export function toolStartOf(args: readonly unknown[], activate: boolean): ToolStart {
  const [serialized, input, runId, parentRunId, , metadata, runName, toolCallId] = args;
  return { serialized, input, runId, parentRunId, metadata, runName, toolCallId, activate };
}

/** (retriever, query, runId, parentRunId, tags, metadata, runName). */
export function retrieverStartOf(args: readonly unknown[], activate: boolean): RetrieverStart {
  const [serialized, query, runId, parentRunId, , metadata, runName] = args;
  return { serialized, query, runId, parentRunId, metadata, runName, activate };
}
