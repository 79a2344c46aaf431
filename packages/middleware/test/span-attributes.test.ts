import { createSupportGraph, KeywordRetriever, ProviderError, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition } from "./support/openmetrics.js";
import { only } from "./support/otel.js";

/**
 * Attributes the OpenTelemetry GenAI conventions (v1.41.1, model/gen-ai/spans.yaml) require or
 * recommend on each span kind, as LangChain / LangGraph runs reach the handler.
 */
const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

const ask = (text: string) => ({ messages: [new HumanMessage(text)] });
const spans = () => tracing.exporter.getFinishedSpans();
const chatSpans = () => spans().filter((s) => s.attributes["gen_ai.operation.name"] === "chat");

/** The serialized payloads LangChain passes to start callbacks (as captured from @langchain/openai 1.5, @langchain/anthropic 1.5, core 1.4). */
const chatOpenAI = (kwargs: Record<string, unknown> = {}) => ({
  lc: 1,
  type: "constructor",
  id: ["langchain", "chat_models", "openai", "ChatOpenAI"],
  kwargs: { model: "gpt-4o", openai_api_key: { lc: 1, type: "secret", id: ["OPENAI_API_KEY"] }, ...kwargs },
});
const notSerializable = (...id: string[]) => ({ lc: 1, type: "not_implemented", id });

/** Drives a chat-model run through the handler's public callbacks, as LangChain does; ends it with `error` or a plain answer. */
async function chatRun(
  runId: string,
  opts: { serialized?: unknown; params?: Record<string, unknown>; metadata?: Record<string, unknown>; parent?: string; error?: Error },
): Promise<void> {
  const params = { model: "gpt-4o", ...opts.params };
  await handler.handleChatModelStart(
    (opts.serialized ?? chatOpenAI()) as never,
    [[]],
    runId,
    opts.parent,
    { invocation_params: params },
    [],
    opts.metadata ?? {},
  );
  if (opts.error !== undefined) await handler.handleLLMError(opts.error, runId);
  else await handler.handleLLMEnd({ generations: [[{ text: "ok" }]] } as never, runId);
}

describe("invoke_agent gen_ai.provider.name (required)", () => {
  it("is the provider of the agent's model calls", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    expect(only(spans(), "invoke_agent acme-support").attributes["gen_ai.provider.name"]).toBe("scripted");

    tracing.exporter.reset();
    const model = new ScriptedChatModel({ provider: "openai" });
    await createSupportGraph({ model }).invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    expect(only(spans(), "invoke_agent acme-support").attributes["gen_ai.provider.name"]).toBe("openai");
  });

  it("is the provider of the first model call when the agent calls several providers", async () => {
    const agent = RunnableLambda.from(async (_: string, config) => {
      await new ScriptedChatModel({ provider: "anthropic" }).invoke("route this", config);
      await new ScriptedChatModel({ provider: "openai" }).invoke("answer this", config);
      return "done";
    }).withConfig({ runName: "router" });
    await agent.invoke("go", { callbacks: [handler] });
    expect(only(spans(), "invoke_agent router").attributes["gen_ai.provider.name"]).toBe("anthropic");
  });

  it("is set even when the run fails in its first model call", async () => {
    const model = new ScriptedChatModel({ provider: "openai", failWith: () => new ProviderError(500) });
    await expect(createSupportGraph({ model }).invoke(ask("hello"), { callbacks: [handler] })).rejects.toThrow();
    expect(only(spans(), "invoke_agent acme-support").attributes["gen_ai.provider.name"]).toBe("openai");
  });

  it('is "unknown" for an agent run that made no model call', async () => {
    await RunnableLambda.from(() => "no model here")
      .withConfig({ runName: "plain" })
      .invoke("go", { callbacks: [handler] });
    expect(only(spans(), "invoke_agent plain").attributes["gen_ai.provider.name"]).toBe("unknown");
  });
});

describe("gen_ai.conversation.id", () => {
  it("is on the chat and tool spans of a LangGraph thread, not only on invoke_agent", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), {
      callbacks: [handler],
      configurable: { thread_id: "thread-42" },
    });
    const chats = chatSpans();
    expect(chats).toHaveLength(2);
    for (const chat of chats) expect(chat.attributes["gen_ai.conversation.id"]).toBe("thread-42");
    expect(only(spans(), "execute_tool lookup_order").attributes["gen_ai.conversation.id"]).toBe("thread-42");
    expect(only(spans(), "invoke_agent acme-support").attributes["gen_ai.conversation.id"]).toBe("thread-42");
    // v1.41.1 lists gen_ai.conversation.id for inference and invoke_agent spans only: not on retrieval.
    expect(only(spans(), "retrieval KeywordRetriever").attributes["gen_ai.conversation.id"]).toBeUndefined();
  });

  it("comes from conversation_id metadata too", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler], metadata: { conversation_id: "conv-7" } });
    for (const chat of chatSpans()) expect(chat.attributes["gen_ai.conversation.id"]).toBe("conv-7");
    expect(only(spans(), "execute_tool lookup_order").attributes["gen_ai.conversation.id"]).toBe("conv-7");
  });

  it("comes from a standalone model call's own metadata", async () => {
    await chatRun("solo", { metadata: { thread_id: "thread-solo" } });
    expect(only(spans(), "chat gpt-4o").attributes["gen_ai.conversation.id"]).toBe("thread-solo");
  });

  it("is absent when no thread or conversation id is known", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    for (const s of spans()) expect(s.attributes["gen_ai.conversation.id"]).toBeUndefined();
  });
});

