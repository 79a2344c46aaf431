import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { ATTR } from "../../src/index.js";
import { handlerMaker } from "../support/handlers.js";

const make = handlerMaker();

/** The marker a cut text part ends with. */
const MARKER = /…\[truncated \d+ chars\]$/;
/** The longest marker these tests can produce. */
const MARKER_MAX = "…[truncated 99999999 chars]".length;

// ---- the required shape of the GenAI conventions' (v1.41.1) message JSON --------------------

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Problems of one message part: `type` is a string; the known types carry their required fields. */
function partProblems(part: unknown, where: string): string[] {
  if (!isObject(part)) return [`${where}: not an object`];
  if (typeof part.type !== "string") return [`${where}: type is not a string`];
  const needs: Record<string, string[]> = {
    text: ["content"],
    reasoning: ["content"],
    tool_call: ["name"],
    tool_call_response: ["response"],
    blob: ["modality", "content"],
    file: ["modality", "file_id"],
    uri: ["modality", "uri"],
    server_tool_call: ["name", "server_tool_call"],
    server_tool_call_response: ["server_tool_call_response"],
  };
  const out: string[] = [];
  for (const field of needs[part.type] ?? []) if (!(field in part)) out.push(`${where}: ${part.type} part without ${field}`);
  if ((part.type === "text" || part.type === "reasoning") && typeof part.content !== "string")
    out.push(`${where}: content is not a string`);
  if (part.type === "tool_call" && typeof part.name !== "string") out.push(`${where}: tool_call name is not a string`);
  return out;
}

/** Problems of an input (ChatMessage[]) or output (OutputMessage[], finish_reason required) messages value. */
function messageProblems(value: unknown, kind: "input" | "output"): string[] {
  if (!Array.isArray(value)) return ["not an array"];
  return value.flatMap((m, i) => {
    if (!isObject(m)) return [`[${i}]: not an object`];
    const out: string[] = [];
    if (typeof m.role !== "string") out.push(`[${i}]: role is not a string`);
    if (!Array.isArray(m.parts)) out.push(`[${i}]: parts is not an array`);
    else out.push(...m.parts.flatMap((p, j) => partProblems(p, `[${i}].parts[${j}]`)));
    if (kind === "output" && typeof m.finish_reason !== "string") out.push(`[${i}]: no finish_reason`);
    if ("lc" in m || "kwargs" in m) out.push(`[${i}]: LangChain serialization, not a message`);
    return out;
  });
}

/** Problems of a system instructions value (an array of parts). */
function instructionProblems(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((p, j) => partProblems(p, `[${j}]`)) : ["not an array"];
}

/** `JSON.parse(value)`, failing the test with the value when it is not JSON. */
function parsed(value: unknown, key: string): unknown {
  expect(typeof value, key).toBe("string");
  try {
    return JSON.parse(String(value));
  } catch {
    throw new Error(`${key} is not JSON: ${String(value).slice(0, 200)}`);
  }
}

/** The text contents of all text parts in a messages (or parts) value. */
function texts(value: unknown): string[] {
  const parts = (Array.isArray(value) ? value : []).flatMap((m: Json) => (Array.isArray(m.parts) ? m.parts : [m])) as Json[];
  return parts.filter((p) => p.type === "text").map((p) => String(p.content));
}

const spanNamed = (spans: readonly ReadableSpan[], prefix: string) => {
  const span = spans.find((s) => s.name.startsWith(prefix));
  if (span === undefined) throw new Error(`no span ${prefix}: ${spans.map((s) => s.name).join(", ")}`);
  return span;
};

const LONG = "The quick brown fox jumps over the lazy dog. ".repeat(40);

