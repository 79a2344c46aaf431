import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { lastHumanText, messageText } from "./message-text.js";
import { stableHash } from "./stable-hash.js";

/** What the scripted model decided to answer: plain text, or one tool call. */
export type ScriptedReply = { kind: "text"; text: string } | { kind: "tool_call"; name: string; args: Record<string, unknown> };

const ORDER_ID = /\b(?:order\s*#?\s*)?([A-Z]{2,4}-?\d{3,})\b/i;
const ORDER_NUMBER = /\border\b[^\d\n]{0,20}?(\d{3,})\b/i;
const CONTEXT = /context:\s*\n([\s\S]*)$/i;

/** Collapses whitespace and cuts `text` to at most `max` characters. */
function brief(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** A tool result as prose: JSON objects become "key: value" pairs, anything else stays as is. */
function readable(result: string): string {
  try {
    const parsed: unknown = JSON.parse(result);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      return Object.entries(parsed)
        .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ");
    }
  } catch {
    // not JSON: quote it as it is
  }
  return result;
}

/** The order id the question mentions (upper-cased), if any. */
export function extractOrderId(question: string): string | undefined {
  const id = ORDER_ID.exec(question)?.[1] ?? ORDER_NUMBER.exec(question)?.[1];
  return id?.toUpperCase();
}

/** The first retrieved article quoted in the system message, without its `[kb-…]` prefix. */
function firstContextLine(messages: readonly BaseMessage[]): string | undefined {
  const system = messages.find((m) => m.getType() === "system");
  const context = system === undefined ? undefined : CONTEXT.exec(messageText(system))?.[1];
  const line = context
    ?.split("\n")
    .map((l) => l.replace(/^\s*\[[^\]]*\]\s*/, "").trim())
    .find((l) => l !== "" && !l.startsWith("("));
  return line;
}

/** Behaviours of {@link decideReply} beyond the intent rules. */
export interface ReplyOptions {
  /** After a tool result, call the same tool with the same arguments again: a runaway loop. */
  loopTools?: boolean;
  /** Call every bound support tool once, one after the other, before answering: many calls per question. */
  chainTools?: boolean;
}

/** The order {@link ReplyOptions.chainTools} calls the tools in. */
const CHAIN = ["lookup_order", "refund_policy", "create_ticket"] as const;

/** A system prompt asking for short answers that push the loyalty program (prompt version v2). */
const PROMO_PROMPT = /loyalty program/i;
/** A system prompt asking to apologise first (the drifted v1 template). */
const APOLOGY_PROMPT = /apologi[sz]e/i;

const PROMOS = [
  "Have you tried Acme Rewards? Members save 10%.",
  "Join Acme Rewards today for free shipping!",
  "Acme Rewards members earn points on every order.",
];

function systemText(messages: readonly BaseMessage[]): string {
  const system = messages.find((m) => m.getType() === "system");
  return system === undefined ? "" : messageText(system);
}

/** Names of the tools called since the last user message. */
function toolsCalledThisTurn(messages: readonly BaseMessage[]): Set<string> {
  const called = new Set<string>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m === undefined || m.getType() === "human") break;
    if (AIMessage.isInstance(m)) for (const call of m.tool_calls ?? []) called.add(call.name);
  }
  return called;
}

function chainArgs(name: (typeof CHAIN)[number], question: string): Record<string, unknown> {
  if (name === "lookup_order") return { orderId: extractOrderId(question) ?? "AB-1234" };
  if (name === "refund_policy") return { topic: "refund" };
  return { summary: question.slice(0, 80) };
}

/**
 * The scripted model's intent rules, in order:
 * 0. with `loopTools`, the last message is a tool result → the same tool call again (a runaway loop);
 * 1. a system prompt that asks to push the loyalty program → a short, off-topic promotion (no tools);
 * 2. with `chainTools`, a bound support tool not yet called for this question → call it;
 * 3. the last message is a tool result → a text answer quoting it;
 * 4. the question names an order → `lookup_order`; mentions a refund → `refund_policy`;
 *    asks for a ticket or a human → `create_ticket` (each only if that tool is bound);
 * 5. otherwise a text answer from the retrieved context in the system message.
 *
 * A system prompt that asks to apologise first prefixes every text answer with an apology.
 */
export function decideReply(
  messages: readonly BaseMessage[],
  boundTools: readonly string[],
  options: boolean | ReplyOptions = false,
): ScriptedReply {
  const { loopTools = false, chainTools = false } = typeof options === "boolean" ? { loopTools: options } : options;
  const last = messages.at(-1);
  if (loopTools && last?.getType() === "tool") {
    const previous = [...messages].reverse().find((m) => AIMessage.isInstance(m) && (m.tool_calls?.length ?? 0) > 0) as
      AIMessage | undefined;
    const call = previous?.tool_calls?.[0];
    if (call !== undefined) return { kind: "tool_call", name: call.name, args: call.args };
  }
  const system = systemText(messages);
  const question = lastHumanText(messages);
  if (PROMO_PROMPT.test(system)) return { kind: "text", text: PROMOS[Number.parseInt(stableHash(question, 4), 16) % PROMOS.length] ?? "" };
  const canCall = (name: string) => boundTools.includes(name);
  if (chainTools) {
    const called = toolsCalledThisTurn(messages);
    const next = CHAIN.find((name) => canCall(name) && !called.has(name));
    if (next !== undefined) return { kind: "tool_call", name: next, args: chainArgs(next, question) };
  }
  const apology = APOLOGY_PROMPT.test(system) ? "Sorry for the trouble! " : "";
  if (last?.getType() === "tool") {
    return { kind: "text", text: `${apology}Here is what I found: ${brief(readable(messageText(last)), 160)}` };
  }

  const orderId = extractOrderId(question);
  if (orderId !== undefined && canCall("lookup_order")) return { kind: "tool_call", name: "lookup_order", args: { orderId } };
  if (/\brefund/i.test(question) && canCall("refund_policy"))
    return { kind: "tool_call", name: "refund_policy", args: { topic: "refund" } };
  if (/\b(?:ticket|human)\b/i.test(question) && canCall("create_ticket")) {
    return { kind: "tool_call", name: "create_ticket", args: { summary: question.slice(0, 80) } };
  }

  const context = firstContextLine(messages);
  if (context !== undefined) return { kind: "text", text: `${apology}Based on our help center: ${brief(context, 200)}` };
  return { kind: "text", text: `${apology}Thanks for contacting Acme support! Could you tell me a bit more about what you need?` };
}
