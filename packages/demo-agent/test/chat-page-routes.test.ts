import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { AgentWatchHandler } from "@agentwatch/middleware";
import { HumanMessage } from "@langchain/core/messages";
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FRONTEND_ERRORS_METRIC, MAX_FARO_BODY, mountChatPage } from "../src/chat-page-routes.js";
import { createSupportGraph } from "../src/guarded-support-graph.js";
import { metricSum } from "./metric-sample.js";

const manager = new AsyncLocalStorageContextManager();
manager.enable();
context.setGlobalContextManager(manager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const handler = new AgentWatchHandler({ tracerProvider: provider, agentName: "acme-support" });
const assetsDir = mkdtempSync(join(tmpdir(), "chat-page-assets-"));
const ts = new Date().toISOString();
let base = "";
let close: () => void = () => {};
let traceId = "";

beforeAll(async () => {
  writeFileSync(join(assetsDir, "chat-page.js"), "console.log('chat page');\n");
  const app = express();
  mountChatPage(app, { handler, assetsDir });
  mountChatPage(express(), { handler, assetsDir }); // a second mount reuses the counter
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
  // One finished run for feedback to land on.
  await createSupportGraph().invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, { callbacks: [handler] });
  const root = exporter.getFinishedSpans().find((s) => s.name === "invoke_agent acme-support");
  traceId = root?.spanContext().traceId ?? "";
});
afterAll(() => {
  close();
  handler.shutdown();
  rmSync(assetsDir, { recursive: true, force: true });
});

