/**
 * OTLP endpoint faults (refusing, hanging, 5xx / 4xx, slow, then healthy again) with the real
 * proto OTLPTraceExporter, OpenTelemetry's BatchSpanProcessor (via monitoredBatchSpanProcessor)
 * and a real LangGraph agent: no agent run waits on an export, every span that ended is accounted
 * for (exported + failed + dropped + queued + pending), drops and failures are counted exactly and
 * by reason, the spans held (queued + being exported) never exceed maxQueueSize, and spans flow
 * again when the endpoint recovers. No assertion is about time: only about what happened first.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { type ExportHealth, exportPipeline, until } from "./support/export-pipeline.js";
import { FakeOtlpEndpoint } from "./support/otlp-endpoint.js";

const ROOT_SPAN = "invoke_agent acme-support";

let endpoint: FakeOtlpEndpoint;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  endpoint = await new FakeOtlpEndpoint().start();
});

afterEach(async () => {
  endpoint.mode = { kind: "ok" };
  endpoint.release();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await endpoint.stop();
});

function pipeline(...args: Parameters<typeof exportPipeline>) {
  const p = exportPipeline(...args);
  cleanups.push(p.shutdown);
  return p;
}

/** Every span that ended is in exactly one place. */
function accounted(h: ExportHealth): number {
  return h.exported + h.failedTotal + h.dropped + h.queued + h.pending;
}

/** Waits until nothing is queued or in flight, and returns the final counts. */
async function settled(p: ReturnType<typeof pipeline>): Promise<ExportHealth> {
  let h = await p.health();
  await until("the queue to drain and exports to finish", async () => {
    h = await p.health();
    return h.queued === 0 && h.pending === 0;
  });
  return h;
}

describe("OTLP endpoint hanging", { timeout: 15_000 }, () => {
  it("runs finish while the export hangs; the processor fills to maxQueueSize and every later span is a counted drop; all flows after recovery", async () => {
    endpoint.mode = { kind: "hang" };
    // Long timeouts: the export stays stuck until the test releases it, so nothing here races a clock.
    const p = pipeline(
      endpoint.url,
      { timeoutMillis: 20_000 },
      { maxQueueSize: 30, maxExportBatchSize: 9, scheduledDelayMillis: 1, exportTimeoutMillis: 20_000 },
    );
    await p.invoke();
    await until("the first export request to hang at the endpoint", () => endpoint.pending() === 1);
    const stuck = endpoint.received[0];

    for (let i = 0; i < 10; i++) {
      await p.invoke();
      const h = await p.health();
      expect(h.queued + h.pending).toBeLessThanOrEqual(30);
      expect(accounted(h)).toBe(p.ended());
    }

    // Ten runs finished while the one export request was still open: none waited on it.
    expect(stuck?.status).toBeUndefined();
    expect(stuck?.abandoned).toBe(false);
    expect(endpoint.received).toHaveLength(1);
    const h = await p.health();
    const handed = endpoint.spansReceived();
    // Full: the hanging batch and the queue behind it make maxQueueSize; every later span was dropped.
    expect(h).toMatchObject({ queued: 30 - handed, capacity: 30, pending: handed, exported: 0, failedTotal: 0 });
    expect(h.dropped).toBe(p.ended() - 30);
    expect(h.dropped).toBeGreaterThan(0);

    endpoint.mode = { kind: "ok" };
    endpoint.release();
    const drained = await settled(p);
    expect(drained.exported).toBe(30); // the held batch and the whole queue
    await p.invoke();
    const after = await settled(p);
    expect(after.dropped).toBe(h.dropped);
    expect(after.exported).toBe(p.ended() - after.dropped);
    expect(endpoint.spansAnswered(200)).toBe(after.exported);
    // The run made after recovery reached the endpoint: its root span is in the last request.
    expect(endpoint.received.at(-1)?.spans).toContain(ROOT_SPAN);
  });

  it("past the exporter's timeout: spans fail as `timeout`, and batches the exporter has no room for as `concurrency_limit`", async () => {
    endpoint.mode = { kind: "hang" };
    const p = pipeline(
      endpoint.url,
      { timeoutMillis: 500, concurrencyLimit: 1 },
      { maxQueueSize: 100, maxExportBatchSize: 9, scheduledDelayMillis: 1, exportTimeoutMillis: 20 },
    );
    for (let i = 0; i < 4; i++) await p.invoke();
    const h = await settled(p);
    await until("the endpoint to see every request end", () => endpoint.pending() === 0);
    const timedOut = endpoint.received.filter((r) => r.abandoned).reduce((n, r) => n + r.spans.length, 0);
    expect(timedOut).toBeGreaterThan(0);
    expect(h.failed.timeout).toBe(timedOut);
    expect(h.failed.concurrency_limit).toBe(p.ended() - endpoint.spansReceived() - h.dropped);
    expect(h.failed.concurrency_limit).toBeGreaterThan(0);
    expect(h.exported).toBe(0);
    expect(accounted(h)).toBe(p.ended());
  });

  it("spans held stay within maxQueueSize while the SDK piles up exports, by the processor's count and at the endpoint", async () => {
    endpoint.mode = { kind: "hang" };
    // The SDK's processor stops waiting on an export after 20 ms and starts the next batch; the
    // exporter holds each hanging request for 20 s and takes up to 30 at once.
    const p = pipeline(
      endpoint.url,
      { timeoutMillis: 20_000 },
      { maxQueueSize: 30, maxExportBatchSize: 9, scheduledDelayMillis: 1, exportTimeoutMillis: 20 },
    );
    for (let i = 0; i < 8; i++) {
      await p.invoke();
      // Nothing is answered, so every span handed to the exporter must reach the endpoint and stay.
      await until("the endpoint to read every batch handed over", async () => endpoint.spansReceived() === (await p.health()).pending);
      const h = await p.health();
      expect(h.queued + h.pending).toBeLessThanOrEqual(30);
      expect(endpoint.spansReceived()).toBeLessThanOrEqual(30);
      expect(accounted(h)).toBe(p.ended());
    }
    // The SDK hands over the rest batch by batch, each time it stops waiting on the previous one.
    await until("the processor to hand every admitted span over", async () => (await p.health()).queued === 0);
    await until("the endpoint to read them", async () => endpoint.spansReceived() === (await p.health()).pending);
    expect(endpoint.pending()).toBeGreaterThan(1); // several exports hang at once
    expect(endpoint.spansReceived()).toBe(30); // and together they hold exactly maxQueueSize spans
    expect((await p.health()).dropped).toBeGreaterThan(0);
  });
});

