import { trace, type TracerProvider } from "@opentelemetry/api";

import { redactSecrets } from "./content/redaction.js";
import type { RedactFn } from "./content/types.js";
import type { AttributionLabel, BudgetOptions, ModelPrice, RunGuardOptions } from "./cost/types.js";
import type { ResolvedDriftOptions } from "./drift/drift-monitor.js";
import { loadBaseline } from "./drift/references.js";
import { checkFeedback, type FeedbackSettings } from "./evaluations/feedback-options.js";
import type { EvaluationOptions } from "./evaluations/types.js";
import { createOpenMetricsRegistry } from "./metrics/registry.js";
import type { MetricsRegistry } from "./metrics/types.js";
import type { OutcomeSettings } from "./outcomes/conversations.js";
import { checkOutcomes } from "./outcomes/outcome-options.js";
import { BUCKETS } from "./semconv.js";
import { MemoryStore } from "./state/memory-store.js";
import type { SharedStore } from "./state/types.js";
import type { AgentWatchOptions } from "./types.js";
import { fail, option, positiveInt, positiveNumber, record } from "./util/validate.js";

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
  prices: Record<string, ModelPrice>;
  budgets: BudgetOptions;
  guards: RunGuardOptions | undefined;
  store: SharedStore;
  attributionLabels: AttributionLabel[];
  promptVersionLabel: boolean;
  semconvDrafts: boolean;
  evaluation: EvaluationOptions | undefined;
  recentRuns: number;
  feedback: FeedbackSettings;
  /** Conversation outcomes; undefined when off. */
  outcomes: OutcomeSettings | undefined;
  drift: ResolvedDriftOptions | undefined;
}

function bool(options: AgentWatchOptions, field: keyof AgentWatchOptions, fallback: boolean): boolean {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean")
    fail(option(field), { problem: `must be true or false, got ${JSON.stringify(value)}`, fix: "pass a boolean" });
  return value;
}

/** Validates options and fills in defaults. Throws a TypeError naming the field and the fix. */
export function resolveOptions(options: AgentWatchOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null)
    fail(option("options"), { problem: "must be an object", fix: "pass {} or leave it out" });
  const { tracerProvider, registry, agentName, redact, agentDurationBuckets } = options;
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== "function") {
    fail(option("tracerProvider"), {
      problem: "is not a TracerProvider (no getTracer method)",
      fix: "pass an OpenTelemetry TracerProvider or leave it out for the global one",
    });
  }
  if (registry !== undefined && (typeof registry?.metrics !== "function" || typeof registry?.registerMetric !== "function")) {
    fail(option("registry"), { problem: "is not a prom-client Registry", fix: "pass `new Registry()` from prom-client or leave it out" });
  }
  if (agentName !== undefined && (typeof agentName !== "string" || agentName.trim() === "")) {
    fail(option("agentName"), {
      problem: `must be a non-empty string, got ${JSON.stringify(agentName)}`,
      fix: 'pass a short, stable name such as "support-agent"',
    });
  }
  if (redact !== undefined && typeof redact !== "function") {
    fail(option("redact"), {
      problem: "must be a function (text, context) => string",
      fix: "pass a function or leave it out for the built-in masks",
    });
  }
  if (agentDurationBuckets !== undefined) {
    const ok =
      Array.isArray(agentDurationBuckets) &&
      agentDurationBuckets.length > 0 &&
      agentDurationBuckets.every(
        (b, i) => typeof b === "number" && b > 0 && Number.isFinite(b) && (i === 0 || b > (agentDurationBuckets[i - 1] as number)),
      );
    if (!ok)
      fail(option("agentDurationBuckets"), {
        problem: "must be a non-empty, strictly increasing list of positive seconds",
        fix: "pass e.g. [0.5, 1, 2, 5, 10, 30]",
      });
  }
  const store = checkStore(options.store);
  return {
    prices: checkPrices(options.prices),
    budgets: checkBudgets(options.budgets),
    guards: checkGuards(options.guards),
    attributionLabels: checkAttribution(options.attributionLabels),
    promptVersionLabel: bool(options, "promptVersionLabel", false),
    semconvDrafts: bool(options, "semconvDrafts", false),
    evaluation: checkEvaluation(options.evaluation),
    feedback: checkFeedback(options.feedback, process.env.AGENTWATCH_FEEDBACK_SECRET),
    store,
    // Conversation state lives in the handler's store (shared with Redis) unless outcomes.store says otherwise.
    outcomes: checkOutcomes(options.outcomes, store),
    // Drift references live in the handler's store (shared with Redis) unless drift.store says otherwise.
    drift: checkDrift(options.drift, store),
    recentRuns: positiveInt(option("recentRuns"), options.recentRuns, {
      fallback: 10_000,
      fix: "pass e.g. 10000 or leave it out for the default",
    }),
    tracerProvider: tracerProvider ?? trace.getTracerProvider(),
    registry: registry ?? createOpenMetricsRegistry(),
    agentName,
    captureContent: bool(options, "captureContent", false),
    maxContentLength: positiveInt(option("maxContentLength"), options.maxContentLength, {
      fallback: 4096,
      fix: "pass e.g. 4096 or leave it out for the default",
    }),
    redact: redact ?? redactSecrets,
    showAllRuns: bool(options, "showAllRuns", false),
    awaitCallbacks: bool(options, "awaitCallbacks", true),
    runTtlMs: positiveInt(option("runTtlMs"), options.runTtlMs, {
      fallback: 15 * 60_000,
      fix: "pass e.g. 900000 or leave it out for the default",
    }),
    maxOpenRuns: positiveInt(option("maxOpenRuns"), options.maxOpenRuns, {
      fallback: 10_000,
      fix: "pass e.g. 10000 or leave it out for the default",
    }),
    maxLabelValues: positiveInt(option("maxLabelValues"), options.maxLabelValues, {
      fallback: 100,
      fix: "pass e.g. 100 or leave it out for the default",
    }),
    agentDurationBuckets: agentDurationBuckets ? [...agentDurationBuckets] : [...BUCKETS.invokeAgentDuration],
  };
}

