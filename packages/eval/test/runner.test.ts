import { createServer } from "node:http";

import { type Dataset, type EvalCase, evaluate, prepareTarget, type TargetFunction } from "@agentwatch/eval";
import { createSupportGraph } from "@agentwatch/fixtures";
import { AgentWatchHandler, ATTR, OPERATION } from "@agentwatch/middleware";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";

const prices = { "acme-scripted-1": { input: 150, output: 600, cacheRead: 75 } };
const kase = (id: string, input: string, fields: Partial<EvalCase> = {}): EvalCase => ({ id, input, tags: [], line: 1, ...fields });
const dataset = (...cases: EvalCase[]): Dataset => ({ name: "acme-test", path: "acme-test.jsonl", cases });

const ORDER = kase("order", "Where is my order AB-1234?", { facts: ["AB-1234", "shipped"], tools: ["lookup_order"], tags: ["orders"] });
const REFUND = kase("refund", "How do refunds work?", { tools: ["refund_policy"], forbidden: ["Globex"], tags: ["refunds"] });

/** The cost agentwatch puts on the invoke_agent span when the same graph answers the same question outside the runner. */
async function directCost(question: string): Promise<number> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const handler = new AgentWatchHandler({ tracerProvider: provider, prices });
  await createSupportGraph().invoke({ messages: [{ role: "user", content: question }] }, { callbacks: [handler] });
  const agent = exporter.getFinishedSpans().find((s) => s.attributes[ATTR.operationName] === OPERATION.invokeAgent);
  return agent?.attributes[ATTR.costUsd] as number;
}

