/**
 * LangChain messages → the GenAI conventions' message JSON (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`). Used only when content capture is on.
 */

import { safeJson } from "../content/capture.js";
import { dict, own, text as firstText } from "./values.js";

interface Part {
  type: string;
  [key: string]: unknown;
}

interface GenAiMessage {
  role: string;
  parts: Part[];
  finish_reason?: string;
}

const ROLES: Record<string, string> = {
  human: "user",
  user: "user",
  ai: "assistant",
  assistant: "assistant",
  system: "system",
  developer: "system",
  tool: "tool",
  function: "tool",
};

type MessageLike = Record<string, unknown>;

/** Message types of LangChain's serialized message classes (`AIMessageChunk` reads as `AIMessage`). */
const SERIALIZED_TYPES: Record<string, string> = {
  HumanMessage: "human",
  AIMessage: "ai",
  SystemMessage: "system",
  ToolMessage: "tool",
  FunctionMessage: "function",
};

/** The class name of LangChain's serialized form (`{lc: 1, type: "constructor", id: [..., "HumanMessage"], kwargs}`), if `m` is one. */
function serializedClass(m: MessageLike): string | undefined {
  if (m.lc !== 1 || m.type !== "constructor" || !Array.isArray(m.id) || typeof m.kwargs !== "object" || m.kwargs === null) return undefined;
  const name: unknown = m.id[m.id.length - 1];
  return typeof name === "string" ? name.replace(/Chunk$/, "") : undefined;
}

/** A message given in LangChain's serialized form as the message it stands for (its kwargs and type); other values as they are. */
function unwrap(m: MessageLike): MessageLike {
  const cls = serializedClass(m);
  if (cls === undefined) return m;
  const kwargs = m.kwargs as MessageLike;
  const type = own(SERIALIZED_TYPES, cls) ?? (typeof kwargs.role === "string" ? kwargs.role : "user");
  return { ...kwargs, type };
}

/** Whether `value` is a LangChain message, live or serialized. */
function isMessage(value: unknown): value is MessageLike {
  if (typeof value !== "object" || value === null) return false;
  const m = value as MessageLike;
  return typeof m.getType === "function" || typeof m._getType === "function" || (serializedClass(m)?.endsWith("Message") ?? false);
}

function messageType(raw: MessageLike): string {
  const m = unwrap(raw);
  const getType = m.getType ?? m._getType;
  if (typeof getType === "function") return String(getType.call(m));
  if (typeof m.type === "string") return m.type;
  if (typeof m.role === "string") return m.role;
  return "user";
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((c) => (typeof c === "string" ? c : typeof c?.text === "string" ? c.text : ""))
      .filter(Boolean)
      .join("");
  }
  return "";
}

/** The GenAI role of a message-like value ("user", "assistant", "system", "tool"). */
export function messageRole(m: unknown): string {
  return typeof m === "object" && m !== null ? (own(ROLES, messageType(m as MessageLike)) ?? "user") : "user";
}

function toGenAi(raw: MessageLike): GenAiMessage {
  const m = unwrap(raw);
  const role = own(ROLES, messageType(m)) ?? "user";
  const parts: Part[] = [];
  const text = textOf(m.content);
  if (role === "tool") {
    parts.push({ type: "tool_call_response", id: m.tool_call_id, response: text });
  } else if (text) {
    parts.push({ type: "text", content: text });
  }
  if (Array.isArray(m.tool_calls)) {
    for (const call of m.tool_calls as MessageLike[]) {
      parts.push({ type: "tool_call", id: call.id, name: call.name, arguments: call.args });
    }
  }
  return { role, parts };
}

/** Input messages split into system instructions and the rest. */
export function inputMessages(messages: unknown): { system: Part[]; messages: GenAiMessage[] } {
  const flat = Array.isArray(messages) ? (messages.flat() as unknown[]) : [];
  const system: Part[] = [];
  const rest: GenAiMessage[] = [];
  for (const raw of flat) {
    if (typeof raw !== "object" || raw === null) continue;
    const message = toGenAi(raw as MessageLike);
    if (message.role === "system") system.push(...message.parts);
    else rest.push(message);
  }
  return { system, messages: rest };
}

/** Text prompts of a completion model as user messages. */
export function promptMessages(prompts: unknown): GenAiMessage[] {
  return (Array.isArray(prompts) ? prompts : []).map((p) => ({ role: "user", parts: [{ type: "text", content: String(p) }] }));
}

/** Output messages of an LLMResult's first generation list. */
export function outputMessages(generations: unknown, finishReason: string | undefined): GenAiMessage[] {
  const first = Array.isArray(generations) ? generations[0] : undefined;
  if (!Array.isArray(first)) return [];
  return first.map((g: MessageLike) => {
    const message = g?.message as MessageLike | undefined;
    const out = message ? toGenAi(message) : { role: "assistant", parts: [{ type: "text", content: String(g?.text ?? "") }] };
    out.role = "assistant";
    out.finish_reason = finishReason || finishReasonOf(message, out);
    return out;
  });
}

