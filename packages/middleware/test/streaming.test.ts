import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { durationMs, only, startMs } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

describe("streaming", () => {
  it("records time to first chunk as an attribute and an event on the chat span", async () => {
    const model = new ScriptedChatModel({ firstTokenDelayMs: 120, perTokenDelayMs: 10 });
    const graph = createSupportGraph({ model });
    const chunks: unknown[] = [];
    for await (const chunk of await graph.stream(
      { messages: [new HumanMessage("How do I reset my password?")] },
      { callbacks: [handler], streamMode: "messages" },
    )) {
      chunks.push(chunk);
    }
    expect(chunks.length).toBeGreaterThan(3);
    const chat = only(tracing.exporter.getFinishedSpans(), "chat acme-scripted-1");
    expect(chat.attributes["gen_ai.request.stream"]).toBe(true);
    const ttft = chat.attributes["gen_ai.response.time_to_first_chunk"] as number;
    expect(ttft).toBeGreaterThanOrEqual(0.115);
    expect(ttft).toBeLessThan(0.2);
    const event = chat.events.find((e) => e.name === "agentwatch.first_chunk");
    expect(event).toBeDefined();
    const eventMs = (event?.time[0] ?? 0) * 1000 + (event?.time[1] ?? 0) / 1e6;
    expect(eventMs - startMs(chat)).toBeCloseTo(ttft * 1000, 0);
    expect(durationMs(chat)).toBeGreaterThan(ttft * 1000);
  });

  it("records time to first chunk from LangChain's content-block stream events (streamEvents v3)", async () => {
    const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 80, perTokenDelayMs: 2 }) });
    const run = await graph.streamEvents(
      { messages: [new HumanMessage("How do I reset my password?")] },
      { version: "v3", callbacks: [handler] },
    );
    let events = 0;
    for await (const _ of run) events++;
    expect(events).toBeGreaterThan(0);
    const chat = only(tracing.exporter.getFinishedSpans(), "chat acme-scripted-1");
    const ttft = chat.attributes["gen_ai.response.time_to_first_chunk"] as number;
    expect(ttft).toBeGreaterThanOrEqual(0.075);
    expect(ttft).toBeLessThan(0.16);
  });

  it("does not mark non-streamed calls as streamed", async () => {
    await createSupportGraph().invoke({ messages: [new HumanMessage("How do I reset my password?")] }, { callbacks: [handler] });
    const chat = only(tracing.exporter.getFinishedSpans(), "chat acme-scripted-1");
    expect(chat.attributes["gen_ai.request.stream"]).toBeUndefined();
    expect(chat.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
  });
});
