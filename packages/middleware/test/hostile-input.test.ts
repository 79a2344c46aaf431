import { inspect } from "node:util";

import { seededRandom } from "@agentwatch/fixtures";
import { Document } from "@langchain/core/documents";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { RunnableLambda } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { FakeListChatModel, FakeLLM, FakeRetriever } from "@langchain/core/utils/testing";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { diag, type DiagLogger, DiagLogLevel } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { type AgentWatchHandler, ATTR, type ContentField, GUARDRAIL_EVENT, type RedactFn } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { HostileGetterError, HostileValues } from "./support/hostile.js";
import { type Exposition, find, parseExposition, value } from "./support/openmetrics.js";
import { ledgerTracing, type SpanLedger } from "./support/span-ledger.js";

const make = handlerMaker();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One callback invocation: a handler method and its arguments. */
interface Call {
  method: string;
  args: unknown[];
}

const POOL = Array.from({ length: 24 }, (_, i) => `run-${i}`);

/**
 * `count` random callback events: starts, ends, errors, tokens, stream and custom events, and
 * the handler's record APIs, over a small pool of run ids (so duplicates, ends before starts,
 * reused ids and children of ended or evicted runs are common), with hostile arguments.
 */
function* fuzzCalls(seed: number, count: number, mode: "callbacks" | "hooks"): Generator<Call> {
  const h = new HostileValues(seededRandom(seed));
  const started: unknown[] = [];
  const anyId = () => (h.chance(0.92) ? h.pick(POOL) : h.value());
  const knownId = () => (started.length > 0 && h.chance(0.8) ? h.pick(started) : anyId());
  const parent = () => {
    const r = h.random();
    if (r < 0.3) return h.pick([undefined, null]);
    if (r < 0.85) return knownId();
    return r < 0.92 ? "never-started" : h.value();
  };
  const start = (method: string, hook: string, args: unknown[]): Call => {
    started.push(args[2]);
    if (started.length > 48) started.shift();
    return { method: mode === "hooks" ? hook : method, args };
  };
  for (let i = 0; i < count; i++) {
    let call: Call;
    switch (h.int(24)) {
      case 0:
      case 1:
      case 2:
        call = start("handleChainStart", "_createRunForChainStart", [
          h.serialized(["CompiledStateGraph", "RunnableSequence", "ChatPromptTemplate", "RunnableLambda"]),
          h.maybe(() => ({ messages: h.messages(), input: h.string() })),
          anyId(),
          parent(),
          h.tags(),
          h.metadata(),
          h.name(["chain", "prompt"]),
          h.name(["agent", "tools", "__start__", "support-graph"]),
          h.value(2),
        ]);
        break;
      case 3:
      case 4:
        call = start("handleChatModelStart", "_createRunForChatModelStart", [
          h.serialized(["ChatOpenAI", "ChatAnthropic"]),
          h.messages(),
          anyId(),
          parent(),
          h.extraParams(),
          h.tags(),
          h.metadata(),
          h.name(["ChatOpenAI"]),
        ]);
        break;
      case 5:
        call = start("handleLLMStart", "_createRunForLLMStart", [
          h.serialized(["OpenAI"]),
          h.maybe(() => [h.string(), h.value(2)]),
          anyId(),
          parent(),
          h.extraParams(),
          h.tags(),
          h.metadata(),
          h.name(["OpenAI"]),
        ]);
        break;
      case 6:
      case 7:
        call = start("handleToolStart", "_createRunForToolStart", [
          h.serialized(["DynamicStructuredTool"]),
          h.maybe(() => h.string()),
          anyId(),
          parent(),
          h.tags(),
          h.metadata(),
          h.name(["lookup_order", "search"]),
          h.maybe(() => h.string()),
        ]);
        break;
      case 8:
        call = start("handleRetrieverStart", "_createRunForRetrieverStart", [
          h.serialized(["VectorStoreRetriever"]),
          h.maybe(() => h.string()),
          anyId(),
          parent(),
          h.tags(),
          h.metadata(),
          h.name(["kb"]),
        ]);
        break;
      case 9:
      case 10:
        call = { method: "handleChainEnd", args: [h.maybe(() => ({ messages: h.messages(), output: h.string() })), knownId()] };
        break;
      case 11:
      case 12:
        call = { method: "handleLLMEnd", args: [h.llmResult(), knownId()] };
        break;
      case 13:
        call = { method: "handleToolEnd", args: [h.maybe(() => ({ content: h.string(), lc_serializable: true })), knownId()] };
        break;
      case 14:
        call = { method: "handleRetrieverEnd", args: [h.documents(), knownId()] };
        break;
      case 15:
        call = {
          method: h.pick(["handleChainError", "handleLLMError", "handleToolError", "handleRetrieverError"]),
          args: [h.error(), knownId()],
        };
        break;
      case 16:
      case 17:
        call = { method: "handleLLMNewToken", args: [h.maybe(() => h.string()), h.value(1), knownId(), parent(), h.tags(), h.value(2)] };
        break;
      case 18:
        call = {
          method: "handleChatModelStreamEvent",
          args: [h.maybe(() => ({ event: h.name(["content-block-start", "content-block-delta", "message-end"]) })), knownId()],
        };
        break;
      case 19:
        call = { method: "handleCustomEvent", args: [h.name([GUARDRAIL_EVENT]), h.guardrailRecord(), knownId(), h.tags(), h.metadata()] };
        break;
      case 20:
        call = {
          method: "recordFeedback",
          args: [h.maybe(() => ({ runId: knownId(), score: h.maybe(() => h.random()), comment: h.string() }))],
        };
        break;
      case 21:
        call = {
          method: "recordEvaluation",
          args: [
            h.maybe(() => ({ runId: knownId(), name: h.name(["relevance"]), score: h.random(), label: h.string(), comment: h.string() })),
          ],
        };
        break;
      case 22:
        call = { method: "recordGuardrail", args: [h.guardrailRecord()] };
        break;
      default: {
        // Arguments of the wrong kind and count for any callback.
        const method = h.pick([
          "handleChainStart",
          "handleChainEnd",
          "handleLLMEnd",
          "handleToolStart",
          "handleRetrieverEnd",
          "handleLLMError",
        ]);
        call = { method, args: Array.from({ length: h.int(10) }, () => h.value()) };
      }
    }
    yield call;
  }
}

