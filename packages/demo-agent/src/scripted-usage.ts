import type { BaseMessage, UsageMetadata } from "@langchain/core/messages";

/** Output tokens the scripted model reports for a tool-call response. */
export const TOOL_CALL_OUTPUT_TOKENS = 12;

/** Serialized length of a message's content (text as is, structured content as JSON). */
function contentLength(message: BaseMessage): number {
  return typeof message.content === "string" ? message.content.length : JSON.stringify(message.content).length;
}

/** Input tokens of a scripted call: characters / 4, at least 1. */
export function scriptedInputTokens(messages: readonly BaseMessage[]): number {
  const chars = messages.reduce((sum, m) => sum + contentLength(m), 0);
  return Math.max(1, Math.ceil(chars / 4));
}

/**
 * Deterministic token usage for one scripted call: input ≈ characters / 4 (at least 1),
 * half of it read from cache once the conversation has more than two messages (never when
 * `cacheReads` is false: the prompt cache stopped hitting).
 */
export function scriptedUsage(messages: readonly BaseMessage[], outputTokens: number, cacheReads = true): UsageMetadata {
  const input = scriptedInputTokens(messages);
  return {
    input_tokens: input,
    output_tokens: outputTokens,
    total_tokens: input + outputTokens,
    input_token_details: { cache_read: cacheReads && messages.length > 2 ? Math.floor(input * 0.5) : 0 },
    output_token_details: { reasoning: 0 },
  };
}
