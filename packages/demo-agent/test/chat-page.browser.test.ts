/**
 * The chat page in a real browser: Debian's chromium driven by playwright-core, against the demo
 * server (createApp + mountChatPage) with an in-memory span exporter. Needs /usr/bin/chromium
 * (`apt-get install chromium`; .ci/run installs it): without it these tests FAIL, never skip.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { AgentWatchHandler } from "@agentwatch/middleware";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import express from "express";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildChatPage } from "../scripts/build-chat-page.mjs";
import { FRONTEND_ERRORS_METRIC, mountChatPage } from "../src/chat-page-routes.js";
import { createApp } from "../src/server.js";
import { metricSum } from "./metric-sample.js";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const manager = new AsyncLocalStorageContextManager();
manager.enable();
context.setGlobalContextManager(manager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
const handler = new AgentWatchHandler({ tracerProvider: provider, agentName: "acme-support" });

const tempDirs: string[] = [];
const servers: Server[] = [];
let browserContext: BrowserContext | undefined;
let assetsDir = "";

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

async function listen(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Polls `read` until `done` accepts its value or `ms` pass; returns the last value. */
async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface FaroBody {
  events?: { name: string; attributes?: Record<string, string>; trace?: { trace_id: string; span_id: string } }[];
  exceptions?: { type: string; value: string }[];
  traces?: { resourceSpans?: { scopeSpans?: { spans?: { traceId: string; spanId: string; name: string }[] }[] }[] };
}

/** Watches one page: the headers of its /chat requests, the Faro payloads it sends, and its console errors. */
function watch(page: Page) {
  const seen = { chatHeaders: [] as Record<string, string>[], faro: [] as FaroBody[], consoleErrors: [] as string[] };
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path === "/chat" && request.method() === "POST") void request.allHeaders().then((h) => seen.chatHeaders.push(h));
    if (path === "/faro/collect") seen.faro.push(JSON.parse(request.postData() ?? "{}") as FaroBody);
  });
  page.on("console", (message) => {
    if (message.type() === "error") seen.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => seen.consoleErrors.push(`pageerror: ${error.message}`));
  return seen;
}

/** Browser-side script: records each state (aria-busy | text) of the first answer in window.answerStates. */
const RECORD_ANSWER_STATES = `
  window.answerStates = [];
  new MutationObserver(() => {
    const answer = document.querySelector(".answer");
    if (!answer) return;
    const state = answer.getAttribute("aria-busy") + "|" + (answer.querySelector(".answer-text")?.textContent ?? "");
    if (window.answerStates.at(-1) !== state) window.answerStates.push(state);
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
`;

async function ask(page: Page, question: string): Promise<void> {
  await page.locator("form#ask[data-ready=true]").waitFor({ timeout: 10_000 });
  await page.getByLabel("Your question").fill(question);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Why the browser could not start, if it could not: each test then fails with it (none is skipped). */
let setupError: unknown;

beforeAll(async () => {
  try {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `the chat page browser test needs Debian's chromium at ${CHROMIUM}: run "apt-get update && apt-get install -y --no-install-recommends chromium" (.ci/run installs it)`,
      );
    }
    assetsDir = tempDir("chat-page-bundle-");
    await buildChatPage({ outdir: assetsDir });
    browserContext = await chromium.launchPersistentContext(tempDir("chat-page-profile-"), {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      timeout: 20_000,
    });
  } catch (error) {
    setupError = error;
  }
}, 30_000);

/** The browser, or the reason it is not there. */
function started(): BrowserContext {
  if (setupError !== undefined) throw setupError;
  if (browserContext === undefined) throw new Error("chromium did not start");
  return browserContext;
}