describe("OTLP endpoint refusing connections", () => {
  it("counts the lost spans as `connection_refused`, then exports again once something listens", async () => {
    await endpoint.stop();
    const p = pipeline(
      endpoint.url,
      { timeoutMillis: 300 },
      { maxQueueSize: 100, maxExportBatchSize: 9, scheduledDelayMillis: 1, exportTimeoutMillis: 1000 },
    );
    for (let i = 0; i < 4; i++) await p.invoke();
    const refused = await settled(p);
    expect(refused.failed.connection_refused).toBeGreaterThan(0);
    expect(refused.failed.connection_refused).toBe(p.ended() - refused.dropped);
    expect(refused.exported).toBe(0);

    await endpoint.start(); // the same port
    await p.invoke();
    const after = await settled(p);
    expect(after.exported).toBe(p.ended() - after.dropped - after.failedTotal);
    expect(after.exported).toBeGreaterThan(0);
    expect(endpoint.spansAnswered(200)).toBe(after.exported);
    expect(endpoint.received.at(-1)?.spans).toContain(ROOT_SPAN);
  });
});

describe("OTLP endpoint answering errors", () => {
  it.each([
    [500, "http_5xx"],
    [400, "http_4xx"],
    [503, "http_retryable"],
  ])("HTTP %i: the spans of every answered request are counted as `%s`", async (status, reason) => {
    endpoint.mode = { kind: "status", status };
    const p = pipeline(
      endpoint.url,
      { timeoutMillis: 300 },
      { maxQueueSize: 100, maxExportBatchSize: 9, scheduledDelayMillis: 1, exportTimeoutMillis: 1000 },
    );
    for (let i = 0; i < 3; i++) await p.invoke();
    const h = await settled(p);
    expect(endpoint.spansAnswered(status)).toBeGreaterThan(0);
    expect(h.failed[reason]).toBe(endpoint.spansAnswered(status));
    expect(h.failedTotal).toBe(h.failed[reason]);
    expect(accounted(h)).toBe(p.ended());
  });
});

describe("OTLP endpoint answering slowly", { timeout: 15_000 }, () => {
  it("runs finish while a slow export is in flight; every span is exported in the end", async () => {
    endpoint.mode = { kind: "slow", delayMs: 800 };
    const p = pipeline(
      endpoint.url,
      { timeoutMillis: 20_000 },
      { maxQueueSize: 100, maxExportBatchSize: 100, scheduledDelayMillis: 1, exportTimeoutMillis: 20_000 },
    );
    await p.invoke();
    await until("the first export request to reach the endpoint", () => endpoint.received.length === 1);
    const slow = endpoint.received[0];
    await p.invoke();
    expect(slow?.status).toBeUndefined(); // the run above did not wait for the answer
    const during = await p.health();
    expect(during.pending).toBeGreaterThan(0);
    expect(during.exported).toBe(0);

    for (let i = 0; i < 3; i++) await p.invoke();
    const h = await settled(p);
    expect(h.failedTotal).toBe(0);
    expect(h.dropped).toBe(0);
    expect(h.exported).toBe(p.ended());
    expect(endpoint.spansAnswered(200)).toBe(h.exported);
  });
});