describe("openai.response.system_fingerprint", () => {
  it("replaces the deprecated gen_ai.openai.response.system_fingerprint and is set for openai only", async () => {
    const model = new ScriptedChatModel({ provider: "openai", systemFingerprint: "fp_openai_1" });
    await createSupportGraph({ model }).invoke(ask("How do I reset my password?"), { callbacks: [handler] });
    const openai = only(chatSpans(), "chat acme-scripted-1");
    expect(openai.attributes["openai.response.system_fingerprint"]).toBe("fp_openai_1");
    expect(openai.attributes["gen_ai.openai.response.system_fingerprint"]).toBeUndefined();

    for (const provider of ["scripted", "azure", "anthropic"]) {
      tracing.exporter.reset();
      const other = new ScriptedChatModel({ provider, systemFingerprint: "fp_other" });
      await createSupportGraph({ model: other }).invoke(ask("How do I reset my password?"), { callbacks: [handler] });
      const chat = only(chatSpans(), "chat acme-scripted-1");
      expect(chat.attributes["openai.response.system_fingerprint"]).toBeUndefined();
      expect(chat.attributes["gen_ai.openai.response.system_fingerprint"]).toBeUndefined();
    }
  });
});

describe("retrieval gen_ai.provider.name", () => {
  it("is never empty in gen_ai_client_operation_duration_seconds: the retriever's class without a vector store provider", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    const retrievals = find(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "retrieval" });
    expect(retrievals.map((s) => s.labels.gen_ai_provider_name)).toEqual(["KeywordRetriever"]);
    expect(only(spans(), "retrieval KeywordRetriever").attributes["gen_ai.provider.name"]).toBe("KeywordRetriever");
  });

  it("is the vector store provider from the run metadata when there is one", async () => {
    const retriever = new KeywordRetriever({ metadata: { ls_vector_store_provider: "PineconeStore" } });
    await createSupportGraph({ retriever }).invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    const m = parseExposition(await handler.registry.metrics());
    const retrievals = find(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "retrieval" });
    expect(retrievals.map((s) => s.labels.gen_ai_provider_name)).toEqual(["PineconeStore"]);
  });

  it("is bounded, and has a fallback when the retriever has no class name", async () => {
    const long = "R".repeat(500);
    await handler.handleRetrieverStart(notSerializable("retrievers", long) as never, "q", "r-long");
    await handler.handleRetrieverEnd([], "r-long");
    await handler.handleRetrieverStart({} as never, "q", "r-anon");
    await handler.handleRetrieverEnd([], "r-anon");
    const m = parseExposition(await handler.registry.metrics());
    const providers = find(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "retrieval" }).map(
      (s) => s.labels.gen_ai_provider_name ?? "",
    );
    expect(providers.sort()).toEqual([`${"R".repeat(64)}…`, "retriever"]);
  });
});

describe("gen_ai.tool.description", () => {
  it("comes from the tool definitions the agent's model was given", async () => {
    await createSupportGraph().invoke(ask("Where is my order AB-1234?"), { callbacks: [handler] });
    expect(only(spans(), "execute_tool lookup_order").attributes["gen_ai.tool.description"]).toBe(
      "Look up the status and shipping information of an order by its id, e.g. AB-1234.",
    );
  });

  it("reads OpenAI- and Anthropic-shaped tool definitions from invocation params, and a serialized tool's own description", async () => {
    await handler.handleChainStart(notSerializable("agent") as never, {}, "root", undefined, [], {}, undefined, "agent");
    await chatRun("c1", {
      parent: "root",
      params: {
        tools: [
          { type: "function", function: { name: "get_weather", description: "Current weather for a city" } },
          { name: "get_time", description: "Current time in a time zone", input_schema: {} },
          { type: "function", function: { name: "no_description" } },
        ],
      },
    });
    const tool = async (
      runId: string,
      name: string,
      serialized: unknown = notSerializable("langchain", "tools", "DynamicStructuredTool"),
    ) => {
      await handler.handleToolStart(serialized as never, "{}", runId, "root", [], {}, name, `call_${runId}`);
      await handler.handleToolEnd("ok", runId);
    };
    await tool("t1", "get_weather");
    await tool("t2", "get_time");
    await tool("t3", "no_description");
    await tool("t4", "serialized_tool", { lc: 1, type: "constructor", id: ["tools", "MyTool"], kwargs: { description: "Its own words" } });
    await handler.handleChainEnd({}, "root");
    const description = (name: string) => only(spans(), `execute_tool ${name}`).attributes["gen_ai.tool.description"];
    expect(description("get_weather")).toBe("Current weather for a city");
    expect(description("get_time")).toBe("Current time in a time zone");
    expect(description("no_description")).toBeUndefined();
    expect(description("serialized_tool")).toBe("Its own words");
  });
});

