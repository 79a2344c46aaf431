import type { BaseMessage, UsageMetadata } from "@langchain/core/messages";
import { messageText } from "./message-text.js";
import { decideReply, type ScriptedReply } from "./scripted-reply.js";
import { scriptedUsage, TOOL_CALL_OUTPUT_TOKENS } from "./scripted-usage.js";
import { stableHash } from "./stable-hash.js";

/** Why the scripted model stopped, as OpenAI reports it. */
export type ScriptedFinishReason = "tool_calls" | "stop";

/** Response metadata the scripted model reports, shaped like OpenAI's. */
export interface ScriptedResponseMetadata {
  [key: string]: unknown;
  model_name: string;
  system_fingerprint: string;
  finish_reason: ScriptedFinishReason;
}

/** Everything one scripted call answers, before it is turned into a message or chunks. */
export interface ScriptedResponse {
  reply: ScriptedReply;
  /** `chatcmpl-…`, derived from the conversation. */
  id: string;
  /** `call_…`, derived from the conversation; set for tool-call replies. */
  toolCallId?: string;
  /** The text split into streamed pieces (words with their trailing space); empty for tool calls. */
  pieces: string[];
  finishReason: ScriptedFinishReason;
  usage?: UsageMetadata;
  responseMetadata: ScriptedResponseMetadata;
}

/** Settings of the model that shape a response. */
export interface ScriptedResponseSettings {
  model: string;
  responseModel: string;
  systemFingerprint: string;
  reportUsage: boolean;
  toolNames: readonly string[];
  loopTools: boolean;
  /** Call each support tool once before answering. Default false. */
  chainTools?: boolean;
  /** Report cache reads in usage. Default true. */
  cacheReads?: boolean;
  /** Cut text answers to this many words. Default: no limit. */
  maxAnswerWords?: number;
}

/** `text` cut to its first `max` words, ending in a full stop. */
function cutWords(text: string, max: number): string {
  const words = text.split(/\s+/).filter((w) => w !== "");
  if (words.length <= max) return text;
  return `${words
    .slice(0, max)
    .join(" ")
    .replace(/[\s,:;.!?…-]+$/, "")}.`;
}

/** A stable fingerprint of the conversation, so ids are deterministic yet differ per turn. */
function conversationKey(messages: readonly BaseMessage[]): string {
  return messages.map((m) => `${m.getType()}\u0000${messageText(m)}`).join("\u0001");
}

/** Plans the scripted model's answer to `messages`. Pure and deterministic. */
export function planResponse(messages: readonly BaseMessage[], settings: ScriptedResponseSettings): ScriptedResponse {
  const decided = decideReply(messages, settings.toolNames, { loopTools: settings.loopTools, chainTools: settings.chainTools ?? false });
  const reply: ScriptedReply =
    decided.kind === "text" && settings.maxAnswerWords !== undefined
      ? { kind: "text", text: cutWords(decided.text, settings.maxAnswerWords) }
      : decided;
  const key = `${settings.model}\u0002${conversationKey(messages)}`;
  const pieces = reply.kind === "text" ? (reply.text.match(/\S+\s*/g) ?? [reply.text]) : [];
  const finishReason: ScriptedFinishReason = reply.kind === "tool_call" ? "tool_calls" : "stop";
  const outputTokens = reply.kind === "tool_call" ? TOOL_CALL_OUTPUT_TOKENS : pieces.length;
  return {
    reply,
    id: `chatcmpl-${stableHash(key, 24)}`,
    ...(reply.kind === "tool_call" ? { toolCallId: `call_${stableHash(`${key}\u0003tool`, 16)}` } : {}),
    pieces,
    finishReason,
    ...(settings.reportUsage ? { usage: scriptedUsage(messages, outputTokens, settings.cacheReads ?? true) } : {}),
    responseMetadata: {
      model_name: settings.responseModel,
      system_fingerprint: settings.systemFingerprint,
      finish_reason: finishReason,
    },
  };
}