const collect = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/faro/collect`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });

const feedbackEvent = (attributes: Record<string, string>) => ({ name: "feedback", domain: "browser", timestamp: ts, attributes });

describe("the chat page routes", () => {
  it("serves the page with its inline config, a /metrics link and a CSP, and the config as JSON", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('<a href="/metrics">');
    expect(html).toContain('<script type="module" src="/chat-page/chat-page.js">');
    expect(html).toContain('<label for="question">Your question</label>');
    expect(html).toContain('"collectorUrl":"/faro/collect"');
    const config = (await (await fetch(`${base}/chat-page/config.json`)).json()) as {
      collectorUrl: string;
      chatUrl: string;
      feedbackUrl: string;
    };
    expect(config).toMatchObject({ collectorUrl: "/faro/collect", chatUrl: "/chat", feedbackUrl: "/feedback" });
    const asset = await fetch(`${base}/chat-page/chat-page.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("javascript");
  });

  it("takes the collector URL from the option, else FARO_COLLECTOR_URL, and refuses a bad one", async () => {
    const configOf = async (app: express.Express) => {
      const server = app.listen(0, "127.0.0.1");
      await new Promise((r) => server.once("listening", r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const page = await fetch(`${url}/`);
        const config = (await (await fetch(`${url}/chat-page/config.json`)).json()) as { collectorUrl: string };
        return { collectorUrl: config.collectorUrl, csp: page.headers.get("content-security-policy") ?? "" };
      } finally {
        server.close();
      }
    };
    const previous = process.env.FARO_COLLECTOR_URL;
    process.env.FARO_COLLECTOR_URL = "http://alloy.local:12347/collect";
    try {
      const fromEnv = express();
      mountChatPage(fromEnv, { handler, assetsDir });
      expect(await configOf(fromEnv)).toEqual({
        collectorUrl: "http://alloy.local:12347/collect",
        csp: expect.stringContaining("connect-src 'self' http://alloy.local:12347"),
      });
      const fromOption = express();
      mountChatPage(fromOption, { handler, assetsDir, collectorUrl: "/elsewhere/collect" });
      expect((await configOf(fromOption)).collectorUrl).toBe("/elsewhere/collect");
    } finally {
      if (previous === undefined) delete process.env.FARO_COLLECTOR_URL;
      else process.env.FARO_COLLECTOR_URL = previous;
    }
    expect(() => mountChatPage(express(), { handler, collectorUrl: "javascript:alert(1)" })).toThrow(/collectorUrl .*FARO_COLLECTOR_URL/);
    expect(() => mountChatPage(express(), { handler, collectorUrl: "//evil.example/collect" })).toThrow(TypeError);
  });

  it("answers 503 with the build command when the bundle is missing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "chat-page-empty-"));
    const app = express();
    mountChatPage(app, { handler, assetsDir: empty });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain("npm run build");
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("the local Faro receiver", () => {
  it("records a feedback event: the feedback metric rises and a user_feedback span joins the run's trace", async () => {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const before = await metricSum(handler, "agentwatch_user_feedback_total", { rating: "negative" });
    exporter.reset();
    const res = await collect({ meta: { app: { name: "t" } }, events: [feedbackEvent({ trace_id: traceId, rating: "down" })] });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: "accepted", feedbackRecorded: 1 });
    expect(await metricSum(handler, "agentwatch_user_feedback_total", { rating: "negative" })).toBe(before + 1);
    const span = exporter.getFinishedSpans().find((s) => s.name === "user_feedback");
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.events.map((e) => e.name)).toContain("agentwatch.user_feedback");
  });

  it("does not count feedback the page recorded through POST /feedback already, nor feedback for unknown traces", async () => {
    const before = await metricSum(handler, "agentwatch_user_feedback_total");
    const res = await collect({
      meta: {},
      events: [
        feedbackEvent({ trace_id: traceId, rating: "up", already_recorded: "true" }),
        feedbackEvent({ trace_id: "f".repeat(32), rating: "up" }),
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ feedbackRecorded: 0, feedbackAlreadyRecorded: 1, feedbackUnknown: 1 });
    expect(await metricSum(handler, "agentwatch_user_feedback_total")).toBe(before);
  });

  it("counts exceptions and CSP violations by bounded kind, gzip-encoded too", async () => {
    const kinds = ["TypeError", "other", "csp_violation"];
    const before = await Promise.all(kinds.map((kind) => metricSum(handler, FRONTEND_ERRORS_METRIC, { kind })));
    const body = {
      meta: {},
      exceptions: [
        { type: "TypeError", value: "x is undefined", timestamp: ts },
        { type: "SomethingUnheardOf", value: "y", timestamp: ts },
      ],
      events: [{ name: "securitypolicyviolation", timestamp: ts, attributes: { violatedDirective: "script-src" } }],
    };
    const plain = await collect(body);
    expect(plain.status).toBe(202);
    const zipped = await collect(gzipSync(JSON.stringify(body)), { "content-encoding": "gzip" });
    expect(zipped.status).toBe(202);
    const after = await Promise.all(kinds.map((kind) => metricSum(handler, FRONTEND_ERRORS_METRIC, { kind })));
    expect(after.map((v, i) => v - (before[i] ?? 0))).toEqual([2, 2, 2]);
    expect(await handler.registry.metrics()).toMatch(/# HELP agentwatch_frontend_errors/);
  });

  it.each([
    ["not JSON", "{nope", {}, "body"],
    ["a JSON array", "[]", {}, "body"],
    ["no meta", { events: [] }, {}, "meta"],
    ["events of the wrong type", { meta: {}, events: "feedback" }, {}, "events"],
    [
      "a bad feedback event",
      { meta: {}, events: [feedbackEvent({ trace_id: "nope", rating: "down" })] },
      {},
      "events[0].attributes.trace_id",
    ],
    ["an unknown encoding", "{}", { "content-encoding": "br" }, "content-encoding"],
    ["broken gzip", "not gzip", { "content-encoding": "gzip" }, "body"],
  ])("refuses %s with 400 naming %s", async (_what, body, headers, field) => {
    const res = await collect(body, headers);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: string; field: string };
    expect(json.field).toBe(field);
    expect(json.error).toContain(field === "content-encoding" ? "Content-Encoding" : field === "body" ? "body" : field);
  });

  it("refuses an oversized payload with 400, declared or streamed, and a gzip bomb", async () => {
    const big = JSON.stringify({ meta: {}, logs: [{ message: "x".repeat(MAX_FARO_BODY), level: "info", timestamp: ts }] });
    const declared = await collect(big);
    expect(declared.status).toBe(400);
    expect(await declared.json()).toMatchObject({ field: "body" });
    const chunked = await fetch(`${base}/faro/collect`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(400);
    const bomb = await collect(gzipSync(big), { "content-encoding": "gzip" });
    expect(bomb.status).toBe(400);
    expect(await bomb.json()).toMatchObject({ field: "body" });
  });
});
