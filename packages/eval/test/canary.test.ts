/**
 * The canary prober: known-answer cases asked of a real agent (the LangGraph support graph on the
 * scripted model, in process with agentwatch attached; and over HTTP against a loopback server),
 * judged with the facts / patterns / forbidden evaluators, scheduled without overlap, stopped, and
 * measured on the registry it is given.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

import { CanaryProber, type EvalCase, type TargetFunction } from "@agentwatch/eval";
import { createSupportGraph } from "@agentwatch/fixtures";
import { AgentWatchHandler, ATTR, createOpenMetricsRegistry, type MetricsRegistry } from "@agentwatch/middleware";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";

const kase = (id: string, input: string, fields: Partial<EvalCase> = {}): EvalCase => ({ id, input, tags: [], line: 1, ...fields });
const ORDER = kase("order", "Where is my order AB-1234?", {
  facts: ["AB-1234", "UPS"],
  patterns: ["1Z999AA\\d+"],
  forbidden: ["not_found"],
});
const WRONG = kase("wrong", "Where is my order AB-1234?", { facts: ["AB-1234", "delivered by carrier pigeon"] });

/** The value of `name{labels}` in the registry's exposition, or undefined. */
async function sample(registry: MetricsRegistry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metrics = await registry.getMetricsAsJSON();
  for (const m of metrics) {
    for (const v of m.values as { metricName?: string; labels: Record<string, unknown>; value: number }[]) {
      const metricName = v.metricName ?? m.name;
      if (metricName !== name) continue;
      if (Object.entries(labels).every(([k, x]) => v.labels[k] === x)) return v.value;
    }
  }
  return undefined;
}

const probers: CanaryProber[] = [];
afterEach(async () => {
  for (const p of probers.splice(0)) await p.stop();
});
const prober = (options: ConstructorParameters<typeof CanaryProber>[0]) => {
  const p = new CanaryProber(options);
  probers.push(p);
  return p;
};

describe("canary prober, in process on the support graph", () => {
  it("passes a right answer, fails a wrong one, marks its runs synthetic, and measures both", async () => {
    const exporter = new InMemorySpanExporter();
    const handler = new AgentWatchHandler({
      tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    });
    const registry = createOpenMetricsRegistry();
    const p = prober({
      cases: [ORDER, WRONG],
      agent: "acme-support",
      registry,
      target: { kind: "in-process", target: createSupportGraph(), callbacks: [handler] },
    });
    const before = Date.now() / 1000;
    const [order, wrong] = await p.runOnce();
    expect(order).toMatchObject({ canary: "order", outcome: "pass", score: 1 });
    expect(order?.answer).toContain("AB-1234");
    expect(wrong).toMatchObject({ canary: "wrong", outcome: "fail", score: 0.5 });
    expect(wrong?.scores[0]?.explanation).toContain("carrier pigeon");

    const roots = exporter.getFinishedSpans().filter((s) => s.name.startsWith("invoke_agent"));
    expect(roots).toHaveLength(2);
    for (const r of roots) expect(r.attributes[ATTR.synthetic]).toBe(true);

    const agent = "acme-support";
    expect(await sample(registry, "agentwatch_canary_checks_total", { agent, canary: "order", outcome: "pass" })).toBe(1);
    expect(await sample(registry, "agentwatch_canary_checks_total", { agent, canary: "order", outcome: "fail" })).toBe(0);
    expect(await sample(registry, "agentwatch_canary_checks_total", { agent, canary: "wrong", outcome: "fail" })).toBe(1);
    expect(await sample(registry, "agentwatch_canary_score", { agent, canary: "wrong" })).toBe(0.5);
    expect(await sample(registry, "agentwatch_canary_last_success_timestamp_seconds", { agent, canary: "order" })).toBeGreaterThanOrEqual(
      Math.floor(before),
    );
    expect(await sample(registry, "agentwatch_canary_last_success_timestamp_seconds", { agent, canary: "wrong" })).toBeUndefined();
    await p.runOnce();
    expect(await sample(registry, "agentwatch_canary_consecutive_failures", { agent, canary: "wrong" })).toBe(2);
    expect(await sample(registry, "agentwatch_canary_consecutive_failures", { agent, canary: "order" })).toBe(0);
    expect(await sample(registry, "agentwatch_canary_interval_seconds", { agent })).toBeGreaterThan(60);
    handler.shutdown();
  });

  it("counts a target that throws or does not answer in time as an error, with the reason", async () => {
    const registry = createOpenMetricsRegistry();
    const target: TargetFunction = (input) => {
      if (input === "boom") throw new Error("provider 500");
      return new Promise<string>(() => {}); // never answers
    };
    const p = prober({
      cases: [kase("boom", "boom", { facts: ["x"] }), kase("hang", "hang", { facts: ["x"] })],
      agent: "a",
      registry,
      timeoutMs: 50,
      target: { kind: "in-process", target },
    });
    const [boom, hang] = await p.runOnce();
    expect(boom).toMatchObject({ outcome: "error", score: 0, error: "provider 500" });
    expect(hang).toMatchObject({ outcome: "error", error: "no answer within 50 ms" });
    expect(await sample(registry, "agentwatch_canary_checks_total", { agent: "a", canary: "hang", outcome: "error" })).toBe(1);
    expect(await sample(registry, "agentwatch_canary_consecutive_failures", { agent: "a", canary: "boom" })).toBe(1);
  });

  it("runs rounds on its schedule, one at a time, and stops", async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const target: TargetFunction = async () => {
      calls++;
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 30));
      active--;
      return "AB-1234";
    };
    const p = prober({
      cases: [kase("a", "q", { facts: ["AB-1234"] }), kase("b", "q", { facts: ["AB-1234"] })],
      agent: "a",
      registry: createOpenMetricsRegistry(),
      intervalMs: 5,
      jitterMs: 5,
      firstDelayMs: 0,
      target: { kind: "in-process", target },
    }).start();
    expect(p.started).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    // Rounds of 2 × 30 ms, 5..10 ms apart: several rounds, never two checks at once.
    expect(calls).toBeGreaterThanOrEqual(4);
    expect(maxActive).toBe(1);
    await p.stop();
    expect(active).toBe(0);
    const after = calls;
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toBe(after);
    expect(p.started).toBe(false);
  });

  it("refuses options it cannot run with, naming the option", () => {
    const base = { agent: "a", registry: createOpenMetricsRegistry(), target: { kind: "in-process" as const, target: () => "x" } };
    expect(() => new CanaryProber({ ...base, cases: [kase("c", "q")] })).toThrow(/canary case "c" has nothing to check/);
    expect(() => new CanaryProber({ ...base, cases: [] })).toThrow(/cases is empty/);
    expect(() => new CanaryProber({ ...base, cases: Array.from({ length: 21 }, (_, i) => kase(`c${i}`, "q", { facts: ["x"] })) })).toThrow(
      /at most 20/,
    );
    expect(() => new CanaryProber({ ...base, agent: "", cases: [kase("c", "q", { facts: ["x"] })] })).toThrow(/agent must name/);
    expect(() => new CanaryProber({ ...base, intervalMs: 0, cases: [kase("c", "q", { facts: ["x"] })] })).toThrow(/intervalMs/);
    expect(
      () => new CanaryProber({ ...base, target: { kind: "http", url: "ftp://x" }, cases: [kase("c", "q", { facts: ["x"] })] }),
    ).toThrow(/target.url must be an http\(s\) URL/);
  });
});

