import { seededRandom } from "@agentwatch/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { formatDuration, LOAD_LIMITS, parseDuration, parseLoadArgs } from "../src/load-cli.js";
import { LoadSetupError, runLoad } from "../src/load-runner.js";
import { formatProgress, formatSummary, percentile, type RequestResult, serverTotals, summarize } from "../src/load-stats.js";
import { parseMetricsText, sumSamples } from "../src/metrics-text.js";
import { answerSatisfies, JAILBREAKS, pickQuestion, PII_MESSAGES, simulateFeedback, SUPPORT_QUESTIONS } from "../src/questions.js";
import { type DemoServer, startDemo } from "./support/demo-server.js";

describe("load generator arguments", () => {
  it("has bounded defaults and reads every flag", () => {
    expect(parseLoadArgs([], {})).toEqual({
      rps: 5,
      durationMs: 60_000,
      incidents: [],
      url: "http://127.0.0.1:3000",
      seed: 1,
      maxInFlight: 64,
      feedbackRate: 0.2,
      timeoutMs: 30_000,
    });
    expect(
      parseLoadArgs(
        [
          "--rps",
          "2.5",
          "--duration",
          "2m",
          "--incident",
          "cost-runaway",
          "--incident",
          "guardrail-storm",
          "--url",
          "http://localhost:8080/",
          "--seed",
          "9",
        ],
        {},
      ),
    ).toMatchObject({
      rps: 2.5,
      durationMs: 120_000,
      incidents: ["cost-runaway", "guardrail-storm"],
      url: "http://localhost:8080",
      seed: 9,
    });
    expect(parseLoadArgs(["--max-in-flight", "4", "--feedback-rate", "0", "--timeout", "500ms"], {})).toMatchObject({
      maxInFlight: 4,
      feedbackRate: 0,
      timeoutMs: 500,
    });
    expect(parseLoadArgs([], { LOAD_URL: "http://[::1]:3001" }).url).toBe("http://[::1]:3001");
    expect(parseLoadArgs(["--url", "http://10.0.0.5:3000", "--allow-remote"], {}).url).toBe("http://10.0.0.5:3000");
  });

  it.each([
    [["--rps", "0"], /--rps must be a number above 0 and at most 200/],
    [["--rps", "500"], /--rps must be a number above 0 and at most 200/],
    [["--rps"], /--rps must be/],
    [["--duration", "forever"], /--duration must be a duration from 1s to 1h/],
    [["--duration", "2h"], /--duration must be a duration from 1s to 1h/],
    [["--incident", "meteor"], /--incident needs one of latency-spike, .* got "meteor"/],
    [["--url", "ftp://127.0.0.1"], /--url must be an http/],
    [["--url", "not a url"], /--url must be an http/],
    [["--url", "http://10.0.0.5:3000"], /--url must point at this machine .* --allow-remote/],
    [["--url", "https://example.com"], /--url must point at this machine/],
    [["--max-in-flight", "1.5"], /--max-in-flight must be a whole number/],
    [["--feedback-rate", "2"], /--feedback-rate must be a share from 0 to 1/],
    [["--timeout", "1h"], /--timeout must be a duration/],
    [["--rps", "200", "--duration", "1h"], /would send about 720000 requests; the limit is 100000/],
    [["--fast"], /unknown flag "--fast"/],
  ])("rejects %j naming the flag and the fix", (argv, message) => {
    expect(() => parseLoadArgs(argv, {})).toThrow(message);
    expect(() => parseLoadArgs(argv, {})).toThrow(/usage: npm run load/);
  });

  it("parses and formats durations", () => {
    expect(parseDuration("90")).toBe(90_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("1.5s")).toBe(1500);
    for (const bad of ["", "2 m", "m", "2x", "-1s", "1m30"]) expect(parseDuration(bad)).toBeUndefined();
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(120_000)).toBe("2m0s");
    expect(formatDuration(95_000)).toBe("1m35s");
    expect(LOAD_LIMITS.maxRequests).toBe(100_000);
  });
});

