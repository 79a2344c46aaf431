/**
 * The README's "Cost and budgets" PromQL, run against a real Prometheus that scrapes a real
 * AgentWatchHandler after real runs of the support graph fixture: every query must parse and evaluate, and the
 * spend-vs-budget queries must return what they promise.
 */
import { readFileSync } from "node:fs";

import { createSupportGraph } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";

import { type InstantSample, type Prometheus, startMetricsServer, startPrometheus } from "../../../../test-support/prometheus.js";
import { AgentWatchHandler } from "../../src/index.js";

const README = new URL("../../../../README.md", import.meta.url);

/** The lines of the ```promql block in the README section titled `heading`. */
function promqlBlock(markdown: string, heading: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const rest = lines.slice(start + 1);
  let inFence = false;
  const end = rest.findIndex((l) => {
    if (l.trimStart().startsWith("```")) inFence = !inFence;
    return !inFence && /^#{1,2} /.test(l);
  });
  const section = end < 0 ? rest : rest.slice(0, end);
  const open = section.findIndex((l) => l.trim() === "```promql");
  if (open < 0) throw new Error(`README section "${heading}" has no \`\`\`promql block`);
  const close = section.findIndex((l, i) => i > open && l.trim() === "```");
  if (close < 0) throw new Error(`README section "${heading}": the \`\`\`promql block is not closed`);
  return section.slice(open + 1, close);
}

const CONTINUATION = /^(?:[/*+\-%^<>=!]|and\b|or\b|unless\b|on\b|ignoring\b|group_left\b|group_right\b|bool\b|offset\b)/;

/**
 * Splits a promql block into queries: blank and `#` lines separate them; a line continues the
 * previous query when it is indented or starts with a binary operator or a vector-matching keyword.
 */
function splitQueries(lines: readonly string[]): string[] {
  const queries: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      current = undefined;
      continue;
    }
    if (current && (/^\s/.test(line) || CONTINUATION.test(trimmed))) {
      current.push(trimmed);
      continue;
    }
    current = [trimmed];
    queries.push(current);
  }
  return queries.map((q) => q.join(" "));
}

describe("splitQueries", () => {
  it("joins indented and operator-led lines, splits on blank and comment lines", () => {
    expect(splitQueries(["# c", "sum(a)", "  / on (x) group_left ()", "  b", "c", "/ d", "", "e", "# f", "g"])).toEqual([
      "sum(a) / on (x) group_left () b",
      "c / d",
      "e",
      "g",
    ]);
  });
});

const ask = (question: string) => ({ messages: [new HumanMessage(question)] });
const QUESTIONS = ["Where is my order AB-1234?", "Where is my order CD-5678?", "How do I reset my password?"];

