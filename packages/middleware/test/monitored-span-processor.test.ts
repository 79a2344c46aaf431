/**
 * monitoredBatchSpanProcessor without a network: its options are checked with errors that name
 * the field and the fix, an exporter that throws never reaches the app, spans the SDK would not
 * export are not counted, and processors sharing a registry add up.
 */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SamplingDecision,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it, vi } from "vitest";

import { createOpenMetricsRegistry, monitoredBatchSpanProcessor } from "../src/index.js";
import { exportHealth } from "./support/export-pipeline.js";

const providers: BasicTracerProvider[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const p of providers.splice(0)) await p.shutdown();
});

function tracerOn(...spanProcessors: ReturnType<typeof monitoredBatchSpanProcessor>[]) {
  const provider = new BasicTracerProvider({ spanProcessors });
  providers.push(provider);
  return { provider, tracer: provider.getTracer("test") };
}

describe("monitoredBatchSpanProcessor options", () => {
  const exporter = new InMemorySpanExporter();
  const registry = createOpenMetricsRegistry();

  it.each([
    [
      "a missing exporter",
      () => monitoredBatchSpanProcessor(undefined as never, { registry }),
      /option "exporter" is not a SpanExporter.*OTLPTraceExporter/,
    ],
    ["missing options", () => monitoredBatchSpanProcessor(exporter, undefined as never), /option "options" must be an object.*registry/],
    [
      "a missing registry",
      () => monitoredBatchSpanProcessor(exporter, {} as never),
      /option "registry" is not a prom-client Registry; pass/,
    ],
    [
      "a zero queue",
      () => monitoredBatchSpanProcessor(exporter, { registry, maxQueueSize: 0 }),
      /option "maxQueueSize" must be a positive integer, got 0/,
    ],
    [
      "a fractional batch",
      () => monitoredBatchSpanProcessor(exporter, { registry, maxExportBatchSize: 1.5 }),
      /"maxExportBatchSize" must be a positive integer/,
    ],
    [
      "a string delay",
      () => monitoredBatchSpanProcessor(exporter, { registry, scheduledDelayMillis: "5" as never }),
      /"scheduledDelayMillis" must be a number of milliseconds >= 0, got "5"/,
    ],
    [
      "a zero timeout",
      () => monitoredBatchSpanProcessor(exporter, { registry, exportTimeoutMillis: 0 }),
      /"exportTimeoutMillis" must be a number of milliseconds >= 1/,
    ],
    [
      "a misspelt option",
      () => monitoredBatchSpanProcessor(exporter, { registry, maxQueueLength: 10 } as never),
      /option "maxQueueLength" is not an option.*use one of registry, maxQueueSize/,
    ],
  ])("rejects %s with a TypeError naming the field and the fix", (_, make, message) => {
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  it("takes the queue size from OTEL_BSP_MAX_QUEUE_SIZE when the option is left out, as the SDK does", async () => {
    vi.stubEnv("OTEL_BSP_MAX_QUEUE_SIZE", "77");
    const own = createOpenMetricsRegistry();
    tracerOn(monitoredBatchSpanProcessor(exporter, { registry: own }));
    expect((await exportHealth(own)).capacity).toBe(77);
  });
});

describe("monitoredBatchSpanProcessor counting", () => {
  it("an exporter that throws: the span ends normally, its spans count as failed `other`, the next export still runs", async () => {
    const registry = createOpenMetricsRegistry();
    let calls = 0;
    const throwing: SpanExporter = {
      export(spans: ReadableSpan[], done) {
        calls++;
        if (calls === 1) throw new Error("exporter bug");
        done({ code: 0 });
      },
      shutdown: async () => {},
    };
    const { provider, tracer } = tracerOn(monitoredBatchSpanProcessor(throwing, { registry, scheduledDelayMillis: 1 }));
    expect(() => tracer.startSpan("a").end()).not.toThrow();
    await provider.forceFlush().catch(() => undefined);
    tracer.startSpan("b").end();
    await provider.forceFlush();
    expect(await exportHealth(registry)).toMatchObject({ exported: 1, failedTotal: 1, failed: { other: 1 }, queued: 0, pending: 0 });
  });

  it("spans recorded but not sampled are neither queued nor counted (the SDK does not export them)", async () => {
    const registry = createOpenMetricsRegistry();
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      sampler: { shouldSample: () => ({ decision: SamplingDecision.RECORD }), toString: () => "record-only" },
      spanProcessors: [monitoredBatchSpanProcessor(exporter, { registry, maxQueueSize: 1 })],
    });
    providers.push(provider);
    for (let i = 0; i < 3; i++) provider.getTracer("test").startSpan(`unsampled ${i}`).end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(await exportHealth(registry)).toMatchObject({ exported: 0, dropped: 0, queued: 0, pending: 0 });
  });

  it("processors sharing a registry add up, and one that shut down leaves the gauges", async () => {
    const registry = createOpenMetricsRegistry();
    const first = tracerOn(monitoredBatchSpanProcessor(new InMemorySpanExporter(), { registry, maxQueueSize: 10 }));
    const second = tracerOn(monitoredBatchSpanProcessor(new InMemorySpanExporter(), { registry, maxQueueSize: 20 }));
    first.tracer.startSpan("a").end();
    second.tracer.startSpan("b").end();
    second.tracer.startSpan("c").end();
    expect(await exportHealth(registry)).toMatchObject({ capacity: 30, queued: 3 });
    await first.provider.forceFlush();
    await second.provider.forceFlush();
    expect(await exportHealth(registry)).toMatchObject({ exported: 3, queued: 0 });
    await first.provider.shutdown();
    expect((await exportHealth(registry)).capacity).toBe(20);
  });
});
