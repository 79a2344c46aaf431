/**
 * Five agent shapes as other people write them (a ReAct template, a multi-agent supervisor, a
 * human-in-the-loop agent, a subgraph pipeline, a Send map-reduce; rewritten offline in
 * @agentwatch/fixtures), each run 20 times at once, every run inside its own "request" span as a
 * web server would start it. Whatever else the handler decides, each request's trace must be
 * whole: every span in it, no orphan, one agent root, model and tool spans under the node that
 * ran them, and no handler error.
 *
 * And what these shapes showed before (issue 14): each expert is an agent of its own (its own
 * `invoke_agent` span, its own node series), a handoff is not an interrupt, an interrupted run's
 * root is marked and its resume links to it, a subgraph's inner node does not share its parent
 * node's series. The handoff counts by from / to are in control-flow.test.ts, the nested agents'
 * metrics in nested-agents.test.ts.
 */
import {
  createHumanApprovalAgent,
  createMapReduceGraph,
  createReactTemplateAgent,
  createResearchPipeline,
  createSupervisorAgents,
  SENSITIVE_TOOL,
} from "@agentwatch/fixtures";
import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { HumanMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";

import { type AgentWatchHandler, ATTR, LINK_TYPE, METRIC } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition } from "./support/openmetrics.js";
import { parentId, spanId, traceId } from "./support/otel.js";

const RUNS = 20;
/** Each model call waits 0-4 ms (seeded by its messages), so the 20 runs interleave. */
const MAX_DELAY_MS = 4;
const CITIES = ["Paris", "Berlin", "Tokyo", "Lima"];

const make = handlerMaker();

type Config = { callbacks: AgentWatchHandler[]; configurable?: Record<string, unknown> };

/**
 * Where a model or tool span must sit: `parent` is its parent span's name; `within`, outermost
 * last, names further ancestors it must have in that order (others may sit between them).
 */
interface Placement {
  count: number;
  parent: string;
  within?: string[];
}

/** Runs `run(i, config)` for i = 0..RUNS-1 at once, each inside its own active span `${label} i`. */
async function underRequests(
  handler: AgentWatchHandler,
  tracing: ReturnType<typeof make>["tracing"],
  label: string,
  run: (i: number, config: Config) => Promise<unknown>,
): Promise<unknown[]> {
  const tracer = tracing.provider.getTracer("acme-web");
  const results = await Promise.all(
    Array.from({ length: RUNS }, (_, i) =>
      tracer.startActiveSpan(`${label} ${i}`, async (span) => {
        try {
          return await run(i, { callbacks: [handler] });
        } finally {
          span.end();
        }
      }),
    ),
  );
  await awaitAllCallbacks();
  return results;
}

const series = async (handler: AgentWatchHandler, metric: string) => find(parseExposition(await handler.registry.metrics()), metric);

const handlerErrors = async (handler: AgentWatchHandler) =>
  find(parseExposition(await handler.registry.metrics()), "agentwatch_handler_errors_total").reduce((sum, s) => sum + s.value, 0);

/** The names of `span`'s ancestors, nearest first. */
function ancestors(span: ReadableSpan, byId: Map<string, ReadableSpan>): string[] {
  const names: string[] = [];
  for (let p = parentId(span); p !== undefined; p = byId.get(p) === undefined ? undefined : parentId(byId.get(p) as ReadableSpan)) {
    const parent = byId.get(p);
    if (parent === undefined) break;
    names.push(parent.name);
  }
  return names;
}

/** True when `wanted` appears in `names` in order (not necessarily next to each other). */
function inOrder(names: readonly string[], wanted: readonly string[]): boolean {
  let at = 0;
  for (const name of names) if (name === wanted[at]) at++;
  return at === wanted.length;
}

/**
 * Checks the traces of the requests named `${label} 0..RUNS-1` and returns each request's spans, in that order.
 * Every span the handler made is in one of these traces; within each: no orphan, exactly one
 * `invoke_agent ${agent}` span right under the request, and every span of `placements` where it
 * belongs, as often as expected.
 */
