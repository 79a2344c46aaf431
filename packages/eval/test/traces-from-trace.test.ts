// Production traces back into candidate cases, from traces the real middleware makes (the support
// graph of @agentwatch/fixtures with AgentWatchHandler) serialised by OTel's own OTLP JSON serializer.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { AgentWatchHandler } from "@agentwatch/middleware";
import { HumanMessage } from "@langchain/core/messages";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { addFromTraceCommand, fromTrace } from "../src/cli/from-trace-command.js";
import { candidateCases, candidateLine, parseOtlpJson } from "../src/traces/index.js";
import { EXIT } from "../src/types.js";

/** Runs the support agent on each question and returns the OTLP JSON of its spans. */
async function traceOf(questions: string[], captureContent = true, chainTools = false): Promise<string> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const handler = new AgentWatchHandler({ tracerProvider: provider, captureContent });
  try {
    for (const q of questions)
      await createSupportGraph({ model: new ScriptedChatModel({ chainTools }) }).invoke(
        { messages: [new HumanMessage(q)] },
        { callbacks: [handler] },
      );
  } finally {
    handler.shutdown();
  }
  return new TextDecoder().decode(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans()));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eval-traces-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a trace into a candidate case", () => {
  it("takes the question, the answer as reference and the tools in order from a real agentwatch trace", async () => {
    const json = await traceOf(["Where is my order AB-1234?"]);
    const spans = parseOtlpJson(json);
    const [candidate, ...more] = candidateCases(spans);
    expect(more).toEqual([]);
    const traceId = spans[0]?.traceId;
    expect(candidate?.case).toEqual({
      id: `trace-${traceId}`,
      input: "Where is my order AB-1234?",
      reference: expect.stringContaining("AB-1234, status: shipped"),
      tools: ["lookup_order"],
      tags: [],
    });
    expect(candidate?.warnings.join("\n")).toContain("check it is right before committing");
    expect(JSON.parse(candidateLine(candidate as NonNullable<typeof candidate>))).toEqual(candidate?.case);
  });

  it("lists every tool call of the run in the order they ran", async () => {
    const [candidate] = candidateCases(parseOtlpJson(await traceOf(["I want a refund for order AB-1234"], true, true)));
    expect(candidate?.case.tools).toEqual(["lookup_order", "refund_policy", "create_ticket"]);
  });

  it("reads Tempo's shapes ({batches}, {trace: {resourceSpans}}) and JSON lines of several traces", async () => {
    const one = JSON.parse(await traceOf(["Where is my order AB-1234?"]));
    expect(candidateCases(parseOtlpJson(JSON.stringify({ batches: one.resourceSpans })))).toHaveLength(1);
    expect(candidateCases(parseOtlpJson(JSON.stringify({ trace: one })))).toHaveLength(1);
    const lines = `${await traceOf(["How do I reset my password?"])}\n${await traceOf(["Where is my order CD-5678?"])}\n`;
    const candidates = candidateCases(parseOtlpJson(lines));
    expect(candidates.map((c) => c.case.input)).toEqual(["How do I reset my password?", "Where is my order CD-5678?"]);
    expect(candidates[0]?.case.tools).toBeUndefined();
  });

  it("takes the feature attribute as a tag when the span has one", async () => {
    const doc = JSON.parse(await traceOf(["Where is my order AB-1234?"]));
    for (const rs of doc.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans)
          if (span.name.startsWith("invoke_agent")) span.attributes.push({ key: "agentwatch.feature", value: { stringValue: "orders" } });
    expect(candidateCases(parseOtlpJson(JSON.stringify(doc)))[0]?.case.tags).toEqual(["orders"]);
  });

  it("says to enable captureContent when the trace has no captured content", async () => {
    const json = await traceOf(["Where is my order AB-1234?"], false);
    expect(() => candidateCases(parseOtlpJson(json), "t.json")).toThrow(
      /t\.json: the invoke_agent acme-support span of trace [0-9a-f]{32} has no gen_ai\.input\.messages: captured content was off when it ran\. Enable it with new AgentWatchHandler\(\{ captureContent: true \}\)/,
    );
  });

  it("names the file and the fix for what is not an agent trace", () => {
    expect(() => parseOtlpJson("{", "x.json")).toThrow("x.json line 1 is not JSON");
    expect(() => parseOtlpJson('{"spans": []}', "x.json")).toThrow("x.json has no resourceSpans");
    expect(() => candidateCases(parseOtlpJson('{"resourceSpans": []}'), "x.json")).toThrow("x.json has no invoke_agent span (0 spans)");
  });
});

describe("agentwatch-eval from-trace", () => {
  it("prints one JSONL line per trace, or appends them to --out; exit 2 naming the file on bad input", async () => {
    const file = join(dir, "trace.json");
    await writeFile(file, await traceOf(["Where is my order AB-1234?"]));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const program = addFromTraceCommand(new Command("agentwatch-eval").exitOverride(), io);
    await program.parseAsync(["from-trace", file], { from: "user" });
    expect(process.exitCode).toBe(EXIT.pass);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? "")).toMatchObject({ input: "Where is my order AB-1234?", tools: ["lookup_order"] });

    const dataset = join(dir, "golden.jsonl");
    await writeFile(dataset, '{"id":"old","input":"hi","tags":[]}\n');
    expect(await fromTrace([file], { out: dataset }, io)).toBe(EXIT.pass);
    expect((await readFile(dataset, "utf8")).trim().split("\n")).toHaveLength(2);

    expect(await fromTrace([join(dir, "missing.json")], {}, io)).toBe(EXIT.badInput);
    expect(err.at(-1)).toContain("missing.json cannot be read (ENOENT)");
    process.exitCode = 0;
  });
});