function checkPrices(prices: unknown): Record<string, ModelPrice> {
  if (prices === undefined) return {};
  const fix = 'pass { "my-model": { input: 3, output: 15 } } in USD per 1M tokens';
  const out: Record<string, ModelPrice> = {};
  for (const [model, raw] of Object.entries(record(option("prices"), prices, { fix: fix }))) {
    const p = record(option(`prices["${model}"]`), raw, { fix: fix });
    const price: ModelPrice = {
      input: nonNegative(`prices["${model}"].input`, p.input),
      output: nonNegative(`prices["${model}"].output`, p.output),
    };
    for (const part of ["cacheRead", "cacheWrite", "reasoning"] as const) {
      if (p[part] !== undefined) price[part] = nonNegative(`prices["${model}"].${part}`, p[part]);
    }
    out[model] = price;
  }
  return out;
}

function nonNegative(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    fail(option(field), {
      problem: `must be a USD price per 1M tokens (a number >= 0), got ${JSON.stringify(value)}`,
      fix: "pass e.g. 2.5",
    });
  }
  return value;
}

function checkBudgets(budgets: unknown): BudgetOptions {
  if (budgets === undefined) return {};
  const fix = "pass { global: 100, agents: { support: 50 }, features: { search: 10 } } in USD per day";
  const b = record(option("budgets"), budgets, { fix: fix });
  const out: BudgetOptions = {};
  if (b.global !== undefined) out.global = positiveNumber(option("budgets.global"), b.global, { example: "100" });
  for (const scope of ["agents", "features"] as const) {
    if (b[scope] === undefined) continue;
    const entries: Record<string, number> = {};
    for (const [name, usd] of Object.entries(record(option(`budgets.${scope}`), b[scope], { fix: fix }))) {
      entries[name] = positiveNumber(option(`budgets.${scope}["${name}"]`), usd, { example: "50" });
    }
    out[scope] = entries;
  }
  const unknown = Object.keys(b).filter((k) => !["global", "agents", "features"].includes(k));
  if (unknown.length > 0)
    fail(option(`budgets.${unknown[0]}`), { problem: "is not a budget scope", fix: "use global, agents or features" });
  return out;
}