/**
 * Callbacks never throw. The record APIs throw a TypeError for a malformed record (documented),
 * and a record's own throwing getter may throw through them.
 */
const THROWING_APIS = new Set(["recordFeedback", "recordEvaluation", "recordGuardrail"]);

function allowedThrow(call: Call, error: unknown): boolean {
  if (!THROWING_APIS.has(call.method)) return false;
  return error instanceof HostileGetterError || (error instanceof TypeError && error.message.startsWith("agentwatch:"));
}

/** A redaction hook that sometimes throws and sometimes answers with something that is not a string. */
function flakyRedact(random: () => number): RedactFn {
  return (text) => {
    const r = random();
    if (r < 0.1) throw new Error("redactor down");
    if (r < 0.2) return (r < 0.15 ? undefined : { text }) as unknown as string;
    return text.toUpperCase();
  };
}

async function drive(handler: AgentWatchHandler, calls: Iterable<Call>): Promise<string[]> {
  const escaped: string[] = [];
  const target = handler as unknown as Record<string, (...args: unknown[]) => unknown>;
  let i = 0;
  for (const call of calls) {
    const method = target[call.method];
    if (typeof method !== "function") throw new Error(`the handler has no method ${call.method}`);
    try {
      await method.apply(handler, call.args);
    } catch (error) {
      if (!allowedThrow(call, error)) escaped.push(`#${i} ${call.method}: ${String((error as Error)?.stack ?? error).slice(0, 300)}`);
    }
    i++;
  }
  return escaped;
}

function describeOpen(ledger: SpanLedger): string[] {
  return [...ledger.open].map((s) => s.name.slice(0, 80));
}

// ---- bounds every span keeps, whatever the input -------------------------------------------

/** Names, ids and other identifiers from input are cut to 256 characters (plus "…"). */
const NAME_MAX = 257;
/** Error messages (status, exception.message): 512 characters plus "…". */
const MESSAGE_MAX = 513;
/** Stack traces: 4096 characters plus "…". */
const STACK_MAX = 4097;
/** The longest truncation marker a 5 MB text gets: "…[truncated 5242880 chars]". */
const MARKER_MAX = "…[truncated 99999999 chars]".length;

/** Attributes holding captured content: bounded by maxContentLength (before redaction) instead. */
const CONTENT_KEYS = new Set<string>([
  ATTR.inputMessages,
  ATTR.outputMessages,
  ATTR.systemInstructions,
  ATTR.toolCallArguments,
  ATTR.toolCallResult,
  ATTR.retrievalQueryText,
  ATTR.evaluationExplanation,
  ATTR.feedbackComment,
]);
/** JSON summaries of many bounded entries (documents, guardrail findings). */
const SUMMARY_KEYS = new Set<string>([ATTR.retrievalDocuments, ATTR.guardrailFindings]);
const SUMMARY_MAX = 64 * 1024;

function limitOf(key: string, contentMax: number): number {
  if (CONTENT_KEYS.has(key)) return contentMax;
  if (SUMMARY_KEYS.has(key)) return SUMMARY_MAX;
  if (key === "exception.message") return MESSAGE_MAX;
  if (key === "exception.stacktrace") return STACK_MAX;
  return NAME_MAX;
}