describe("canary prober over HTTP", () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  it("POSTs the question with the synthetic header and reads the configured answer field", async () => {
    const seen: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        const body = JSON.parse(raw) as Record<string, unknown>;
        seen.push({ headers: req.headers, body });
        if (body.question === "fail me") return void res.writeHead(503).end('{"error":"overloaded"}');
        if (body.question === "slow") return void setTimeout(() => res.end("{}"), 3000);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: { text: `Order AB-1234 for ${String(body.user)}` } }));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ask`;
    const registry = createOpenMetricsRegistry();
    const p = prober({
      cases: [
        kase("ok", "where is AB-1234", { facts: ["AB-1234"] }),
        kase("down", "fail me", { facts: ["AB-1234"] }),
        kase("slow", "slow", { facts: ["AB-1234"] }),
      ],
      agent: "remote",
      registry,
      timeoutMs: 1000,
      target: { kind: "http", url, questionField: "question", answerField: "data.text", body: { user: "canary" } },
    });
    const [ok, down, slow] = await p.runOnce();
    expect(ok?.error).toBeUndefined();
    expect(ok).toMatchObject({ outcome: "pass", answer: "Order AB-1234 for canary" });
    expect(down?.outcome).toBe("error");
    expect(down?.error).toMatch(/HTTP 503 .*overloaded/);
    expect(slow).toMatchObject({ outcome: "error", error: "no answer within 1000 ms" });
    expect(seen[0]?.headers["x-agentwatch-synthetic"]).toBe("1");
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen[0]?.body).toEqual({ user: "canary", question: "where is AB-1234" });
    expect(await sample(registry, "agentwatch_canary_checks_total", { agent: "remote", canary: "ok", outcome: "pass" })).toBe(1);
  });

  it("is an error when the reply lacks the answer field", async () => {
    const server = createServer((_req, res) => res.end('{"reply":"AB-1234"}'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
    const p = prober({
      cases: [kase("ok", "q", { facts: ["AB-1234"] })],
      agent: "remote",
      registry: createOpenMetricsRegistry(),
      target: { kind: "http", url },
    });
    const [r] = await p.runOnce();
    expect(r?.outcome).toBe("error");
    expect(r?.error).toMatch(/no string field "answer"/);
  });
});