function checkRequests(
  spans: readonly ReadableSpan[],
  label: string,
  agent: string,
  placements: Record<string, Placement>,
): ReadableSpan[][] {
  const index = (s: ReadableSpan) => Number(s.name.slice(label.length + 1));
  const requests = spans.filter((s) => new RegExp(`^${label} \\d+$`).test(s.name)).sort((a, b) => index(a) - index(b));
  expect(requests).toHaveLength(RUNS);
  expect(new Set(requests.map(traceId)).size).toBe(RUNS);
  return requests.map((request) => {
    const inTrace = spans.filter((s) => traceId(s) === traceId(request));
    const byId = new Map(inTrace.map((s) => [spanId(s), s]));
    expect(parentId(request)).toBeUndefined();
    const orphans = inTrace.filter((s) => s !== request && !byId.has(parentId(s) ?? "")).map((s) => s.name);
    expect(orphans, `${request.name}: spans whose parent is not in the trace`).toEqual([]);
    const underRequest = inTrace.filter((s) => parentId(s) === spanId(request)).map((s) => s.name);
    expect(underRequest, `${request.name}: the spans right under the request`).toEqual([`invoke_agent ${agent}`]);
    for (const [name, placement] of Object.entries(placements)) {
      const placed = inTrace.filter((s) => s.name === name);
      expect(placed.length, `${request.name}: how many "${name}"`).toBe(placement.count);
      for (const span of placed) {
        const names = ancestors(span, byId);
        expect(names[0], `${request.name}: the parent of "${name}"`).toBe(placement.parent);
        const path = [placement.parent, ...(placement.within ?? []), `invoke_agent ${agent}`, request.name].filter(
          (n, at, all) => n !== all[at - 1],
        );
        expect(inOrder(names, path), `${request.name}: "${name}" under ${path.join(" < ")}, got ${names.join(" < ")}`).toBe(true);
      }
    }
    return inTrace;
  });
}

/** Every finished span belongs to one of the given requests' traces. */
function expectNoStraySpans(spans: readonly ReadableSpan[], traces: readonly ReadableSpan[][]): void {
  const known = new Set(traces.flat().map(traceId));
  expect(spans.filter((s) => !known.has(traceId(s))).map((s) => s.name)).toEqual([]);
  expect(traces.flat()).toHaveLength(spans.length);
}