describe("load generator summary math", () => {
  it("takes nearest-rank percentiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
    expect(percentile([], 50)).toBeUndefined();
  });

  it("summarizes requests, errors, latency, TTFT, feedback and the /metrics deltas", () => {
    const ok = (latencyMs: number, ttftMs: number, tokens: number, blocked = false): RequestResult => ({
      ok: true,
      status: 200,
      latencyMs,
      ttftMs,
      tokens,
      blocked,
    });
    const results: RequestResult[] = [
      ok(1000, 400, 10),
      ok(2000, 500, 20),
      ok(3000, 600, 30),
      ok(100, 100, 1, true),
      { ok: false, status: 502, errorKind: "HTTP 502 provider_error", latencyMs: 500, tokens: 0, blocked: false },
      { ok: false, status: 200, errorKind: "provider 429", latencyMs: 400, tokens: 0, blocked: false },
      { ok: false, status: 200, errorKind: "provider 429", latencyMs: 300, tokens: 0, blocked: false },
      { ok: false, status: 0, latencyMs: 30_000, tokens: 0, blocked: false },
    ];
    const before = parseMetricsText(
      [
        "# TYPE gen_ai_client_token_usage histogram",
        'gen_ai_client_token_usage_sum{gen_ai_agent_name="acme-support",gen_ai_token_type="input"} 100',
        'gen_ai_client_token_usage_sum{gen_ai_agent_name="acme-support",gen_ai_token_type="output"} 10',
        'agentwatch_cost_usd_total{agent="acme-support",provider="scripted",model="acme-scripted-1",feature=""} 0.5',
        "# EOF",
      ].join("\n"),
    );
    const after = parseMetricsText(
      [
        'gen_ai_client_token_usage_sum{gen_ai_agent_name="acme-support",gen_ai_token_type="input"} 1100',
        'agentwatch_token_usage_parts_total{gen_ai_agent_name="acme-support",part="cache_read"} 250',
        'agentwatch_token_usage_parts_total{gen_ai_agent_name="agentwatch-evaluator",part="cache_read"} 99',
        'gen_ai_client_token_usage_sum{gen_ai_agent_name="acme-support",gen_ai_token_type="output"} 70',
        'gen_ai_client_token_usage_sum{gen_ai_agent_name="agentwatch-evaluator",gen_ai_token_type="input"} 999',
        'agentwatch_cost_usd_total{agent="acme-support",provider="scripted",model="acme-scripted-1",feature=""} 0.75 # {trace_id="abc"} 0.1 1700000000',
        'agentwatch_cost_usd_total{agent="acme-support",provider="openai",model="gpt-4.1",feature=""} 2',
      ].join("\n"),
    );
    const summary = summarize({ results, durationMs: 10_000, skipped: 2, feedback: { up: 3, down: 1, failed: 0 }, before, after });
    expect(summary).toMatchObject({
      sent: 8,
      ok: 4,
      errors: 4,
      skipped: 2,
      blocked: 1,
      errorsByKind: { "HTTP 502 provider_error": 1, "provider 429": 2, "no response": 1 },
      latencyMs: { p50: 500, p95: 30_000, p99: 30_000 },
      ttftMs: { p50: 400, p95: 600, p99: 600 },
      streamedTokens: 61,
      server: { inputTokens: 1000, cacheReadTokens: 250, outputTokens: 60, costUsd: 2.25 },
    });
    const text = formatSummary(summary, { url: "http://127.0.0.1:3000", rps: 5, incidents: ["error-burst"] });
    expect(text).toContain("8 sent, 4 ok, 4 errors (50.0%)");
    expect(text).toContain("[HTTP 502 provider_error: 1, no response: 1, provider 429: 2]");
    expect(text).toContain("p50 500ms  p95 30.00s  p99 30.00s");
    expect(text).toContain("input 1000 (cache read 250), output 60");
    expect(text).toContain("$2.250000");
    expect(text).toContain("4 sent: 3 up, 1 down (75.0% positive)");
    expect(text).toContain("incidents: error-burst");
    expect(
      summarize({ results: [], durationMs: 0, skipped: 0, feedback: { up: 0, down: 0, failed: 0 }, before: undefined, after: undefined })
        .server,
    ).toBeUndefined();
    expect(serverTotals([]).costUsd).toBe(0);
  });

  it("draws a progress line", () => {
    const line = formatProgress({ elapsedMs: 30_000, durationMs: 120_000, sent: 150, ok: 148, errors: 2, inFlight: 3, latencyP95: 1234 });
    expect(line).toBe("[#####...............]  25% 30s/2m0s | 150 sent, 148 ok, 2 err, 3 in flight | p95 1.23s");
  });

  it("parses Prometheus and OpenMetrics samples, with escaped label values and exemplars", () => {
    const samples = parseMetricsText(
      [
        "# HELP x help",
        'x_total{a="q\\"uote",b="new\\nline, {brace}"} 3 # {trace_id="t"} 1',
        "y 1e-3 1700000000",
        "z{} +Inf",
        "# EOF",
      ].join("\n"),
    );
    expect(samples).toEqual([
      { name: "x_total", labels: { a: 'q"uote', b: "new\nline, {brace}" }, value: 3 },
      { name: "y", labels: {}, value: 0.001 },
      { name: "z", labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
    expect(sumSamples(samples, "x_total", { a: /q.*/ })).toBe(3);
    expect(() => parseMetricsText("x{a=1} 2")).toThrow(/line 1 has a bad label/);
    expect(() => parseMetricsText("x nope")).toThrow(/no numeric value/);
  });
});

describe("bundled traffic and simulated users", () => {
  it("mixes a few attacks into normal traffic and mostly attacks into a storm", () => {
    const count = (traffic: "normal" | "storm") => {
      const random = seededRandom(11);
      const kinds = { support: 0, jailbreak: 0, pii: 0 };
      for (let i = 0; i < 2000; i++) kinds[pickQuestion(random, traffic).kind]++;
      return kinds;
    };
    const normal = count("normal");
    const storm = count("storm");
    expect((normal.jailbreak + normal.pii) / 2000).toBeGreaterThan(0.04);
    expect((normal.jailbreak + normal.pii) / 2000).toBeLessThan(0.12);
    expect((storm.jailbreak + storm.pii) / 2000).toBeGreaterThan(0.64);
    expect((storm.jailbreak + storm.pii) / 2000).toBeLessThan(0.76);
    expect(SUPPORT_QUESTIONS.length).toBeGreaterThanOrEqual(15);
  });

  it("rates answers by whether they mention what was asked; attackers never rate", () => {
    const question = { kind: "support" as const, text: "Where is my order AB-1234?", expect: /AB-1234/ };
    expect(answerSatisfies(question, "orderId: AB-1234, status: shipped")).toBe(true);
    expect(answerSatisfies(question, "Join Acme Rewards today!")).toBe(false);
    const rate = (answer: string) => {
      const random = seededRandom(5);
      const ratings = { up: 0, down: 0, none: 0 };
      for (let i = 0; i < 1000; i++) ratings[simulateFeedback(question, answer, random) ?? "none"]++;
      return ratings;
    };
    const good = rate("orderId: AB-1234, status: shipped");
    const bad = rate("Join Acme Rewards today!");
    expect(good.none / 1000).toBeCloseTo(0.8, 1);
    expect(good.up / (good.up + good.down)).toBeGreaterThan(0.8);
    expect(bad.up / (bad.up + bad.down)).toBeLessThan(0.2);
    expect(simulateFeedback(JAILBREAKS[0] ?? question, "no", () => 0)).toBeUndefined();
    expect(PII_MESSAGES.every((q) => q.kind === "pii")).toBe(true);
  });
});

describe("runLoad against a demo server", () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => {
    await demo.close();
  });
  const base = { rps: 30, durationMs: 700, incidents: [], seed: 2, maxInFlight: 8, feedbackRate: 1, timeoutMs: 5000 };

  it("sends a bounded run, reports progress, rates answers and reads tokens and cost from /metrics", async () => {
    const out: string[] = [];
    const started = performance.now();
    const summary = await runLoad(
      { ...base, url: demo.base },
      { write: (t) => out.push(t), interactive: false, progressEveryMs: 100, adminToken: undefined },
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(summary.sent).toBeGreaterThan(5);
    expect(summary.sent).toBeLessThan(60);
    expect(summary.ok + summary.errors).toBe(summary.sent);
    expect(summary.errors).toBe(0);
    expect(summary.latencyMs.p50).toBeGreaterThan(0);
    expect(summary.ttftMs.p50).toBeLessThanOrEqual(summary.latencyMs.p99 ?? 0);
    expect(summary.streamedTokens).toBeGreaterThan(summary.ok);
    expect(summary.server?.inputTokens).toBeGreaterThan(0);
    expect(summary.server?.costUsd).toBeGreaterThan(0);
    expect(summary.feedback.up + summary.feedback.down).toBeGreaterThan(0);
    expect(summary.feedback.failed).toBe(0);
    expect(out.some((l) => /\[#+\.*\]\s+\d+%/.test(l))).toBe(true);
    const metrics = await demo.metrics();
    expect(sumSamples(metrics, "agentwatch_user_feedback_total")).toBe(summary.feedback.up + summary.feedback.down);
  });

  it("says how to fix it when no server answers or the admin API refuses", async () => {
    await expect(runLoad({ ...base, url: "http://127.0.0.1:9" }, { write: () => {}, adminToken: undefined })).rejects.toThrow(
      /no demo server answers at http:\/\/127.0.0.1:9 .*npm run demo/,
    );
    const locked = await startDemo({ adminToken: "s3cret", remoteAddress: () => "10.0.0.5" });
    try {
      const attempt = runLoad({ ...base, url: locked.base, incidents: ["latency-spike"] }, { write: () => {}, adminToken: "wrong" });
      await expect(attempt).rejects.toBeInstanceOf(LoadSetupError);
      await expect(
        runLoad({ ...base, url: locked.base, incidents: ["latency-spike"] }, { write: () => {}, adminToken: undefined }),
      ).rejects.toThrow(/refused to start incident latency-spike: HTTP 401 .*set ADMIN_TOKEN/);
      expect(locked.incidents.list()).toEqual([]);
    } finally {
      await locked.close();
    }
  });

  it("stops early on its signal and still stops the incidents it started", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const summary = await runLoad(
      { ...base, durationMs: 60_000, url: demo.base, incidents: ["cache-miss"] },
      { write: () => {}, signal: controller.signal, adminToken: undefined },
    );
    expect(summary.durationMs).toBeLessThan(2000);
    expect(demo.incidents.list()).toEqual([]);
  });
});