/** Every place a span carries text longer than its bound, as "span › key: length". */
function oversized(spans: Iterable<ReadableSpan>, contentMax: number): string[] {
  const out: string[] = [];
  const check = (span: ReadableSpan, where: string, key: string, v: unknown) => {
    const values = Array.isArray(v) ? v : [v];
    if (Array.isArray(v) && v.length > 64) out.push(`${span.name.slice(0, 40)} › ${where}${key}: ${v.length} entries`);
    for (const item of values) {
      if (typeof item === "string" && item.length > limitOf(key, contentMax)) {
        out.push(`${span.name.slice(0, 40)} › ${where}${key}: ${item.length} chars`);
      }
    }
  };
  for (const span of spans) {
    if (span.name.length > NAME_MAX) out.push(`span name: ${span.name.length} chars (${span.name.slice(0, 40)})`);
    if ((span.status.message?.length ?? 0) > MESSAGE_MAX)
      out.push(`${span.name.slice(0, 40)} › status: ${span.status.message?.length} chars`);
    for (const [key, v] of Object.entries(span.attributes)) check(span, "", key, v);
    for (const event of span.events) {
      if (event.name.length > NAME_MAX) out.push(`${span.name.slice(0, 40)} › event name: ${event.name.length} chars`);
      for (const [key, v] of Object.entries(event.attributes ?? {})) check(span, `${event.name} `, key, v);
    }
  }
  return out;
}

const FUZZ_EVENTS = 10_000;
const FUZZ_CONTENT_MAX = 64;
const envSeed = Number(process.env.AGENTWATCH_FUZZ_SEED || Number.NaN);
/** Seeds and modes: LangChain's async callbacks, or its synchronous start hooks (after the first hook call a handler ignores async starts). */
const RUNS: [number, "callbacks" | "hooks"][] = Number.isInteger(envSeed)
  ? [
      [envSeed, "callbacks"],
      [envSeed, "hooks"],
    ]
  : [
      [0x5eed_0001, "callbacks"],
      [0x5eed_0002, "hooks"],
    ];

describe("fuzz: random, reordered, duplicated and malformed callback events", () => {
  for (const [seed, mode] of RUNS) {
    it(`seed ${seed} (${mode}, replay with AGENTWATCH_FUZZ_SEED=${seed}): ${FUZZ_EVENTS} events never throw, leave no run or span open after the TTL, and keep spans and /metrics bounded and valid`, async () => {
      const { provider, ledger } = ledgerTracing();
      const random = seededRandom(seed ^ 0x9e3779b9);
      const { handler } = make({
        tracerProvider: provider,
        runTtlMs: 50,
        captureContent: true,
        maxContentLength: FUZZ_CONTENT_MAX,
        redact: flakyRedact(random),
        showAllRuns: mode === "hooks",
        evaluation: {
          sampleRate: 0.5,
          evaluators: [
            {
              name: "hostile",
              evaluate: () => {
                const r = random();
                if (r < 0.2) throw new Error("judge down");
                return r < 0.4 ? ({ score: Number.NaN } as never) : { score: r, explanation: r < 0.6 ? "x".repeat(1 << 20) : "fine" };
              },
            },
          ],
        },
      });
      const escaped = await drive(handler, fuzzCalls(seed, FUZZ_EVENTS, mode));
      expect(escaped, `seed ${seed}: exceptions escaped the handler`).toEqual([]);
      await handler.evaluationsIdle();
      if (mode === "callbacks") {
        // Past the TTL, one clean run start sweeps every abandoned run...
        await sleep(60);
        await handler.handleChainStart({ id: ["Graph"] }, {}, "sweeper", undefined, [], {}, undefined, "sweeper");
        await handler.handleChainEnd({}, "sweeper");
      } else {
        // ...and without one, the periodic sweep (every second at most) does.
        await sleep(1200);
      }
      expect(handler.openRuns, `seed ${seed}: open runs`).toBe(0);
      expect(describeOpen(ledger), `seed ${seed}: spans started but never ended`).toEqual([]);
      expect(ledger.started, `seed ${seed}: the fuzz started spans`).toBeGreaterThan(500);
      // Uppercasing (the hook) can lengthen some characters up to 3 times.
      expect(oversized(ledger.ended, 3 * (FUZZ_CONTENT_MAX + MARKER_MAX)), `seed ${seed}: unbounded span text`).toEqual([]);
      const body = await handler.registry.metrics();
      const m = parseExposition(body, { format: "openmetrics" });
      expect(value(m, "agentwatch_open_runs"), `seed ${seed}`).toBe(0);
      expect(m.samples.every((s) => Object.values(s.labels).every((l) => l.length <= 128))).toBe(true);

      // And the handler still works: a well-formed run after the storm is traced completely.
      const before = ledger.ended.length;
      const hooks = mode === "hooks" ? handler : undefined;
      hooks?._createRunForChainStart({ id: ["Graph"] }, { messages: [] }, "after-root", undefined, [], {}, undefined, "after");
      await handler.handleChainStart({ id: ["Graph"] }, { messages: [] }, "after-root", undefined, [], {}, undefined, "after");
      const md = { ls_provider: "openai", ls_model_name: "gpt-4o" };
      hooks?._createRunForChatModelStart({ id: ["ChatOpenAI"] }, [[new HumanMessage("hi")]], "after-llm", "after-root", {}, [], md);
      await handler.handleChatModelStart({ id: ["ChatOpenAI"] }, [[new HumanMessage("hi")]], "after-llm", "after-root", {}, [], md);
      await handler.handleLLMEnd({ generations: [[{ text: "hello", message: new AIMessage("hello") }]] }, "after-llm");
      await handler.handleChainEnd({}, "after-root");
      const after = ledger.ended.slice(before);
      expect(after.map((s) => s.name)).toEqual(["chat gpt-4o", "invoke_agent after"]);
      expect(after[0]?.parentSpanContext?.spanId).toBe(after[1]?.spanContext().spanId);
    });
  }
});

