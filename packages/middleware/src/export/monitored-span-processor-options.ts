import type { MetricsRegistry } from "../metrics/types.js";
import { fail, option, positiveInt } from "../util/validate.js";
import type { MonitoredBatchSpanProcessorOptions } from "./types.js";

/** The BatchSpanProcessor settings, with the queue size resolved (the processor counts against it). */
export interface ProcessorConfig {
  maxQueueSize: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

/** The SDK's default queue size, used when neither the option nor `OTEL_BSP_MAX_QUEUE_SIZE` sets one. */
const DEFAULT_MAX_QUEUE_SIZE = 2048;
const KNOWN = ["registry", "maxQueueSize", "maxExportBatchSize", "scheduledDelayMillis", "exportTimeoutMillis"];

/** Validates the arguments of `monitoredBatchSpanProcessor`. Throws a TypeError naming the field and the fix. */
export function resolveProcessorOptions(
  exporter: unknown,
  options: MonitoredBatchSpanProcessorOptions,
  env: NodeJS.ProcessEnv = process.env,
): { registry: MetricsRegistry; config: ProcessorConfig } {
  if (typeof (exporter as { export?: unknown } | null)?.export !== "function") {
    fail(option("exporter"), {
      problem: "is not a SpanExporter (no export method)",
      fix: "pass e.g. new OTLPTraceExporter() as the first argument",
    });
  }
  if (typeof options !== "object" || options === null) {
    fail(option("options"), { problem: "must be an object with a registry", fix: "pass { registry: handler.registry }" });
  }
  const { registry } = options;
  if (typeof registry?.metrics !== "function" || typeof registry?.registerMetric !== "function") {
    fail(option("registry"), {
      problem: "is not a prom-client Registry",
      fix: "pass the registry your /metrics serves, e.g. handler.registry",
    });
  }
  const unknown = Object.keys(options).find((k) => !KNOWN.includes(k));
  if (unknown !== undefined)
    fail(option(unknown), { problem: "is not an option of monitoredBatchSpanProcessor", fix: `use one of ${KNOWN.join(", ")}` });
  const config: ProcessorConfig = {
    maxQueueSize:
      positiveInt(option("maxQueueSize"), options.maxQueueSize, {
        fallback: undefined,
        fix: "pass e.g. 512 or leave it out for the default",
      }) ?? envQueueSize(env),
  };
  const batch = positiveInt(option("maxExportBatchSize"), options.maxExportBatchSize, {
    fallback: undefined,
    fix: "pass e.g. 512 or leave it out for the default",
  });
  if (batch !== undefined) config.maxExportBatchSize = batch;
  const delay = millis("scheduledDelayMillis", options.scheduledDelayMillis, 0);
  if (delay !== undefined) config.scheduledDelayMillis = delay;
  const timeout = millis("exportTimeoutMillis", options.exportTimeoutMillis, 1);
  if (timeout !== undefined) config.exportTimeoutMillis = timeout;
  return { registry, config };
}

function millis(field: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    fail(option(field), {
      problem: `must be a number of milliseconds >= ${min}, got ${JSON.stringify(value)}`,
      fix: "pass e.g. 1000 or leave it out for the default",
    });
  }
  return value;
}

/** `OTEL_BSP_MAX_QUEUE_SIZE` as the SDK reads it, else the SDK's default. */
function envQueueSize(env: NodeJS.ProcessEnv): number {
  const raw = env.OTEL_BSP_MAX_QUEUE_SIZE?.trim();
  const value = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_QUEUE_SIZE;
}