describe("README 'Cost and budgets' PromQL against a real Prometheus", { timeout: 60_000 }, () => {
  const handler = new AgentWatchHandler({
    tracerProvider: new BasicTracerProvider(),
    budgets: { global: 1, agents: { "acme-support": 0.5 }, features: { orders: 0.2 } },
    prices: { "acme-scripted-1": { input: 150, output: 600 } },
  });
  const graph = createSupportGraph();
  const run = async (question: string) => {
    await graph.invoke(ask(question), { callbacks: [handler], metadata: { feature: "orders" } });
  };
  let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let prometheus: Prometheus | undefined;
  const startedAt = Date.now() / 1000;

  /**
   * Set up once, on first use, inside a test rather than a beforeAll hook: if Prometheus is missing
   * or will not start, every test below fails with that error (a failing hook would mark them skipped).
   */
  let setup: Promise<{ prom: Prometheus; queries: string[]; evalTime: number }> | undefined;
  const ready = () => (setup ??= start());
  async function start() {
    const queries = splitQueries(promqlBlock(readFileSync(README, "utf8"), "Cost and budgets"));
    server = await startMetricsServer((req, res) => handler.metricsHandler()(req, res));
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${server.port}`] });
    const prom = prometheus;
    // One run so every series exists, then a scrape of it: increase() counts only what comes after a series' first sample.
    await run(QUESTIONS[0] as string);
    await prom
      .waitFor("count_over_time(agentwatch_cost_usd_total[5m])", (s) => s.some((x) => x.value >= 1), 10_000)
      .catch(async (error: unknown) => {
        const served = (await handler.registry.metrics()).split("\n").filter((l) => l.startsWith("agentwatch_cost_usd"));
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\nthe handler serves:\n${served.join("\n") || "(no agentwatch_cost_usd_total sample)"}`,
        );
      });
    for (const question of QUESTIONS) await run(question);
    // At least two scrapes with non-zero cost (the counter exists only once cost was added), and the later runs seen as an increase.
    await prom.waitFor(
      "max(count_over_time(agentwatch_cost_usd_total[5m])) >= 2 and sum(increase(agentwatch_cost_usd_total[1d])) > 0",
      (s) => s.length === 1,
      10_000,
    );
    // One evaluation time for every query, so their results describe the same data.
    return { prom, queries, evalTime: Date.now() / 1000 };
  }

  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
    handler.shutdown();
  }, 20_000);

  it("finds the README's queries", async () => {
    const { queries } = await ready();
    expect(queries.length).toBeGreaterThanOrEqual(3);
    expect(queries.filter((q) => q.includes("agentwatch_budget_usd")).length).toBeGreaterThanOrEqual(3);
  });

  it("scrapes the handler as an up target", async () => {
    const { prom } = await ready();
    expect(await prom.targetsUp(), JSON.stringify(await prom.targets())).toBe(true);
  });

  it("evaluates every query without an error", async () => {
    const { prom, queries, evalTime } = await ready();
    const failures: string[] = [];
    for (const query of queries) {
      await prom
        .query(query, evalTime)
        .catch((error: unknown) => failures.push(`${query}\n  -> ${error instanceof Error ? error.message : String(error)}`));
    }
    expect(failures, failures.join("\n\n")).toEqual([]);
  });

  it("gives a positive share of each budget, per agent and per feature with their labels", async () => {
    const { prom, queries, evalTime } = await ready();
    const budgetQueries = queries.filter((q) => q.includes("agentwatch_budget_usd"));
    const results = new Map<string, InstantSample[]>();
    for (const query of budgetQueries) {
      const { samples } = await prom.query(query, evalTime);
      results.set(query, samples);
      expect(samples.length, `no series from: ${query}`).toBeGreaterThan(0);
      for (const s of samples) {
        expect(Number.isFinite(s.value) && s.value > 0, `non-positive share ${s.raw} from: ${query}`).toBe(true);
      }
    }
    const byAgent = budgetQueries.filter((q) => /by \(agent\)/.test(q));
    const byFeature = budgetQueries.filter((q) => /by \(feature\)/.test(q));
    const global = budgetQueries.filter((q) => q.includes('scope="global"'));
    expect(byAgent.length, "a per-agent budget-share query").toBeGreaterThan(0);
    expect(byFeature.length, "a per-feature budget-share query").toBeGreaterThan(0);
    expect(global.length, "a global budget-share query").toBeGreaterThan(0);
    for (const q of byAgent) expect(results.get(q)?.map((s) => s.metric.agent)).toContain("acme-support");
    for (const q of byFeature) expect(results.get(q)?.map((s) => s.metric.feature)).toContain("orders");

    // Every run was acme-support / orders, so the spend behind each share is the same: share × budget agrees.
    const spend = (q: string, match: (s: InstantSample) => boolean, budget: number) =>
      (results.get(q)?.find(match)?.value ?? Number.NaN) * budget;
    const globalSpend = spend(global[0] as string, () => true, 1);
    expect(spend(byAgent[0] as string, (s) => s.metric.agent === "acme-support", 0.5)).toBeCloseTo(globalSpend, 9);
    expect(spend(byFeature[0] as string, (s) => s.metric.feature === "orders", 0.2)).toBeCloseTo(globalSpend, 9);
  });

  it("returns spend for the queries over agentwatch_cost_usd_total that have no threshold", async () => {
    const { prom, queries, evalTime } = await ready();
    for (const query of queries.filter((q) => q.includes("agentwatch_cost_usd_total") && !/\)\s*>\s*0\s*$/.test(q))) {
      const { samples } = await prom.query(query, evalTime);
      expect(samples.length, `no series from: ${query}`).toBeGreaterThan(0);
      expect(
        samples.every((s) => s.value > 0),
        `${query} -> ${JSON.stringify(samples)}`,
      ).toBe(true);
    }
  });

  it("stores exemplars with trace ids for gen_ai_invoke_agent_duration_seconds_bucket", async () => {
    const { prom } = await ready();
    const series = await prom.exemplars("gen_ai_invoke_agent_duration_seconds_bucket", startedAt - 60, Date.now() / 1000 + 60);
    const traceIds = series.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id)).filter((id) => id !== undefined);
    expect(traceIds.length, `exemplars: ${JSON.stringify(series)}\nprometheus log:\n${prom.logTail()}`).toBeGreaterThan(0);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});