// ---- label values --------------------------------------------------------------------------

/** Names that break a naive exposition writer or reader. */
const NASTY_NAMES = [
  "line\nbreak",
  'say "hi"',
  "back\\slash",
  "trailing backslash\\",
  "\\n is two characters",
  'a="b",c="d"} 1 # {x="y"} 2',
  "# EOF",
  "ünïcødé 中文 😀 👩‍👩‍👧",
  "tab\tcr\rnul\u0000",
  "rtl\u202Ezero\u200Bwidth\u2028line-separator",
  // 127 characters, then an emoji: the 128-character cut lands inside its surrogate pair.
  `${"x".repeat(127)}😀 and more`,
  "lone \uD800 surrogate",
];

/**
 * A label value as documented (LabelLimiter): cut to 128 UTF-16 units, never inside a surrogate
 * pair, and lone surrogates (not encodable as UTF-8) replaced by U+FFFD.
 */
function labelOf(name: string): string {
  let cut = name;
  if (cut.length > 128) cut = cut.slice(0, /[\uD800-\uDBFF]/.test(cut.charAt(127)) ? 127 : 128);
  return cut.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** A chat model that reports `model` as its LangSmith model name (as provider integrations do). */
class NamedModel extends FakeListChatModel {
  constructor(private readonly lsModelName: string) {
    super({ responses: ["ok"] });
  }

  override getLsParams(options: this["ParsedCallOptions"]) {
    return { ...super.getLsParams(options), ls_provider: "openai", ls_model_name: this.lsModelName };
  }
}

/** One LangGraph run in which the agent, node, model, tool, retriever, feature and prompt are all called `name`. */
async function runNamed(handler: AgentWatchHandler, name: string): Promise<void> {
  const model = new NamedModel(name);
  const lookup = tool(async () => "found", { name, description: "looks things up", schema: z.object({ q: z.string() }) });
  const retriever = new FakeRetriever({ output: [new Document({ pageContent: "doc", metadata: { id: "d1", score: 0.5 } })] });
  const graph = new StateGraph(MessagesAnnotation)
    .addNode(name, async (state, config) => {
      await retriever.invoke("q", { ...config, runName: name });
      const reply = await model.invoke(state.messages, config);
      await lookup.invoke({ q: "x" }, config);
      return { messages: [reply] };
    })
    .addEdge(START, name)
    .addEdge(name, END)
    .compile({ name });
  await graph.invoke(
    { messages: [new HumanMessage("hi")] },
    { callbacks: [handler], metadata: { feature: name, prompt_name: name, prompt_version: name } },
  );
  handler.recordGuardrail({ guardrail: name, stage: "input", outcome: "flag" });
}

/** Which series carry the name in which labels. */
function expectNamed(m: Exposition, name: string): void {
  const l = labelOf(name);
  const series: [string, Record<string, string>][] = [
    ["gen_ai_invoke_agent_duration_seconds_count", { gen_ai_agent_name: l }],
    ["agentwatch_node_duration_seconds_count", { agent: l, node: l }],
    ["gen_ai_execute_tool_duration_seconds_count", { gen_ai_tool_name: l, gen_ai_agent_name: l }],
    ["gen_ai_client_operation_duration_seconds_count", { gen_ai_operation_name: "chat", gen_ai_request_model: l, gen_ai_agent_name: l }],
    ["agentwatch_cost_usd_total", { agent: l, model: l, feature: l }],
    ["agentwatch_prompt_info", { prompt: l, version: l }],
    ["agentwatch_retrieval_documents_count", { agent: l, gen_ai_data_source_id: l }],
    ["agentwatch_guardrail_checks_total", { guardrail: l, stage: "input", outcome: "flag" }],
  ];
  for (const [metric, labels] of series) expect(find(m, metric, labels), `${metric} ${JSON.stringify(labels)}`).toHaveLength(1);
}

describe("label values with newlines, quotes, backslashes and unicode", () => {
  const prices = Object.fromEntries(NASTY_NAMES.map((n) => [n, { input: 1, output: 1 }]));

  it("round-trip through a valid OpenMetrics exposition (cut to 128 characters, lone surrogates replaced)", async () => {
    const { handler, tracing } = make({ prices });
    for (const name of NASTY_NAMES) await runNamed(handler, name);
    const body = await handler.registry.metrics();
    expect(body.endsWith("\n# EOF\n")).toBe(true);
    const m = parseExposition(body, { format: "openmetrics" });
    for (const name of NASTY_NAMES) expectNamed(m, name);
    expect(m.samples.every((s) => Object.values(s.labels).every((l) => l.length <= 128))).toBe(true);
    // Spans keep the names as given (they are not escaped text).
    const agents = tracing.exporter
      .getFinishedSpans()
      .flatMap((s) => (s.name.startsWith("invoke_agent ") ? [s.attributes[ATTR.agentName]] : []));
    expect(agents).toEqual(NASTY_NAMES);
  });

  it("round-trip through a valid Prometheus text exposition when the handler is given a plain Registry", async () => {
    const registry = new Registry();
    const { handler } = make({ prices, registry });
    for (const name of NASTY_NAMES) await runNamed(handler, name);
    const body = await registry.metrics();
    expect(body.split("\n")).not.toContain("# EOF");
    const m = parseExposition(body, { format: "prometheus" });
    for (const name of NASTY_NAMES) expectNamed(m, name);
  });

  it("treat names of Object.prototype members (constructor, toString, __proto__) as plain names", async () => {
    const { handler, tracing } = make({ captureContent: true, prices: { "gpt-4o": { input: 1, output: 1 } } });
    const names = ["constructor", "toString", "__proto__", "hasOwnProperty"];
    const result = {
      generations: [[{ text: "ok", message: new AIMessage("ok") }]],
      llmOutput: { tokenUsage: { promptTokens: 5, completionTokens: 1 } },
    };
    for (const name of names) {
      // As provider (ls_provider), as model class (no ls_provider), as model name and as message role.
      const messages = [[{ type: name, content: "hi" }]];
      await handler.handleChatModelStart({ id: ["x", name] }, messages, `a-${name}`, undefined, {}, [], {
        ls_provider: name,
        ls_model_name: name,
      });
      await handler.handleLLMEnd(result, `a-${name}`);
      await handler.handleChatModelStart({ id: ["x", name] }, messages, `b-${name}`, undefined, {}, [], { ls_model_name: name });
      await handler.handleLLMEnd(result, `b-${name}`);
    }
    const chats = tracing.exporter.getFinishedSpans().filter((s) => s.name.startsWith("chat "));
    expect(chats.map((s) => s.attributes[ATTR.providerName])).toEqual(names.flatMap((n) => [n.toLowerCase(), "unknown"]));
    expect(chats.map((s) => s.attributes[ATTR.costPriced])).toEqual(names.flatMap(() => [false, false]));
    expect(chats.map((s) => JSON.parse(String(s.attributes[ATTR.inputMessages]))[0].role)).toEqual(names.flatMap(() => ["user", "user"]));
    const m = parseExposition(await handler.registry.metrics(), { format: "openmetrics" });
    expect(find(m, "agentwatch_cost_usd_total")).toEqual([]);
    for (const name of names) expect(value(m, "agentwatch_unpriced_calls_total", { provider: name.toLowerCase(), model: name })).toBe(1);
    expect(m.samples.every((s) => !Number.isNaN(s.value))).toBe(true);
  });
});

// ---- huge input ----------------------------------------------------------------------------

const MB = 1 << 20;
const FIVE_MB = "The quick brown fox jumps over the lazy dog. ".repeat(Math.ceil((5 * MB) / 45)).slice(0, 5 * MB);
/** 5 MB without whitespace: a single "word" (a base64 blob, say). */
const FIVE_MB_WORD = "a".repeat(5 * MB);
const CONTENT_MAX = 1000;

const echo = tool(async ({ q }: { q: string }) => q, { name: "echo", description: "echoes", schema: z.object({ q: z.string() }) });

function attributeValues(spans: readonly ReadableSpan[], key: string): unknown[] {
  return spans.flatMap((s) => [s.attributes[key], ...s.events.map((e) => e.attributes?.[key])]).filter((v) => v !== undefined);
}

/** The run id of the (one) root run named `name`. */
function rootRunId(spans: readonly ReadableSpan[], name: string): string {
  return String(spans.find((s) => s.name === `invoke_agent ${name}`)?.attributes[ATTR.runId]);
}

describe("huge input is bounded before it reaches a span", () => {
  it("truncates 5 MB prompts, completions, tool arguments and results and retrieval queries to maxContentLength, and estimates their tokens quickly", async () => {
    const redacted: number[] = [];
    const { handler, tracing } = make({
      captureContent: true,
      maxContentLength: CONTENT_MAX,
      redact: (text) => {
        redacted.push(text.length);
        return text;
      },
    });
    const agent = RunnableLambda.from(async (input: string, config) => {
      // No usage reported: tokens are estimated from 10 MB of prompt, half of it one 5 MB word.
      await new FakeListChatModel({ responses: [FIVE_MB] }).invoke([new SystemMessage(FIVE_MB), new HumanMessage(FIVE_MB_WORD)], config);
      await new FakeLLM({}).invoke(FIVE_MB, config);
      await echo.invoke({ q: FIVE_MB }, config);
      await new FakeRetriever({ output: [new Document({ pageContent: FIVE_MB })] }).invoke(FIVE_MB, config);
      return input.length;
    }).withConfig({ runName: "big" });
    const t0 = performance.now();
    await agent.invoke(FIVE_MB, { callbacks: [handler] });
    const elapsed = performance.now() - t0;
    const spans = tracing.exporter.getFinishedSpans();
    const runId = rootRunId(spans, "big");
    expect(handler.recordEvaluation({ runId, name: "relevance", score: 1, comment: FIVE_MB })).toBe(true);
    expect(handler.recordFeedback({ runId, score: 1, comment: FIVE_MB })).toBe(true);
    const all = tracing.exporter.getFinishedSpans();

    // Every content field was captured, truncated, with the marker.
    for (const key of CONTENT_KEYS) {
      const values = attributeValues(all, key);
      expect(values.length, key).toBeGreaterThan(0);
      for (const v of values) {
        expect(String(v).length, key).toBeLessThanOrEqual(CONTENT_MAX + MARKER_MAX);
        expect(String(v), key).toMatch(/…\[truncated \d+ chars\]/);
      }
    }
    // The hook itself never sees more than the truncated text.
    expect(redacted.length).toBeGreaterThanOrEqual(CONTENT_KEYS.size);
    expect(Math.max(...redacted)).toBeLessThanOrEqual(CONTENT_MAX + MARKER_MAX);
    expect(oversized(all, CONTENT_MAX + MARKER_MAX)).toEqual([]);
    // Token estimation scales with the whole prompt but stays cheap (a BPE tokenizer is quadratic in a word's length).
    const chat = all.find((s) => s.name.startsWith("chat "));
    expect(chat?.attributes[ATTR.usageEstimated]).toBe(true);
    expect(Number(chat?.attributes[ATTR.usageInputTokens])).toBeGreaterThan(500_000);
    expect(elapsed).toBeLessThan(10_000);
  });

  it("bounds names, ids, metadata values and error text that come from input", async () => {
    const HUGE = "n".repeat(5 * MB);
    const { handler, tracing } = make({ agentName: undefined });
    class HugeResponseModel extends FakeListChatModel {
      // An OpenAI model, so the fingerprint (an openai.* attribute, OpenAI spans only) is recorded.
      override getLsParams(options: this["ParsedCallOptions"]) {
        return { ...super.getLsParams(options), ls_provider: "openai" };
      }
      override async _generate(): Promise<ChatResult> {
        const message = new AIMessage({
          content: "ok",
          id: HUGE,
          response_metadata: { model_name: HUGE, system_fingerprint: HUGE, finish_reason: HUGE },
        });
        return { generations: [{ text: "ok", message }] };
      }
    }
    const failing = tool(
      async () => {
        throw new Error(HUGE);
      },
      { name: HUGE, description: HUGE, schema: z.object({}) },
    );
    const node = (fn: () => unknown) => RunnableLambda.from(fn).withConfig({ runName: HUGE, metadata: { langgraph_node: HUGE } });
    const agent = RunnableLambda.from(async (_: string, config) => {
      await node(() => 1).invoke(1, config);
      await new HugeResponseModel({ responses: ["ok"] }).invoke("hi", { ...config, stop: [HUGE] });
      await new FakeRetriever({ output: [new Document({ pageContent: "d", metadata: { id: HUGE, score: 0.5 } })] }).invoke("q", config);
      await failing.invoke({ id: HUGE, name: HUGE, args: {}, type: "tool_call" }, config).catch(() => undefined);
      await node(() => {
        throw Object.assign(new Error("interrupted"), { is_bubble_up: true, name: HUGE });
      })
        .invoke(1, config)
        .catch(() => undefined);
      await node(() => {
        throw new TypeError(HUGE);
      })
        .invoke(1, config)
        .catch(() => undefined);
      return "done";
    }).withConfig({
      runName: HUGE,
      metadata: {
        thread_id: HUGE,
        user_id: HUGE,
        session_id: HUGE,
        prompt_name: HUGE,
        prompt_version: HUGE,
        feature: HUGE,
        ls_model_name: HUGE,
        ls_provider: HUGE,
        ls_retriever_name: HUGE,
        ls_vector_store_provider: HUGE,
      },
    });
    await agent.invoke("go", { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    // The huge values did reach these attributes (cut), so the bound below is not vacuous.
    for (const key of [
      ATTR.agentName,
      ATTR.conversationId,
      ATTR.userId,
      ATTR.sessionId,
      ATTR.promptName,
      ATTR.promptVersion,
      ATTR.requestModel,
      ATTR.responseModel,
      ATTR.responseId,
      ATTR.responseFinishReasons,
      ATTR.openaiSystemFingerprint,
      ATTR.requestStopSequences,
      ATTR.toolName,
      ATTR.toolCallId,
      ATTR.dataSourceId,
      ATTR.providerName,
      ATTR.langgraphNode,
      ATTR.controlFlow,
      ATTR.retrievalDocuments,
      "exception.message",
      "exception.stacktrace",
      "exception.type",
    ]) {
      expect(attributeValues(spans, key).length, key).toBeGreaterThan(0);
    }
    expect(spans.some((s) => s.status.message?.startsWith("nnnn"))).toBe(true);
    expect(oversized(spans, 0)).toEqual([]);
    expect(spans.every((s) => s.name.length <= NAME_MAX)).toBe(true);
    expect(spans.map((s) => s.name).find((n) => n.startsWith("execute_tool "))).toBe(
      `execute_tool ${"n".repeat(256 - "execute_tool ".length)}…`,
    );
  });
  it("bounds the error text of a failing embeddings call, and passes the error on unchanged", async () => {
    const { handler, tracing } = make();
    const huge = new Error("x".repeat(5 * MB));
    const embeddings = handler.instrumentEmbeddings(
      {
        embedQuery: async (_text: string): Promise<number[]> => {
          throw huge;
        },
      },
      { model: "embed-1", provider: "openai" },
    );
    await expect(embeddings.embedQuery("q")).rejects.toBe(huge);
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["embeddings embed-1"]);
    expect(attributeValues(spans, "exception.message")).toHaveLength(1);
    expect(oversized(spans, 0)).toEqual([]);
  });
});

// ---- redaction fails closed ----------------------------------------------------------------

const SECRET = "TOP-SECRET-7f3a9c";
const FIELDS: { field: ContentField; keys: string[] }[] = [
  { field: "input.messages", keys: [ATTR.inputMessages] },
  { field: "output.messages", keys: [ATTR.outputMessages] },
  { field: "system_instructions", keys: [ATTR.systemInstructions] },
  { field: "tool.call.arguments", keys: [ATTR.toolCallArguments] },
  { field: "tool.call.result", keys: [ATTR.toolCallResult] },
  { field: "retrieval.query", keys: [ATTR.retrievalQueryText] },
  { field: "evaluation.explanation", keys: [ATTR.evaluationExplanation] },
  { field: "feedback.comment", keys: [ATTR.feedbackComment] },
];

/** Everything a span exports, as one string. */
function dump(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
}

/** Every diag message and argument agentwatch logs while `fn` runs, as text. */
const diagLog: string[] = [];
const captureDiag: DiagLogger = Object.fromEntries(
  (["error", "warn", "info", "debug", "verbose"] as const).map((level) => [
    level,
    (message: string, ...args: unknown[]) => {
      // As a console logger would print them.
      diagLog.push(`${level} ${message} ${args.map((a) => inspect(a, { depth: 10 })).join(" ")}`);
    },
  ]),
) as unknown as DiagLogger;

/** A run whose every content field carries SECRET: agent input, chat and completion prompts and answers, system prompt, tool, retrieval, online evaluation, a score and feedback. */
async function secretRun(handler: AgentWatchHandler, spans: () => readonly ReadableSpan[]): Promise<void> {
  const agent = RunnableLambda.from(async (input: string, config) => {
    await new FakeListChatModel({ responses: [`answer ${SECRET}`] }).invoke(
      [new SystemMessage(`system ${SECRET}`), new HumanMessage(`question ${SECRET}`)],
      config,
    );
    await new FakeLLM({}).invoke(`prompt ${SECRET}`, config);
    await echo.invoke({ q: `arguments ${SECRET}` }, config);
    await new FakeRetriever({ output: [] }).invoke(`query ${SECRET}`, config);
    return `final answer to ${input}`;
  }).withConfig({ runName: "secret-agent" });
  await agent.invoke(`input ${SECRET}`, { callbacks: [handler] });
  await handler.evaluationsIdle();
  const runId = rootRunId(spans(), "secret-agent");
  expect(handler.recordEvaluation({ runId, name: "relevance", score: 1, comment: `explanation ${SECRET}` })).toBe(true);
  expect(handler.recordFeedback({ runId, score: 1, comment: `comment ${SECRET}` })).toBe(true);
}

/** A hook that masks SECRET in every field but `target`, where it misbehaves as `misbehave` says; counts its calls by field. */
function targetedHook(target: ContentField, misbehave: (text: string) => unknown, calls: Map<string, number>): RedactFn {
  return (text, { field }) => {
    calls.set(field, (calls.get(field) ?? 0) + 1);
    if (field === target) return misbehave(text) as string;
    return text.replaceAll(SECRET, "[MASKED]");
  };
}

const MISBEHAVIOURS: { name: string; misbehave: (text: string) => unknown }[] = [
  {
    name: "throws an Error quoting the text",
    misbehave: (text) => {
      throw new Error(`cannot redact: ${text}`);
    },
  },
  {
    name: "throws a non-Error",
    misbehave: (text) => {
      throw { text };
    },
  },
  { name: "returns undefined", misbehave: () => undefined },
  { name: "returns the text wrapped in an object", misbehave: (text) => ({ text }) },
  { name: "returns a number", misbehave: (text) => text.length },
  { name: "is async (returns a Promise of the redacted text)", misbehave: async (text) => text.replaceAll(SECRET, "[MASKED]") },
  { name: "is async and rejects with the text", misbehave: async (text) => Promise.reject(new Error(`cannot redact: ${text}`)) },
];

describe("a redaction hook that fails never leaks raw text (fail closed)", () => {
  afterEach(() => {
    diag.disable();
    diagLog.length = 0;
  });

  for (const { name, misbehave } of MISBEHAVIOURS) {
    for (const { field, keys } of FIELDS) {
      it(`${field}: a hook that ${name} drops the text and counts redact errors`, async () => {
        diag.setLogger(captureDiag, DiagLogLevel.ALL);
        const calls = new Map<string, number>();
        const { handler, tracing } = make({
          captureContent: true,
          redact: targetedHook(field, misbehave, calls),
          evaluation: { sampleRate: 1, evaluators: [{ name: "judge", evaluate: () => ({ score: 1, explanation: `judge ${SECRET}` }) }] },
        });
        await secretRun(handler, () => tracing.exporter.getFinishedSpans());
        await sleep(5); // let a rejected promise surface, if anything left one unhandled
        const spans = tracing.exporter.getFinishedSpans();
        const text = dump(spans);
        expect(text).not.toContain(SECRET);
        expect(diagLog.join("\n")).not.toContain(SECRET);
        // The failing field is missing everywhere; every other field is there, masked.
        for (const key of keys) expect(attributeValues(spans, key), key).toEqual([]);
        for (const other of FIELDS.filter((f) => f.field !== field)) {
          for (const key of other.keys) {
            const values = attributeValues(spans, key);
            expect(values.length, key).toBeGreaterThan(0);
            expect(
              values.every((v) => String(v).includes("[MASKED]")),
              key,
            ).toBe(true);
          }
        }
        // Every failed call of the hook is counted, and only those.
        const m = parseExposition(await handler.registry.metrics());
        expect(calls.get(field)).toBeGreaterThan(0);
        expect(value(m, "agentwatch_handler_errors_total", { callback: "redact" })).toBe(calls.get(field));
        expect(find(m, "agentwatch_handler_errors_total").filter((s) => s.labels.callback !== "redact")).toEqual([]);
      });
    }
  }
});

// ---- the exposition parser the label tests rely on -----------------------------------------

describe("the strict exposition parser", () => {
  const head = "# HELP m help\n# TYPE m counter\n";
  const good = `${head}m_total{a="x\\\\y\\"z\\nw"} 1\n# EOF\n`;

  it("accepts the escapes the formats define and decodes them", () => {
    expect(parseExposition(good).samples[0]?.labels.a).toBe('x\\y"z\nw');
  });

  for (const [what, body] of [
    ["an unknown escape", `${head}m_total{a="x\\ty"} 1\n# EOF\n`],
    ["a raw newline in a label value", `${head}m_total{a="x\ny"} 1\n# EOF\n`],
    ["an unescaped quote", `${head}m_total{a="x"y"} 1\n# EOF\n`],
    ["a trailing backslash", `${head}m_total{a="x\\"} 1\n# EOF\n`],
    ["a repeated label", `${head}m_total{a="x",a="y"} 1\n# EOF\n`],
    ["a lone surrogate", `${head}m_total{a="\uD800"} 1\n# EOF\n`],
    ["text after # EOF", `${head}m_total 1\n# EOF\nm_total 2\n`],
    ["no # EOF", `${head}m_total 1\n`],
    ["a blank line", `${head}\nm_total 1\n# EOF\n`],
    ["a sample of an undeclared family", `${head}n_total 1\n# EOF\n`],
    ["junk after the value", `${head}m_total{a="x"} 1 2 3\n# EOF\n`],
  ] as const) {
    it(`rejects ${what}`, () => {
      expect(() => parseExposition(body, { format: "openmetrics" })).toThrow();
    });
  }
});