/**
 * The finish reason of an output message (the conventions require one): the provider's, from the
 * message's response metadata, or else "tool_call" when it asks for tools and "stop" otherwise.
 */
function finishReasonOf(raw: MessageLike | undefined, message: GenAiMessage): string {
  const metadata = dict(raw === undefined ? undefined : unwrap(raw).response_metadata);
  const reason = firstText(metadata.finish_reason, metadata.stop_reason);
  if (reason !== undefined) return reason;
  return message.parts.some((p) => p.type === "tool_call") ? "tool_call" : "stop";
}

const userText = (content: string): GenAiMessage => ({ role: "user", parts: [{ type: "text", content }] });

/**
 * A graph state's messages as GenAI messages. LangGraph also takes a string (a user message) and a
 * `[role, content]` pair for a message.
 */
function chatMessages(list: unknown[]): GenAiMessage[] {
  const out: GenAiMessage[] = [];
  for (const m of list) {
    if (typeof m === "string") out.push(userText(m));
    else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
      out.push({ role: own(ROLES, m[0]) ?? m[0], parts: [{ type: "text", content: m[1] }] });
    } else if (Array.isArray(m)) out.push(...chatMessages(m));
    else if (typeof m === "object" && m !== null) out.push(toGenAi(m as MessageLike));
  }
  return out;
}

/**
 * An agent run's input as GenAI input messages: the messages of a graph state (`{messages}`, live
 * or serialized LangChain messages, system messages included), a message list, a string (or
 * `{input}`, `{question}`, `{query}`) as a user message, or any other input as a user message
 * holding its JSON.
 */
export function agentInputMessages(inputs: unknown): GenAiMessage[] {
  try {
    return inputMessagesOf(inputs);
  } catch {
    // A hostile input (a throwing getter, say): its tolerant JSON, as any other input.
    return [userText(safeJson(inputs))];
  }
}

function inputMessagesOf(inputs: unknown): GenAiMessage[] {
  if (typeof inputs === "string") return [userText(inputs)];
  if (Array.isArray(inputs)) return chatMessages(inputs);
  if (isMessage(inputs)) return chatMessages([inputs]);
  const d = dict(inputs);
  if (Array.isArray(d.messages)) return chatMessages(d.messages);
  if (typeof d.messages === "string") return [userText(d.messages)];
  const question = firstText(d.input, d.question, d.query);
  return [userText(question ?? safeJson(inputs))];
}

/**
 * An agent run's output as GenAI output messages: the last message of a graph state (`{messages}`),
 * a message, or a string (or `{output}`, `{answer}`) as an assistant message; `undefined` for
 * outputs of any other shape.
 */
export function agentOutputMessages(outputs: unknown): GenAiMessage[] | undefined {
  try {
    return outputMessagesOf(outputs);
  } catch {
    return undefined; // a hostile output (a throwing getter, say)
  }
}

function outputMessagesOf(outputs: unknown): GenAiMessage[] | undefined {
  const answer = (content: string): GenAiMessage[] => [{ role: "assistant", parts: [{ type: "text", content }], finish_reason: "stop" }];
  if (typeof outputs === "string") return answer(outputs);
  const d = dict(outputs);
  const messages = isMessage(outputs) ? [outputs] : Array.isArray(d.messages) ? (d.messages as unknown[]) : undefined;
  if (messages !== undefined) {
    const last = messages.at(-1);
    if (typeof last !== "object" || last === null) return [];
    const message = toGenAi(last as MessageLike);
    message.finish_reason = finishReasonOf(last as MessageLike, message);
    return [message];
  }
  const text = firstText(d.output, d.answer);
  return text === undefined ? undefined : answer(text);
}

/** All text of a prompt (messages, message lists or strings), tool calls included, for token estimation. */
export function messagesText(messages: unknown): string {
  const flat = Array.isArray(messages) ? (messages.flat(2) as unknown[]) : [messages];
  const parts: string[] = [];
  for (const m of flat) {
    if (typeof m === "string") parts.push(m);
    else if (typeof m === "object" && m !== null) {
      const msg = unwrap(m as MessageLike);
      parts.push(textOf(msg.content));
      if (Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) parts.push(JSON.stringify(msg.tool_calls));
    }
  }
  return parts.join("\n");
}

/** All text of an LLMResult's first generation list, tool calls included unless `withToolCalls` is false. */
export function outputText(generations: unknown, withToolCalls = true): string {
  const first = Array.isArray(generations) ? generations[0] : undefined;
  if (!Array.isArray(first)) return "";
  return first
    .map((g: MessageLike) => {
      const message = g?.message as MessageLike | undefined;
      if (message === undefined) return String(g?.text ?? "");
      return withToolCalls ? messagesText([message]) : textOf(message.content);
    })
    .join("\n");
}
