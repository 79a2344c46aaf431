import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { ChatPromptTemplate, MessagesPlaceholder } from "@langchain/core/prompts";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });
const chats = () => tracing.exporter.getFinishedSpans().filter((s) => s.name.startsWith("chat "));

describe("prompt provenance", () => {
  it("puts prompt name, version and template hash on model spans and the root span", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    for (const s of [...chats(), only(spans, "invoke_agent acme-support")]) {
      expect(s.attributes["gen_ai.prompt.name"]).toBe("acme-support-system");
      expect(s.attributes["gen_ai.prompt.version"]).toBe("v1");
      expect(String(s.attributes["agentwatch.prompt.hash"])).toMatch(/^[0-9a-f]{12}$/);
    }
  });

  it("keeps one hash across user inputs and changes it when one word of the template changes", async () => {
    const graph = createSupportGraph();
    await graph.invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    await graph.invoke(ask("How do I reset my password? I forgot it again."), { callbacks: [handler] });
    const hashes = new Set(chats().map((s) => s.attributes["agentwatch.prompt.hash"]));
    expect(hashes.size).toBe(1);

    tracing.exporter.reset();
    const edited = ChatPromptTemplate.fromMessages([
      ["system", "You are Acme support. Use the context briefly:\n{context}"],
      new MessagesPlaceholder("messages"),
    ]);
    await createSupportGraph({ prompt: edited }).invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const changed = chats()[0]?.attributes["agentwatch.prompt.hash"];
    expect(changed).toMatch(/^[0-9a-f]{12}$/);
    expect(hashes.has(changed as string)).toBe(false);
    // Same version label, new template: the drift agentwatch_prompt_info makes visible.
    const m = parseExposition(await handler.registry.metrics());
    const info = find(m, "agentwatch_prompt_info", { prompt: "acme-support-system", version: "v1" });
    expect(info.map((s) => s.labels.hash).sort()).toEqual([...hashes, changed].sort());
    expect(info.every((s) => s.value === 1)).toBe(true);
  });

  it("shows two versions live at once in agentwatch_prompt_info", async () => {
    await createSupportGraph().invoke(ask("hello"), { callbacks: [handler] });
    await createSupportGraph({ promptMetadata: { prompt_name: "acme-support-system", prompt_version: "v2" } }).invoke(ask("hello"), {
      callbacks: [handler],
    });
    const m = parseExposition(await handler.registry.metrics());
    expect(
      find(m, "agentwatch_prompt_info", { prompt: "acme-support-system" })
        .map((s) => s.labels.version)
        .sort(),
    ).toEqual(["v1", "v2"]);
  });

  it("labels model metrics with prompt_version only when opted in", async () => {
    await createSupportGraph().invoke(ask("hello"), { callbacks: [handler] });
    let m = parseExposition(await handler.registry.metrics());
    expect(find(m, "gen_ai_client_operation_duration_seconds_count")[0]?.labels.prompt_version).toBeUndefined();
    const opted = make({ promptVersionLabel: true }).handler;
    await createSupportGraph().invoke(ask("hello"), { callbacks: [opted] });
    m = parseExposition(await opted.registry.metrics());
    expect(value(m, "gen_ai_client_operation_duration_seconds_count", { prompt_version: "v1", error_type: "" })).toBe(1);
    expect(value(m, "gen_ai_client_token_usage_count", { prompt_version: "v1", gen_ai_token_type: "output" })).toBe(1);
  });
});

describe("model provenance", () => {
  it("counts responses by requested model, answering model and fingerprint, and measures response length", async () => {
    const before = new ScriptedChatModel();
    const after = new ScriptedChatModel({ responseModel: "acme-scripted-1-2026-12-01", systemFingerprint: "fp_acme_0002" });
    await createSupportGraph({ model: before }).invoke(ask("How do I reset my password?"), { callbacks: [handler] });
    await createSupportGraph({ model: after }).invoke(ask("How do I reset my password?"), { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    const series = find(m, "agentwatch_model_responses_total", { provider: "scripted", request_model: "acme-scripted-1" });
    expect(series.map((s) => `${s.labels.response_model}|${s.labels.fingerprint}`).sort()).toEqual([
      "acme-scripted-1-2026-11-01|fp_acme_0001",
      "acme-scripted-1-2026-12-01|fp_acme_0002",
    ]);
    const chat = chats()[0];
    expect(chat?.attributes["agentwatch.response.length"]).toBeGreaterThan(20);
    expect(value(m, "agentwatch_response_length_chars_count", { agent: "acme-support", model: "acme-scripted-1" })).toBe(2);
  });
});
