import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { lastHumanText, messageText } from "./message-text.js";

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

/**
 * The scripted model's intent rules, in order:
 * 0. with `loopTools`, the last message is a tool result → the same tool call again (a runaway loop);
 * 1. the last message is a tool result → a text answer quoting it;
 * 2. the question names an order → `lookup_order`; mentions a refund → `refund_policy`;
 *    asks for a ticket or a human → `create_ticket` (each only if that tool is bound);
 * 3. otherwise a text answer from the retrieved context in the system message.
 */
export function decideReply(messages: readonly BaseMessage[], boundTools: readonly string[], loopTools = false): ScriptedReply {
  const last = messages.at(-1);
  if (loopTools && last?.getType() === "tool") {
    const previous = [...messages].reverse().find((m) => AIMessage.isInstance(m) && (m.tool_calls?.length ?? 0) > 0) as
      AIMessage | undefined;
    const call = previous?.tool_calls?.[0];
    if (call !== undefined) return { kind: "tool_call", name: call.name, args: call.args };
  }
  if (last?.getType() === "tool") return { kind: "text", text: `Here is what I found: ${brief(readable(messageText(last)), 160)}` };

  const question = lastHumanText(messages);
  const canCall = (name: string) => boundTools.includes(name);
  const orderId = extractOrderId(question);
  if (orderId !== undefined && canCall("lookup_order")) return { kind: "tool_call", name: "lookup_order", args: { orderId } };
  if (/\brefund/i.test(question) && canCall("refund_policy"))
    return { kind: "tool_call", name: "refund_policy", args: { topic: "refund" } };
  if (/\b(?:ticket|human)\b/i.test(question) && canCall("create_ticket")) {
    return { kind: "tool_call", name: "create_ticket", args: { summary: question.slice(0, 80) } };
  }

  const context = firstContextLine(messages);
  if (context !== undefined) return { kind: "text", text: `Based on our help center: ${brief(context, 200)}` };
  return { kind: "text", text: "Thanks for contacting Acme support! Could you tell me a bit more about what you need?" };
}
