import { type TracerProvider, trace } from "@opentelemetry/api";
import { createOpenMetricsRegistry } from "./metrics.js";
import { redactSecrets } from "./redaction.js";
import { BUCKETS } from "./semconv.js";
import type { AgentWatchOptions, MetricsRegistry, RedactFn } from "./types.js";

/** Options with every default filled in. */
export interface ResolvedOptions {
  tracerProvider: TracerProvider;
  registry: MetricsRegistry;
  agentName: string | undefined;
  captureContent: boolean;
  maxContentLength: number;
  redact: RedactFn;
  showAllRuns: boolean;
  awaitCallbacks: boolean;
  runTtlMs: number;
  maxOpenRuns: number;
  maxLabelValues: number;
  agentDurationBuckets: number[];
}

function fail(field: string, problem: string, fix: string): never {
  throw new TypeError(`agentwatch: option "${field}" ${problem}; ${fix}`);
}

function positiveInt(options: AgentWatchOptions, field: keyof AgentWatchOptions, fallback: number): number {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    fail(field, `must be a positive integer, got ${JSON.stringify(value)}`, `pass e.g. ${fallback} or leave it out for the default`);
  }
  return value;
}

function bool(options: AgentWatchOptions, field: keyof AgentWatchOptions, fallback: boolean): boolean {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(field, `must be true or false, got ${JSON.stringify(value)}`, "pass a boolean");
  return value;
}

/** Validates options and fills in defaults. Throws a TypeError naming the field and the fix. */
export function resolveOptions(options: AgentWatchOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) fail("options", "must be an object", "pass {} or leave it out");
  const { tracerProvider, registry, agentName, redact, agentDurationBuckets } = options;
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== "function") {
    fail(
      "tracerProvider",
      "is not a TracerProvider (no getTracer method)",
      "pass an OpenTelemetry TracerProvider or leave it out for the global one",
    );
  }
  if (registry !== undefined && (typeof registry?.metrics !== "function" || typeof registry?.registerMetric !== "function")) {
    fail("registry", "is not a prom-client Registry", "pass `new Registry()` from prom-client or leave it out");
  }
  if (agentName !== undefined && (typeof agentName !== "string" || agentName.trim() === "")) {
    fail("agentName", `must be a non-empty string, got ${JSON.stringify(agentName)}`, 'pass a short, stable name such as "support-agent"');
  }
  if (redact !== undefined && typeof redact !== "function") {
    fail("redact", "must be a function (text, context) => string", "pass a function or leave it out for the built-in masks");
  }
  if (agentDurationBuckets !== undefined) {
    const ok =
      Array.isArray(agentDurationBuckets) &&
      agentDurationBuckets.length > 0 &&
      agentDurationBuckets.every(
        (b, i) => typeof b === "number" && b > 0 && Number.isFinite(b) && (i === 0 || b > (agentDurationBuckets[i - 1] as number)),
      );
    if (!ok)
      fail("agentDurationBuckets", "must be a non-empty, strictly increasing list of positive seconds", "pass e.g. [0.5, 1, 2, 5, 10, 30]");
  }
  return {
    tracerProvider: tracerProvider ?? trace.getTracerProvider(),
    registry: registry ?? createOpenMetricsRegistry(),
    agentName,
    captureContent: bool(options, "captureContent", false),
    maxContentLength: positiveInt(options, "maxContentLength", 4096),
    redact: redact ?? redactSecrets,
    showAllRuns: bool(options, "showAllRuns", false),
    awaitCallbacks: bool(options, "awaitCallbacks", true),
    runTtlMs: positiveInt(options, "runTtlMs", 15 * 60_000),
    maxOpenRuns: positiveInt(options, "maxOpenRuns", 10_000),
    maxLabelValues: positiveInt(options, "maxLabelValues", 100),
    agentDurationBuckets: agentDurationBuckets ? [...agentDurationBuckets] : [...BUCKETS.invokeAgentDuration],
  };
}
