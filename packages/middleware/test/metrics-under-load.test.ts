/**
 * `/metrics` during heavy concurrent load: 32 agent runs at a time, round after round, while the
 * registry is scraped over and over, directly and through `metricsHandler` over HTTP. Every scrape
 * must parse, hold each series once, have cumulative histogram buckets whose `+Inf` equals
 * `_count` and a finite, non-negative `_sum`, and no counter or histogram series may go down or
 * vanish from one scrape to the next.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";

import { AgentWatchHandler, createOpenMetricsRegistry, METRIC, metricsHandler, monitoredBatchSpanProcessor } from "../src/index.js";
import { checkMonotonic, checkScrape } from "./support/exposition-checks.js";
import { find, value } from "./support/openmetrics.js";
import { installContextManager } from "./support/otel.js";

const CONCURRENCY = 32;
const MIN_ROUNDS = 4;
const MAX_ROUNDS = 40;

/** Accepts every span a moment later, like a fast collector. */
const laterExporter: SpanExporter = {
  export(_spans: ReadableSpan[], done) {
    setTimeout(() => done({ code: 0 }), 1);
  },
  shutdown: async () => {},
};

describe("/metrics under heavy concurrent load", { timeout: 60_000 }, () => {
  installContextManager();
  const registry = createOpenMetricsRegistry();
  // A queue smaller than one round's spans, so the drop counter moves too.
  const processor = monitoredBatchSpanProcessor(laterExporter, { registry, maxQueueSize: 128, scheduledDelayMillis: 2 });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const handler = new AgentWatchHandler({ tracerProvider: provider, registry });
  const graph = createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 1, perTokenDelayMs: 0 }) });
  const server = createServer(metricsHandler(registry));

  afterAll(async () => {
    handler.shutdown();
    await provider.shutdown();
    await new Promise((r) => server.close(r));
  });

  it(`every scrape taken during rounds of ${CONCURRENCY} concurrent runs is consistent`, async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    let loadDone = false;
    const scrapesDuringLoad = { direct: 0, http: 0 };
    // Each scraper's latest monotonic series: its next scrape must not go below them. (Two scrapes in
    // flight at once may take their values in either order, so only one scraper's own are compared.)
    const previous = { direct: new Map<string, number>(), http: new Map<string, number>() };

    const scrape = async (viaHttp: boolean): Promise<string> => {
      if (!viaHttp) return registry.metrics();
      const res = await fetch(url, { headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(registry.contentType);
      return res.text();
    };
    const check = (text: string, by: keyof typeof previous) => {
      expect(text.endsWith("# EOF\n")).toBe(true);
      const { expo, monotonic } = checkScrape(text);
      checkMonotonic(previous[by], monotonic);
      previous[by] = monotonic;
      expect(value(expo, METRIC.spanQueueSize)).toBeLessThanOrEqual(128);
      expect(value(expo, METRIC.openRuns)).toBeGreaterThanOrEqual(0);
    };

    // Two scrapers, direct and over HTTP, each in its own loop while the load runs; the first
    // inconsistency stops the load and fails the test.
    let failure: unknown;
    const scraper = async (viaHttp: boolean) => {
      try {
        while (!loadDone) {
          // A direct scrape settles in microtasks only: yield to the event loop so the runs go on.
          await new Promise((r) => setImmediate(r));
          const text = await scrape(viaHttp);
          if (!loadDone) scrapesDuringLoad[viaHttp ? "http" : "direct"]++;
          check(text, viaHttp ? "http" : "direct");
        }
      } catch (error) {
        failure ??= error;
        loadDone = true;
      }
    };
    const scrapers = Promise.all([scraper(false), scraper(true)]);
    let rounds = 0;
    const enough = () => scrapesDuringLoad.direct >= 10 && scrapesDuringLoad.http >= 5;
    try {
      // At least MIN_ROUNDS rounds, and on until both scrapers have scraped enough under load.
      while (!loadDone && (rounds < MIN_ROUNDS || (!enough() && rounds < MAX_ROUNDS))) {
        await Promise.all(
          Array.from({ length: CONCURRENCY }, (_, i) =>
            graph.invoke(
              { messages: [new HumanMessage(i % 3 === 0 ? "What is your refund policy?" : "Where is my order AB-1234?")] },
              {
                callbacks: [handler],
              },
            ),
          ),
        );
        rounds++;
      }
    } finally {
      loadDone = true;
      await scrapers;
    }
    if (failure !== undefined) throw failure;

    expect(enough(), `scrapes during load: ${JSON.stringify(scrapesDuringLoad)} in ${rounds} rounds`).toBe(true);
    const final = await scrape(true);
    check(final, "http");
    const expo = checkScrape(final).expo;
    expect(value(expo, `${METRIC.invokeAgentDuration}_count`, { gen_ai_agent_name: "acme-support", error_type: "" })).toBe(
      rounds * CONCURRENCY,
    );
    expect(value(expo, METRIC.openRuns)).toBe(0);
    expect(find(expo, `${METRIC.handlerErrors}_total`)).toEqual([]);
    expect(value(expo, METRIC.spansDropped)).toBeGreaterThan(0);
  });
});