describe("structured content stays valid JSON when it is truncated", () => {
  it("chat input, system instructions and output: JSON in the conventions' shape, text parts cut and marked", async () => {
    const max = 120;
    const { handler, tracing } = make({ captureContent: true, maxContentLength: max });
    await new FakeListChatModel({ responses: [`answer: ${LONG}`] }).invoke(
      [new SystemMessage(`system: ${LONG}`), new HumanMessage(`first: ${LONG}`), new AIMessage("ok"), new HumanMessage(`second: ${LONG}`)],
      { callbacks: [handler] },
    );
    const chat = spanNamed(tracing.exporter.getFinishedSpans(), "chat ");
    const input = parsed(chat.attributes[ATTR.inputMessages], ATTR.inputMessages);
    const output = parsed(chat.attributes[ATTR.outputMessages], ATTR.outputMessages);
    const system = parsed(chat.attributes[ATTR.systemInstructions], ATTR.systemInstructions);
    expect(messageProblems(input, "input")).toEqual([]);
    expect(messageProblems(output, "output")).toEqual([]);
    expect(instructionProblems(system)).toEqual([]);
    // Roles and part types are kept, only text is cut, and every cut is marked inside the text.
    expect((input as Json[]).map((m) => m.role)).toEqual(["user", "assistant", "user"].slice(0, (input as Json[]).length));
    expect(texts(input).some((t) => MARKER.test(t))).toBe(true);
    expect(texts(output)[0]).toMatch(MARKER);
    expect(texts(system)[0]).toMatch(/^system: The quick/);
    expect(texts(system)[0]).toMatch(MARKER);
    expect(chat.attributes[ATTR.contentTruncated]).toBe(true);
    // The whole attribute is still bounded by the limit (plus one marker).
    for (const key of [ATTR.inputMessages, ATTR.outputMessages, ATTR.systemInstructions]) {
      expect(String(chat.attributes[key]).length, key).toBeLessThanOrEqual(max + MARKER_MAX);
    }
  });

  it("keeps short content as is and does not mark it", async () => {
    const { handler, tracing } = make({ captureContent: true, maxContentLength: 4096 });
    await new FakeListChatModel({ responses: ["fine"] }).invoke([new HumanMessage("hello")], { callbacks: [handler] });
    const chat = spanNamed(tracing.exporter.getFinishedSpans(), "chat ");
    expect(parsed(chat.attributes[ATTR.inputMessages], ATTR.inputMessages)).toEqual([
      { role: "user", parts: [{ type: "text", content: "hello" }] },
    ]);
    expect(chat.attributes[ATTR.contentTruncated]).toBeUndefined();
  });

  it("even a tiny limit leaves JSON in the conventions' shape", async () => {
    for (const max of [1, 10, 40]) {
      const { handler, tracing } = make({ captureContent: true, maxContentLength: max });
      await new FakeListChatModel({ responses: [LONG] }).invoke([new HumanMessage(LONG), new HumanMessage(LONG)], { callbacks: [handler] });
      const chat = spanNamed(tracing.exporter.getFinishedSpans(), "chat ");
      expect(messageProblems(parsed(chat.attributes[ATTR.inputMessages], ATTR.inputMessages), "input"), `max ${max}`).toEqual([]);
      expect(messageProblems(parsed(chat.attributes[ATTR.outputMessages], ATTR.outputMessages), "output"), `max ${max}`).toEqual([]);
      expect(chat.attributes[ATTR.contentTruncated]).toBe(true);
    }
  });

  it("tool call arguments and results that are JSON stay JSON", async () => {
    const lookup = tool(async ({ query }: { query: string }) => JSON.stringify({ items: [{ title: `result ${LONG}`, rank: 1 }], query }), {
      name: "lookup",
      description: "looks things up",
      schema: z.object({ query: z.string() }),
    });
    const max = 100;
    const { handler, tracing } = make({ captureContent: true, maxContentLength: max });
    await lookup.invoke({ query: `search ${LONG}` }, { callbacks: [handler] });
    const span = spanNamed(tracing.exporter.getFinishedSpans(), "execute_tool lookup");
    const args = parsed(span.attributes[ATTR.toolCallArguments], ATTR.toolCallArguments) as Json;
    expect(String(args.query)).toMatch(/^search The quick/);
    expect(String(args.query)).toMatch(MARKER);
    const result = parsed(span.attributes[ATTR.toolCallResult], ATTR.toolCallResult) as { items: Json[] };
    expect(result.items[0]?.rank).toBe(1);
    expect(String(result.items[0]?.title)).toMatch(MARKER);
    expect(span.attributes[ATTR.contentTruncated]).toBe(true);
    for (const key of [ATTR.toolCallArguments, ATTR.toolCallResult]) {
      expect(String(span.attributes[key]).length, key).toBeLessThanOrEqual(max + MARKER_MAX);
    }
  });
});

describe("redaction inside truncated structures", () => {
  it("masks secrets inside a cut text part, and the result is still JSON", async () => {
    const { handler, tracing } = make({ captureContent: true, maxContentLength: 90 });
    await new FakeListChatModel({ responses: ["ok"] }).invoke([new HumanMessage(`mail jane.doe@example.com now. ${LONG}`)], {
      callbacks: [handler],
    });
    const chat = spanNamed(tracing.exporter.getFinishedSpans(), "chat ");
    const raw = String(chat.attributes[ATTR.inputMessages]);
    expect(raw).not.toContain("jane.doe@example.com");
    const [text] = texts(parsed(raw, ATTR.inputMessages));
    expect(text).toMatch(/^mail \[REDACTED_EMAIL\] now\./);
    expect(text).toMatch(MARKER);
  });

  it("a custom hook rewrites the text parts, never the structure", async () => {
    const seen: string[] = [];
    const { handler, tracing } = make({
      captureContent: true,
      maxContentLength: 100,
      redact: (t) => {
        seen.push(t);
        return t.toUpperCase();
      },
    });
    await new FakeListChatModel({ responses: ["ok"] }).invoke([new HumanMessage(`hello ${LONG}`)], { callbacks: [handler] });
    const chat = spanNamed(tracing.exporter.getFinishedSpans(), "chat ");
    const input = parsed(chat.attributes[ATTR.inputMessages], ATTR.inputMessages);
    expect(messageProblems(input, "input")).toEqual([]);
    expect((input as Json[])[0]?.role).toBe("user");
    expect(texts(input)[0]).toMatch(/^HELLO THE QUICK/);
    // The hook saw the cut text (with its marker), not the whole prompt.
    expect(Math.max(...seen.map((t) => t.length))).toBeLessThanOrEqual(100 + MARKER_MAX);
  });
});