function checkGuards(guards: unknown): RunGuardOptions | undefined {
  if (guards === undefined) return undefined;
  const g = record(option("guards"), guards, { fix: 'pass e.g. { maxToolCalls: 20, action: "abort" }' });
  const out: RunGuardOptions = {};
  if (g.action !== undefined) {
    if (g.action !== "record" && g.action !== "abort")
      fail(option("guards.action"), {
        problem: `must be "record" or "abort", got ${JSON.stringify(g.action)}`,
        fix: 'pass "abort" to stop runaway runs',
      });
    out.action = g.action;
  }
  if (g.maxCostUsd !== undefined) out.maxCostUsd = positiveNumber(option("guards.maxCostUsd"), g.maxCostUsd, { example: "0.5" });
  if (g.perUserUsdPerHour !== undefined)
    out.perUserUsdPerHour = positiveNumber(option("guards.perUserUsdPerHour"), g.perUserUsdPerHour, { example: "2" });
  if (g.perTenantUsdPerDay !== undefined)
    out.perTenantUsdPerDay = positiveNumber(option("guards.perTenantUsdPerDay"), g.perTenantUsdPerDay, { example: "200" });
  for (const key of ["maxTokens", "maxLlmCalls", "maxToolCalls", "maxRepeatedToolCalls"] as const) {
    const v = g[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0)
      fail(option(`guards.${key}`), { problem: `must be a positive integer, got ${JSON.stringify(v)}`, fix: "pass e.g. 10" });
    out[key] = v;
  }
  const known = [
    "action",
    "maxCostUsd",
    "maxTokens",
    "maxLlmCalls",
    "maxToolCalls",
    "maxRepeatedToolCalls",
    "perUserUsdPerHour",
    "perTenantUsdPerDay",
  ];
  const unknown = Object.keys(g).filter((k) => !known.includes(k));
  if (unknown.length > 0) fail(option(`guards.${unknown[0]}`), { problem: "is not a guard", fix: `use one of ${known.join(", ")}` });
  return out;
}

const STORE_METHODS = ["incrementWindow", "readWindow", "getJson", "setJson", "delete", "claim", "touch", "idle", "forget", "close"];

function checkStore(store: unknown): SharedStore {
  if (store === undefined) return new MemoryStore();
  const missing = STORE_METHODS.find((m) => typeof (store as Record<string, unknown> | null)?.[m] !== "function");
  if (missing !== undefined)
    fail(option("store"), {
      problem: `is not a SharedStore (no ${missing} method)`,
      fix: "pass createSharedStore() (Redis when REDIS_URL is set) or a MemoryStore, or leave it out",
    });
  return store as SharedStore;
}

function checkAttribution(labels: unknown): AttributionLabel[] {
  if (labels === undefined) return [];
  if (!Array.isArray(labels) || labels.some((l) => l !== "tenant" && l !== "tier")) {
    fail(option("attributionLabels"), {
      problem: `must be a list of "tenant" and/or "tier", got ${JSON.stringify(labels)}`,
      fix: 'pass ["tenant"] to label cost by tenant',
    });
  }
  return [...new Set(labels as AttributionLabel[])];
}

