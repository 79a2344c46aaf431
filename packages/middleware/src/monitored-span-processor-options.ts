import { fail } from "./options.js";
import type { MetricsRegistry, MonitoredBatchSpanProcessorOptions } from "./types.js";

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
    fail("exporter", "is not a SpanExporter (no export method)", "pass e.g. new OTLPTraceExporter() as the first argument");
  }
  if (typeof options !== "object" || options === null) {
    fail("options", "must be an object with a registry", "pass { registry: handler.registry }");
  }
  const { registry } = options;
  if (typeof registry?.metrics !== "function" || typeof registry?.registerMetric !== "function") {
    fail("registry", "is not a prom-client Registry", "pass the registry your /metrics serves, e.g. handler.registry");
  }
  const unknown = Object.keys(options).find((k) => !KNOWN.includes(k));
  if (unknown !== undefined) fail(unknown, "is not an option of monitoredBatchSpanProcessor", `use one of ${KNOWN.join(", ")}`);
  const config: ProcessorConfig = { maxQueueSize: positiveInt("maxQueueSize", options.maxQueueSize) ?? envQueueSize(env) };
  const batch = positiveInt("maxExportBatchSize", options.maxExportBatchSize);
  if (batch !== undefined) config.maxExportBatchSize = batch;
  const delay = millis("scheduledDelayMillis", options.scheduledDelayMillis, 0);
  if (delay !== undefined) config.scheduledDelayMillis = delay;
  const timeout = millis("exportTimeoutMillis", options.exportTimeoutMillis, 1);
  if (timeout !== undefined) config.exportTimeoutMillis = timeout;
  return { registry, config };
}

function positiveInt(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    fail(field, `must be a positive integer, got ${JSON.stringify(value)}`, "pass e.g. 512 or leave it out for the default");
  }
  return value;
}

function millis(field: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    fail(
      field,
      `must be a number of milliseconds >= ${min}, got ${JSON.stringify(value)}`,
      "pass e.g. 1000 or leave it out for the default",
    );
  }
  return value;
}

/** `OTEL_BSP_MAX_QUEUE_SIZE` as the SDK reads it, else the SDK's default. */
function envQueueSize(env: NodeJS.ProcessEnv): number {
  const raw = env.OTEL_BSP_MAX_QUEUE_SIZE?.trim();
  const value = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_QUEUE_SIZE;
}