describe(`third-party agent shapes, ${RUNS} concurrent requests each`, () => {
  it("a ReAct agent (createReactAgent, three tools): model calls under agent, tool calls under tools", async () => {
    const { handler, tracing } = make();
    const agent = createReactTemplateAgent({ seed: 7, maxDelayMs: MAX_DELAY_MS });
    const answers = await underRequests(handler, tracing, "request", async (i, config) => {
      const out = await agent.invoke({ messages: [new HumanMessage(`Weather in the city to visit, ${CITIES[i % 4]}? (#${i})`)] }, config);
      return out.messages.at(-1)?.content;
    });
    answers.forEach((answer, i) => expect(answer).toContain(`F in ${CITIES[i % 4]}`));
    const spans = tracing.exporter.getFinishedSpans();
    const traces = checkRequests(spans, "request", "react-agent", {
      "chat acme-react-1": { count: 4, parent: "agent" },
      "execute_tool search": { count: 1, parent: "tools" },
      "execute_tool get_weather": { count: 1, parent: "tools" },
      "execute_tool calculator": { count: 1, parent: "tools" },
    });
    expectNoStraySpans(spans, traces);
    expect(await handlerErrors(handler)).toBe(0);
    expect(handler.openRuns).toBe(0);
  });

  it("a supervisor with two expert agents handing off by Command.PARENT: each expert's calls under its own node", async () => {
    const { handler, tracing } = make();
    const team = createSupervisorAgents({ seed: 7, maxDelayMs: MAX_DELAY_MS });
    const answers = await underRequests(handler, tracing, "request", async (i, config) => {
      const out = await team.invoke({ messages: [new HumanMessage(`Write about tide pools, part ${i}`)] }, config);
      return out.messages.at(-1)?.content;
    });
    for (const answer of answers) expect(answer).toMatch(/^Here is the article\. An article of \d+ words/);
    const spans = tracing.exporter.getFinishedSpans();
    const traces = checkRequests(spans, "request", "research-team", {
      "chat acme-supervisor-1": { count: 3, parent: "agent", within: ["supervisor"] },
      "execute_tool transfer_to_researcher": { count: 1, parent: "tools", within: ["supervisor"] },
      "execute_tool transfer_to_writer": { count: 1, parent: "tools", within: ["supervisor"] },
      "chat acme-researcher-1": { count: 2, parent: "agent", within: ["researcher"] },
      "execute_tool web_search": { count: 1, parent: "tools", within: ["researcher"] },
      "execute_tool transfer_to_supervisor": { count: 1, parent: "tools", within: ["researcher"] },
      "chat acme-writer-1": { count: 2, parent: "agent", within: ["writer"] },
      "execute_tool word_count": { count: 1, parent: "tools", within: ["writer"] },
    });
    expectNoStraySpans(spans, traces);
    // A handoff is control flow: no span of the run is an error, and no handoff is an interrupt.
    expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name)).toEqual([]);
    expect((await series(handler, METRIC.interrupts)).reduce((sum, s) => sum + s.value, 0)).toBe(0);
    expect((await series(handler, METRIC.handoffs)).reduce((sum, s) => sum + s.value, 0)).toBe(3 * RUNS);
    // Each expert is an agent of its own: its span in every request, its own node series.
    for (const trace of traces) {
      const agents = trace.filter((s) => s.name.startsWith("invoke_agent ")).map((s) => s.attributes[ATTR.agentName]);
      expect(new Set(agents)).toEqual(new Set(["research-team", "researcher", "supervisor", "writer"]));
    }
    const agentNodes = (await series(handler, "agentwatch_node_duration_seconds_count")).filter((s) => s.labels.node === "agent");
    expect(new Set(agentNodes.map((s) => s.labels.agent))).toEqual(new Set(["supervisor", "researcher", "writer"]));
    expect(await handlerErrors(handler)).toBe(0);
    expect(handler.openRuns).toBe(0);
  });

  it("a human-in-the-loop agent: interrupt() before the sensitive tool, resumed by Command({ resume }) on the same thread", async () => {
    const { handler, tracing } = make();
    const agent = createHumanApprovalAgent({ seed: 7, maxDelayMs: MAX_DELAY_MS });
    const thread = (i: number, config: Config): Config => ({ ...config, configurable: { thread_id: `thread-${i}` } });
    const paused = await underRequests(handler, tracing, "request", async (i, config) => {
      const out = await agent.invoke({ messages: [new HumanMessage(`Please refund order AB-${1000 + i}`)] }, thread(i, config));
      return (out as { __interrupt__?: unknown }).__interrupt__;
    });
    paused.forEach((interrupts, i) =>
      expect(interrupts).toEqual([
        expect.objectContaining({
          value: { question: "approve refund?", tool: SENSITIVE_TOOL, args: { orderId: `AB-${1000 + i}`, amountUsd: 42 } },
        }),
      ]),
    );
    const resumed = await underRequests(handler, tracing, "resume", async (i, config) => {
      const out = await agent.invoke(new Command({ resume: "approve" }), thread(i, config));
      return out.messages.at(-1)?.content;
    });
    resumed.forEach((answer, i) => expect(answer).toBe(`Done: refunded 42 USD on AB-${1000 + i}`));
    const spans = tracing.exporter.getFinishedSpans();
    const before = checkRequests(spans, "request", "refund-approval-agent", {
      "chat acme-refunds-1": { count: 2, parent: "agent" },
      "execute_tool lookup_order": { count: 1, parent: "tools" },
      [`execute_tool ${SENSITIVE_TOOL}`]: { count: 0, parent: "tools" },
      human_review: { count: 1, parent: "invoke_agent refund-approval-agent" },
    });
    const after = checkRequests(spans, "resume", "refund-approval-agent", {
      "chat acme-refunds-1": { count: 1, parent: "agent" },
      "execute_tool lookup_order": { count: 0, parent: "tools" },
      [`execute_tool ${SENSITIVE_TOOL}`]: { count: 1, parent: "tools" },
      human_review: { count: 1, parent: "invoke_agent refund-approval-agent" },
    });
    expectNoStraySpans(spans, [...before, ...after]);
    // Waiting for a human is not a failure.
    expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name)).toEqual([]);
    expect((await series(handler, METRIC.interrupts)).reduce((sum, s) => sum + s.value, 0)).toBe(RUNS);
    // The interrupted root is marked; the resume of the same thread links to it (same process).
    const root = (trace: ReadableSpan[]) => trace.find((s) => s.name === "invoke_agent refund-approval-agent") as ReadableSpan;
    before.forEach((trace, i) => {
      expect(root(trace).attributes[ATTR.interrupted]).toBe(true);
      const resumedRoot = root(after[i] ?? []);
      expect(resumedRoot.attributes[ATTR.resumed]).toBe(true);
      expect(resumedRoot.links.map((l) => [l.context.spanId, l.attributes?.[ATTR.linkType]])).toEqual([
        [spanId(root(trace)), LINK_TYPE.resumes],
      ]);
    });
    expect(await handlerErrors(handler)).toBe(0);
    expect(handler.openRuns).toBe(0);
  });

  it("a pipeline of subgraphs with an inner node named like a parent node: each call under its own inner node", async () => {
    const { handler, tracing } = make();
    const pipeline = createResearchPipeline({ seed: 7, maxDelayMs: MAX_DELAY_MS });
    const reports = await underRequests(
      handler,
      tracing,
      "request",
      async (i, config) => (await pipeline.invoke({ topic: `coral reefs ${i}` }, config)).report,
    );
    reports.forEach((report, i) => expect(report).toContain(`coral reefs ${i}`));
    const spans = tracing.exporter.getFinishedSpans();
    const traces = checkRequests(spans, "request", "research-pipeline", {
      "execute_tool search_papers": { count: 2, parent: "search", within: ["research"] },
      "chat acme-summarizer-1": { count: 1, parent: "summarize", within: ["research"] },
      "chat acme-outliner-1": { count: 1, parent: "draft_outline", within: ["write"] },
      // The inner "write" node inside the parent's "write" node.
      "chat acme-writer-1": { count: 1, parent: "write", within: ["write"] },
    });
    expectNoStraySpans(spans, traces);
    // The parent's "write" node and the inner one are two series, one per agent, RUNS runs each.
    const writes = (await series(handler, "agentwatch_node_duration_seconds_count")).filter((s) => s.labels.node === "write");
    expect(writes.map((s) => s.value)).toEqual([RUNS, RUNS]);
    expect(new Set(writes.map((s) => s.labels.agent)).size).toBe(2);
    expect(await handlerErrors(handler)).toBe(0);
    expect(handler.openRuns).toBe(0);
  });

  it("a Send map-reduce: one worker node span per item, each with its own model call", async () => {
    const { handler, tracing } = make();
    const graph = createMapReduceGraph({ seed: 7, maxDelayMs: MAX_DELAY_MS });
    const items = (i: number) => 2 + (i % 4);
    const results = await underRequests(handler, tracing, "request", async (i, config) =>
      graph.invoke({ subject: `animals ${i} #${items(i)}` }, config),
    );
    results.forEach((result, i) => expect((result as { lines: string[] }).lines).toHaveLength(items(i)));
    const spans = tracing.exporter.getFinishedSpans();
    const traces = checkRequests(spans, "request", "line-map-reduce", {});
    traces.forEach((trace, i) => {
      const byId = new Map(trace.map((s) => [spanId(s), s]));
      const workers = trace.filter((s) => s.name === "write_line");
      expect(workers).toHaveLength(items(i));
      const chats = trace.filter((s) => s.name === "chat acme-liner-1");
      expect(chats).toHaveLength(items(i));
      // Each worker holds exactly one of the model calls.
      expect(new Set(chats.map((c) => parentId(c)))).toEqual(new Set(workers.map(spanId)));
      for (const c of chats) expect(ancestors(c, byId).slice(0, 2)).toEqual(["write_line", "invoke_agent line-map-reduce"]);
      expect(trace.filter((s) => s.name === "reduce")).toHaveLength(1);
    });
    expectNoStraySpans(spans, traces);
    expect(await handlerErrors(handler)).toBe(0);
    expect(handler.openRuns).toBe(0);
  });
});