describe("invoke_agent input and output messages", () => {
  const graph = () =>
    new StateGraph(MessagesAnnotation)
      .addNode("agent", async () => ({ messages: [new AIMessage("Your order ships tomorrow.")] }))
      .addEdge(START, "agent")
      .addEdge("agent", END)
      .compile();

  it("are the conventions' messages converted from the graph state, not LangChain serialization", async () => {
    const { handler, tracing } = make({ captureContent: true });
    await graph().invoke({ messages: [new HumanMessage("Where is my order?")] }, { callbacks: [handler] });
    const agent = spanNamed(tracing.exporter.getFinishedSpans(), "invoke_agent ");
    const input = parsed(agent.attributes[ATTR.inputMessages], ATTR.inputMessages);
    const output = parsed(agent.attributes[ATTR.outputMessages], ATTR.outputMessages);
    expect(messageProblems(input, "input")).toEqual([]);
    expect(messageProblems(output, "output")).toEqual([]);
    expect(input).toEqual([{ role: "user", parts: [{ type: "text", content: "Where is my order?" }] }]);
    expect(output).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "Your order ships tomorrow." }], finish_reason: "stop" },
    ]);
  });

  it("converts serialized LangChain messages ({lc, type: constructor, id, kwargs})", async () => {
    const { handler, tracing } = make({ captureContent: true });
    const serialized = (cls: string, kwargs: Json) => ({ lc: 1, type: "constructor", id: ["langchain_core", "messages", cls], kwargs });
    const runId = "00000000-0000-4000-8000-000000000001";
    await handler.handleChainStart(
      { lc: 1, type: "not_implemented", id: ["langgraph", "CompiledStateGraph"] },
      {
        messages: [
          serialized("SystemMessage", { content: "Be brief." }),
          serialized("HumanMessage", { content: "Where is my order?" }),
          serialized("AIMessageChunk", { content: "", tool_calls: [{ id: "call_1", name: "lookup", args: { id: 7 } }] }),
          serialized("ToolMessage", { content: "shipped", tool_call_id: "call_1" }),
        ],
      },
      runId,
      undefined,
      undefined,
      undefined,
      undefined,
      "support",
    );
    await handler.handleChainEnd({ messages: [serialized("AIMessage", { content: [{ type: "text", text: "It shipped." }] })] }, runId);
    const agent = spanNamed(tracing.exporter.getFinishedSpans(), "invoke_agent ");
    const input = parsed(agent.attributes[ATTR.inputMessages], ATTR.inputMessages);
    expect(messageProblems(input, "input")).toEqual([]);
    expect(input).toEqual([
      { role: "system", parts: [{ type: "text", content: "Be brief." }] },
      { role: "user", parts: [{ type: "text", content: "Where is my order?" }] },
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "lookup", arguments: { id: 7 } }] },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: "shipped" }] },
    ]);
    expect(parsed(agent.attributes[ATTR.outputMessages], ATTR.outputMessages)).toEqual([
      { role: "assistant", parts: [{ type: "text", content: "It shipped." }], finish_reason: "stop" },
    ]);
  });

  it("takes LangGraph's shorthand messages: strings, [role, content] pairs and {role, content} objects", async () => {
    const { handler, tracing } = make({ captureContent: true });
    await graph().invoke({ messages: ["hi", ["user", "Where is my order?"], { role: "assistant", content: "Which one?" }] } as never, {
      callbacks: [handler],
    });
    const agent = spanNamed(tracing.exporter.getFinishedSpans(), "invoke_agent ");
    expect(parsed(agent.attributes[ATTR.inputMessages], ATTR.inputMessages)).toEqual([
      { role: "user", parts: [{ type: "text", content: "hi" }] },
      { role: "user", parts: [{ type: "text", content: "Where is my order?" }] },
      { role: "assistant", parts: [{ type: "text", content: "Which one?" }] },
    ]);
  });

  it("a string input and output become a user and an assistant message; long ones are cut inside the text", async () => {
    const { handler, tracing } = make({ captureContent: true, maxContentLength: 150 });
    await RunnableLambda.from(async (q: string) => `answer to ${q}`)
      .withConfig({ runName: "echo" })
      .invoke(`question ${LONG}`, { callbacks: [handler] });
    const agent = spanNamed(tracing.exporter.getFinishedSpans(), "invoke_agent echo");
    const input = parsed(agent.attributes[ATTR.inputMessages], ATTR.inputMessages);
    const output = parsed(agent.attributes[ATTR.outputMessages], ATTR.outputMessages);
    expect(messageProblems(input, "input")).toEqual([]);
    expect(messageProblems(output, "output")).toEqual([]);
    expect((input as Json[])[0]?.role).toBe("user");
    expect(texts(input)[0]).toMatch(/^question The quick/);
    expect(texts(input)[0]).toMatch(MARKER);
    expect(texts(output)[0]).toMatch(/^answer to question/);
    expect(agent.attributes[ATTR.contentTruncated]).toBe(true);
  });
});
