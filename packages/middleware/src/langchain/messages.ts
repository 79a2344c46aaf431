/**
 * LangChain messages → the GenAI conventions' message JSON (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`). Used only when content capture is on.
 */

import { own } from "./values.js";

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

function messageType(m: MessageLike): string {
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

function toGenAi(m: MessageLike): GenAiMessage {
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
    if (finishReason) out.finish_reason = finishReason;
    return out;
  });
}

/** All text of a prompt (messages, message lists or strings), tool calls included, for token estimation. */
export function messagesText(messages: unknown): string {
  const flat = Array.isArray(messages) ? (messages.flat(2) as unknown[]) : [messages];
  const parts: string[] = [];
  for (const m of flat) {
    if (typeof m === "string") parts.push(m);
    else if (typeof m === "object" && m !== null) {
      const msg = m as MessageLike;
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