describe("evaluate, on the LangGraph support graph with the scripted model", () => {
  it("makes every sample one trace and reads tool calls, cost, tokens and documents from it", async () => {
    const target = prepareTarget(createSupportGraph(), { prompt: { name: "support", version: "1" }, agentwatch: { prices } });
    const report = await evaluate(dataset(ORDER, REFUND), target, { samples: 3, concurrency: 4, progress: false });

    expect(report.prompt).toEqual({ name: "support", version: "1" });
    expect(report.samples).toBe(3);
    const runs = report.cases.flatMap((c) => c.runs);
    expect(runs).toHaveLength(6);
    expect(new Set(runs.map((r) => r.traceId)).size).toBe(6);
    for (const r of runs) expect(r.traceId).toMatch(/^[0-9a-f]{32}$/);

    const [order, refund] = report.cases;
    for (const r of order?.runs ?? []) {
      expect(r.error).toBeUndefined();
      expect(r.toolCalls).toEqual(["lookup_order"]);
      expect(r.answer).toContain("AB-1234");
      expect(r.inputTokens).toBeGreaterThan(0);
      expect(r.outputTokens).toBeGreaterThan(0);
      expect(r.documents.length).toBeGreaterThan(0);
      expect(r.latencyMs).toBeGreaterThan(0);
    }
    expect(refund?.runs.map((r) => r.toolCalls)).toEqual([["refund_policy"], ["refund_policy"], ["refund_policy"]]);

    const expectedCost = await directCost(ORDER.input);
    expect(expectedCost).toBeGreaterThan(0);
    for (const r of order?.runs ?? []) expect(r.costUsd).toBeCloseTo(expectedCost, 12);
    expect(report.totals.costUsd).toBeCloseTo(
      runs.reduce((s, r) => s + r.costUsd, 0),
      12,
    );

    const scores = Object.fromEntries((order?.scores ?? []).map((s) => [s.evaluator, s]));
    expect(scores.facts).toMatchObject({ score: 1, pass: true, passed: 3, judged: 3 });
    expect(scores.tool_trajectory).toMatchObject({ score: 1, pass: true });
    expect(report.byEvaluator.tool_trajectory).toMatchObject({ mean: 1, n: 2 });
    expect(Object.keys(report.byEvaluator)).toEqual(["facts", "forbidden", "tool_trajectory", "groundedness"]);
    expect(Object.keys(report.byTag).sort()).toEqual(["orders", "refunds"]);
    expect(report.byTag.orders?.facts?.n).toBe(1);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.latencyP95Ms).toBeGreaterThanOrEqual(report.totals.latencyP50Ms);
  });

  it("a function target gets the callbacks: two graph calls in one sample are one trace with both tool calls and both costs", async () => {
    const graph = createSupportGraph();
    const twice: TargetFunction = async (input, { callbacks, metadata, signal }) => {
      const config = { callbacks, metadata, signal };
      await graph.invoke({ messages: [{ role: "user", content: input }] }, config);
      const second = await graph.invoke({ messages: [{ role: "user", content: "How do refunds work?" }] }, config);
      const last = second.messages.at(-1);
      return { answer: String(last?.content), documents: ["Refunds are accepted within 30 days of delivery."] };
    };
    const report = await evaluate(dataset(ORDER), prepareTarget(twice, { agentwatch: { prices } }), { progress: false });
    const r = report.cases[0]?.runs[0];
    expect(r?.toolCalls).toEqual(["lookup_order", "refund_policy"]);
    expect(r?.documents).toEqual(["Refunds are accepted within 30 days of delivery."]);
    const expected = (await directCost(ORDER.input)) + (await directCost("How do refunds work?"));
    expect(r?.costUsd).toBeCloseTo(expected, 12);
  });

  it("a target that throws or hangs is a failed sample scoring 0, never a crash", async () => {
    let calls = 0;
    const flaky: TargetFunction = async (input, { signal }) => {
      calls++;
      if (input.includes("boom")) throw new TypeError("tool exploded");
      if (input.includes("hang")) return new Promise<string>(() => void signal);
      return "Order AB-1234 shipped.";
    };
    const report = await evaluate(
      dataset(
        kase("ok", "order", { facts: ["shipped"] }),
        kase("boom", "boom", { facts: ["shipped"] }),
        kase("hang", "hang", { facts: ["shipped"] }),
      ),
      prepareTarget(flaky),
      { samples: 2, timeoutMs: 100, progress: false },
    );
    expect(calls).toBe(6);
    const [ok, boom, hang] = report.cases;
    expect(ok?.scores[0]).toMatchObject({ evaluator: "facts", score: 1, pass: true });
    expect(boom?.runs[0]?.error).toBe("TypeError: tool exploded");
    expect(boom?.runs[0]?.answer).toBe("");
    expect(boom?.scores[0]).toMatchObject({
      evaluator: "facts",
      score: 0,
      pass: false,
      judged: 2,
      explanation: "target failed: TypeError: tool exploded",
    });
    expect(hang?.runs[1]?.error).toBe("timed out after 100 ms");
    expect(report.totals.errors).toBe(4);
  });

  it("keeps at most `concurrency` samples in flight, and reports pass@k over samples", async () => {
    let inFlight = 0;
    let most = 0;
    let n = 0;
    const slow: TargetFunction = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return n++ % 3 === 0 ? "shipped" : "unknown";
    };
    const cases = [1, 2, 3, 4].map((i) => kase(`c${i}`, "order", { facts: ["shipped"] }));
    const report = await evaluate(dataset(...cases), prepareTarget(slow), { samples: 3, concurrency: 2, progress: false });
    expect(most).toBe(2);
    // Samples are handed out in order, so each case's 3 samples contain exactly one "shipped": pass@3 for all, 1/3 mean.
    for (const c of report.cases) expect(c.scores[0]).toMatchObject({ pass: true, passed: 1, judged: 3 });
    expect(report.byEvaluator.facts?.mean).toBeCloseTo(1 / 3, 10);
  });

  it("sends the spans over OTLP/HTTP when an endpoint is given", async () => {
    const posts: string[] = [];
    const server = createServer((req, res) => {
      posts.push(req.url ?? "");
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/x-protobuf" }).end());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as { port: number }).port;
      await evaluate(dataset(ORDER), prepareTarget(createSupportGraph()), { otlpEndpoint: `http://127.0.0.1:${port}`, progress: false });
      expect(posts).toContain("/v1/traces");
    } finally {
      server.close();
    }
  });

  it("refuses bad options with the flag and a fix", async () => {
    await expect(
      evaluate(
        dataset(ORDER),
        prepareTarget(async () => "x"),
        { samples: 0 },
      ),
    ).rejects.toThrow(/--samples must be a whole number of at least 1/);
  });
});