afterAll(async () => {
  await browserContext?.close();
  for (const server of servers) server.close();
  handler.shutdown();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("the chat page in chromium", () => {
  it("streams the answer, and thumbs-down lands on the /chat request's trace with the feedback metric", async () => {
    const browser = started();
    // The demo server as main.ts builds it, its offline model twice as fast as real.
    const base = await listen(createApp({ handler, speed: 2, mount: (app) => mountChatPage(app, { handler, assetsDir }) }));
    const before = await metricSum(handler, "agentwatch_user_feedback_total", { rating: "negative" });
    exporter.reset();
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(`${base}/`);
    await page.evaluate(RECORD_ANSWER_STATES);
    await ask(page, "Where is my order AB-1234?");

    const answer = page.locator(".answer").last();
    await answer.locator(".answer-text", { hasText: "AB-1234" }).waitFor({ timeout: 15_000 });
    await expect.poll(() => answer.getAttribute("aria-busy")).toBe("false");
    // The answer was streamed: it grew token by token, each state a prefix of the final text.
    const final = (await answer.locator(".answer-text").textContent()) ?? "";
    const partial = ((await page.evaluate("window.answerStates")) as string[])
      .filter((s) => s.startsWith("true|") && s !== "true|")
      .map((s) => s.slice("true|".length));
    expect(partial.length).toBeGreaterThanOrEqual(2);
    expect(partial.every((text, i) => final.startsWith(text) && (i === 0 || text.length > (partial[i - 1] ?? "").length))).toBe(true);
    await answer.getByRole("button", { name: "Not helpful" }).click();
    await page.getByRole("status").filter({ hasText: "Thank you for your feedback." }).waitFor({ timeout: 10_000 });

    // The feedback metric rose, once (POST /feedback and the Faro event are not counted twice).
    const after = await until(
      () => metricSum(handler, "agentwatch_user_feedback_total", { rating: "negative" }),
      (v) => v > before,
    );
    expect(after - before).toBe(1);

    // The /chat request carried Faro's traceparent, continued by the server and the agent.
    expect(seen.chatHeaders).toHaveLength(1);
    const traceparent = seen.chatHeaders[0]?.traceparent ?? "";
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const [, browserTraceId, browserSpanId] = traceparent.split("-");
    const spans = await until(
      () => exporter.getFinishedSpans(),
      (s) => s.some((span) => span.name === "user_feedback"),
    );
    const named = (name: string): ReadableSpan => {
      const span = spans.find((s) => s.name === name);
      if (span === undefined) throw new Error(`no ${name} span among ${spans.map((s) => s.name).join(", ")}`);
      return span;
    };
    const request = named("POST /chat");
    expect(request.spanContext().traceId).toBe(browserTraceId);
    expect(request.parentSpanContext?.spanId).toBe(browserSpanId);
    expect(named("invoke_agent acme-support").spanContext().traceId).toBe(browserTraceId);
    const feedback = named("user_feedback");
    expect(feedback.spanContext().traceId).toBe(browserTraceId);
    expect(feedback.events.find((e) => e.name === "agentwatch.user_feedback")?.attributes?.["gen_ai.evaluation.score.label"]).toBe(
      "negative",
    );
    expect(await answer.getAttribute("data-trace-id")).toBe(browserTraceId);

    // Faro sent the feedback event and the browser's own fetch span, on the same trace.
    const faro = await until(
      () => seen.faro,
      (bodies) =>
        bodies.some((b) => b.events?.some((e) => e.name === "feedback")) &&
        bodies.some((b) =>
          b.traces?.resourceSpans?.some((r) => r.scopeSpans?.some((s) => s.spans?.some((x) => x.spanId === browserSpanId))),
        ),
    );
    const event = faro.flatMap((b) => b.events ?? []).find((e) => e.name === "feedback");
    // POST /feedback recorded it, so the event tells the local receiver not to count it again.
    expect(event?.attributes).toEqual({ trace_id: browserTraceId, rating: "down", already_recorded: "true" });
    expect(event?.trace).toEqual({ trace_id: browserTraceId, span_id: browserSpanId });
    const browserSpans = faro
      .flatMap((b) => b.traces?.resourceSpans ?? [])
      .flatMap((r) => r.scopeSpans ?? [])
      .flatMap((s) => s.spans ?? []);
    expect(browserSpans.find((s) => s.spanId === browserSpanId)?.traceId).toBe(browserTraceId);
    expect(seen.consoleErrors).toEqual([]);
    await page.close();
  });

  it("renders SSE tokens as they arrive, shows a streamed error, and reports page errors through Faro", async () => {
    const browser = started();
    // A stand-in /chat that streams slowly, so the page is seen mid-answer.
    const app = express();
    mountChatPage(app, { handler, assetsDir });
    app.post("/chat", express.json(), (req, res) => {
      const traceId = String(req.headers.traceparent ?? "").split("-")[1];
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      if (String(req.body?.message).includes("fail")) {
        res.end(`event: error\ndata: ${JSON.stringify({ error: "provider overloaded (429)", trace_id: traceId })}\n\n`);
        return;
      }
      const tokens = ["Your ", "order ", "AB-1234 ", "has ", "shipped."];
      let i = 0;
      const timer = setInterval(() => {
        const token = tokens[i++];
        if (token !== undefined) res.write(`event: token\ndata: ${JSON.stringify({ text: token })}\n\n`);
        else {
          clearInterval(timer);
          res.end(`event: done\ndata: ${JSON.stringify({ answer: tokens.join(""), trace_id: traceId })}\n\n`);
        }
      }, 150);
    });
    app.post("/feedback", (_req, res) => void res.status(202).json({ status: "recorded" }));
    const base = await listen(app);
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(`${base}/`);

    // Every state the answer goes through, as the browser renders it.
    await page.evaluate(RECORD_ANSWER_STATES);
    await ask(page, "Where is my order AB-1234?");
    const answer = page.locator(".answer").last();
    await answer.locator(".answer-text", { hasText: "Your order AB-1234 has shipped." }).waitFor({ timeout: 5_000 });
    await expect.poll(() => answer.getAttribute("aria-busy")).toBe("false");
    const states = (await page.evaluate("window.answerStates")) as string[];
    // Each token appeared on its own, in order, while the answer was marked busy.
    expect(states.filter((s) => s.startsWith("true|"))).toEqual(
      ["", "Your ", "Your order ", "Your order AB-1234 ", "Your order AB-1234 has ", "Your order AB-1234 has shipped."].map(
        (t) => `true|${t}`,
      ),
    );
    expect(states.at(-1)).toBe("false|Your order AB-1234 has shipped.");

    // Feedback accepted by POST /feedback: the Faro event says so, and the receiver does not count it again.
    const feedbackBefore = await metricSum(handler, "agentwatch_user_feedback_total");
    await answer.getByRole("button", { name: "Helpful", exact: true }).click();
    await expect.poll(() => answer.getAttribute("data-feedback")).toBe("up");
    const faro = await until(
      () => seen.faro,
      (bodies) => bodies.some((b) => b.events?.some((e) => e.name === "feedback")),
    );
    expect(faro.flatMap((b) => b.events ?? []).find((e) => e.name === "feedback")?.attributes).toMatchObject({
      rating: "up",
      already_recorded: "true",
    });
    expect(await metricSum(handler, "agentwatch_user_feedback_total")).toBe(feedbackBefore);

    await ask(page, "please fail");
    await page.locator(".answer.failed .answer-text", { hasText: "provider overloaded (429)" }).waitFor({ timeout: 5_000 });

    const errorsBefore = await metricSum(handler, FRONTEND_ERRORS_METRIC, { kind: "TypeError" });
    await page.evaluate(() => {
      setTimeout(() => {
        throw new TypeError("boom from the browser test");
      });
    });
    const errorsAfter = await until(
      () => metricSum(handler, FRONTEND_ERRORS_METRIC, { kind: "TypeError" }),
      (v) => v > errorsBefore,
    );
    expect(errorsAfter).toBe(errorsBefore + 1);
    // The browser's request event can reach this process after the server counted the exception.
    const reported = await until(
      () => seen.faro.flatMap((b) => b.exceptions ?? []),
      (exceptions) => exceptions.some((e) => e.value.includes("boom from the browser test")),
    );
    expect(reported.filter((e) => e.value.includes("boom from the browser test"))).toHaveLength(1);
    expect(seen.consoleErrors.filter((e) => !e.includes("boom from the browser test"))).toEqual([]);
    await page.close();
  });
});