function checkEvaluation(evaluation: unknown): EvaluationOptions | undefined {
  if (evaluation === undefined) return undefined;
  const fix = "pass { evaluators: [groundednessEvaluator()], sampleRate: 0.05 }";
  const e = record(option("evaluation"), evaluation, { fix: fix });
  if (!Array.isArray(e.evaluators) || e.evaluators.length === 0)
    fail(option("evaluation.evaluators"), { problem: "must be a non-empty list", fix: fix });
  e.evaluators.forEach((ev: unknown, i: number) => {
    const candidate = ev as { name?: unknown; evaluate?: unknown } | null;
    if (typeof candidate?.name !== "string" || typeof candidate.evaluate !== "function") {
      fail(option(`evaluation.evaluators[${i}]`), {
        problem: "is not an evaluator",
        fix: "pass an object with a name and an evaluate(sample, context) function",
      });
    }
  });
  const out: EvaluationOptions = { evaluators: e.evaluators as EvaluationOptions["evaluators"] };
  if (e.sampleRate !== undefined) {
    if (typeof e.sampleRate !== "number" || !(e.sampleRate >= 0 && e.sampleRate <= 1)) {
      fail(option("evaluation.sampleRate"), {
        problem: `must be a number from 0 to 1, got ${JSON.stringify(e.sampleRate)}`,
        fix: "pass e.g. 0.05 for 5 %",
      });
    }
    out.sampleRate = e.sampleRate;
  }
  for (const key of ["concurrency", "queueSize"] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0)
      fail(option(`evaluation.${key}`), { problem: `must be a positive integer, got ${JSON.stringify(v)}`, fix: "pass e.g. 2" });
    out[key] = v;
  }
  return out;
}

function checkDrift(drift: unknown, handlerStore: SharedStore): ResolvedDriftOptions | undefined {
  if (drift === undefined) return undefined;
  const d = record(option("drift"), drift, { fix: "pass {} for the defaults, or e.g. { windowSize: 200, intervalMs: 60000 }" });
  const known = [
    "windowSize",
    "embeddingWindowSize",
    "embeddingSampleRate",
    "maxAgeMs",
    "minSamples",
    "intervalMs",
    "permutations",
    "seed",
    "store",
    "baseline",
    "referenceMaxAgeMs",
    "storeTimeoutMs",
  ];
  const unknown = Object.keys(d).filter((k) => !known.includes(k));
  if (unknown.length > 0) fail(option(`drift.${unknown[0]}`), { problem: "is not a drift option", fix: `use one of ${known.join(", ")}` });
  const int = (key: string, fallback: number, example: string) =>
    positiveInt(option(`drift.${key}`), d[key], { fallback, fix: `pass e.g. ${example} or leave it out for the default` });
  const rate = d.embeddingSampleRate;
  if (rate !== undefined && (typeof rate !== "number" || !(rate > 0 && rate <= 1)))
    fail(option("drift.embeddingSampleRate"), {
      problem: `must be a number above 0 and at most 1, got ${JSON.stringify(rate)}`,
      fix: "pass e.g. 0.1 to keep 10 % of query vectors",
    });
  const store = d.store as ResolvedDriftOptions["store"] | undefined;
  if (store !== undefined && (typeof store?.getJson !== "function" || typeof store.setJson !== "function"))
    fail(option("drift.store"), {
      problem: "is not a SharedStore (no getJson / setJson)",
      fix: "pass new MemoryStore() or a Redis store, or leave it out",
    });
  const windowSize = int("windowSize", 500, "500");
  const minSamples = int("minSamples", Math.min(50, windowSize), "50");
  if (minSamples > windowSize)
    fail(option("drift.minSamples"), {
      problem: `(${minSamples}) must not exceed drift.windowSize (${windowSize})`,
      fix: "lower minSamples or raise windowSize",
    });
  const seed = d.seed;
  if (seed !== undefined && (typeof seed !== "number" || !Number.isInteger(seed)))
    fail(option("drift.seed"), { problem: `must be an integer, got ${JSON.stringify(seed)}`, fix: "pass e.g. 1" });
  return {
    windowSize,
    embeddingWindowSize: int("embeddingWindowSize", 200, "200"),
    embeddingSampleRate: rate ?? 1,
    maxAgeMs: int("maxAgeMs", 3_600_000, "3600000"),
    minSamples,
    intervalMs: int("intervalMs", 60_000, "60000"),
    permutations: int("permutations", 200, "200"),
    seed: seed ?? 1,
    store: store ?? handlerStore,
    baseline: d.baseline === undefined ? undefined : loadBaseline(d.baseline as string, "drift.baseline"),
    referenceMaxAgeMs: int("referenceMaxAgeMs", 7 * 86_400_000, "604800000"),
    storeTimeoutMs: int("storeTimeoutMs", 250, "250"),
  };
}