describe("server.address and server.port", () => {
  it.each([
    ["ChatOpenAI configuration.baseURL", chatOpenAI({ configuration: { baseURL: "http://localhost:8080/v1" } }), "localhost", 8080],
    [
      "ChatAnthropic anthropicApiUrl (serialized as anthropic_api_url)",
      {
        lc: 1,
        type: "constructor",
        id: ["langchain", "chat_models", "anthropic", "ChatAnthropic"],
        kwargs: { model: "claude-sonnet-4-5", anthropic_api_url: "https://proxy.example.com:8443" },
      },
      "proxy.example.com",
      8443,
    ],
    [
      "ChatOllama baseUrl",
      {
        lc: 1,
        type: "constructor",
        id: ["langchain", "chat_models", "ollama", "ChatOllama"],
        kwargs: { model: "llama3", baseUrl: "http://127.0.0.1:11434" },
      },
      "127.0.0.1",
      11434,
    ],
    [
      "AzureChatOpenAI azureOpenAIEndpoint (serialized as azure_endpoint)",
      {
        lc: 1,
        type: "constructor",
        id: ["langchain", "chat_models", "azure_openai", "AzureChatOpenAI"],
        kwargs: { model: "gpt-4o", azure_endpoint: "https://acme.openai.azure.com/", deployment_name: "d" },
      },
      "acme.openai.azure.com",
      443,
    ],
    ["the scheme's default port", chatOpenAI({ configuration: { baseURL: "https://api.openai.com/v1" } }), "api.openai.com", 443],
  ])("come from the model's base URL: %s", async (_, serialized, address, port) => {
    await chatRun("s", { serialized });
    const span = spans()[0];
    expect(span?.attributes["server.address"]).toBe(address);
    expect(span?.attributes["server.port"]).toBe(port);
  });

  it("are absent when the base URL is not known or not a URL, and never carry credentials or paths", async () => {
    await chatRun("none", { serialized: chatOpenAI() });
    await chatRun("bad", { serialized: chatOpenAI({ configuration: { baseURL: "not a url" } }) });
    await chatRun("creds", { serialized: chatOpenAI({ configuration: { baseURL: "https://user:secret@llm.internal/v1?key=abc" } }) });
    const [none, bad, creds] = spans();
    for (const s of [none, bad]) {
      expect(s?.attributes["server.address"]).toBeUndefined();
      expect(s?.attributes["server.port"]).toBeUndefined();
    }
    expect(creds?.attributes["server.address"]).toBe("llm.internal");
    expect(creds?.attributes["server.port"]).toBe(443);
    expect(JSON.stringify(creds?.attributes)).not.toMatch(/secret|key=abc/);
  });
});

describe("gen_ai.request.stream", () => {
  it("is set on a streamed call that fails before its first token", async () => {
    const model = new ScriptedChatModel({ streaming: true, failWith: () => new ProviderError(500) });
    await expect(createSupportGraph({ model }).invoke(ask("hello"), { callbacks: [handler] })).rejects.toThrow();
    const chat = only(chatSpans(), "chat acme-scripted-1");
    expect(chat.attributes["error.type"]).toBe("500");
    expect(chat.attributes["gen_ai.request.stream"]).toBe(true);
    expect(chat.attributes["gen_ai.response.time_to_first_chunk"]).toBeUndefined();
  });

  it("is read from invocation params (stream) or the serialized model (streaming), and absent for non-streamed calls", async () => {
    await chatRun("p", { params: { stream: true }, error: new Error("ECONNRESET") });
    await chatRun("k", { serialized: chatOpenAI({ streaming: true }), error: new Error("ECONNRESET") });
    await chatRun("n", { params: { stream: false }, error: new Error("ECONNRESET") });
    const [p, k, n] = spans();
    expect(p?.attributes["gen_ai.request.stream"]).toBe(true);
    expect(k?.attributes["gen_ai.request.stream"]).toBe(true);
    expect(n?.attributes["gen_ai.request.stream"]).toBeUndefined();
  });
});
