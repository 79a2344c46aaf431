import { AgentWatchHandler, type AgentWatchOptions, type DriftOptions, type ModelPrice } from "@agentwatch/middleware";

import { keywordRelevanceEvaluator } from "./relevance-evaluator.js";

/** The agent name of the demo's runs and metrics. */
export const DEMO_AGENT_NAME = "acme-support";

/** The offline model is priced like a small hosted model, so the demo's cost metrics move. */
export const DEMO_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  "acme-scripted-1": { input: 0.15, output: 0.6, cacheRead: 0.075 },
});

/** The demo's abandonment time: env `DEMO_ABANDON_AFTER_MS`, default 60000 (1 min, short enough for a demo session). */
export function demoAbandonAfterMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DEMO_ABANDON_AFTER_MS;
  if (raw === undefined || raw === "") return 60_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new TypeError(`DEMO_ABANDON_AFTER_MS must be a positive integer of milliseconds, got ${JSON.stringify(raw)}; set e.g. 60000`);
  return ms;
}

/**
 * Drift as the demo runs it: windows small enough to fill within a minute of `npm run load`
 * (about 1 request a second), tested every 5 s. The first full window of each signal becomes its
 * reference, kept in the handler's store (Redis with `REDIS_URL`). Production defaults are larger
 * (500 observations, 200 query vectors, a test a minute).
 */
export const DEMO_DRIFT: Readonly<DriftOptions> = Object.freeze({
  windowSize: 40,
  embeddingWindowSize: 40,
  minSamples: 20,
  maxAgeMs: 600_000,
  intervalMs: 5_000,
  permutations: 200,
});

/** Options of {@link createDemoHandler}: any handler option, plus the evaluation sample rate. */
export interface DemoHandlerOptions extends AgentWatchOptions {
  /** Share of runs the keyword-relevance evaluator judges online. Default 0.25. */
  evaluationSampleRate?: number;
}

/**
 * The demo's AgentWatchHandler: agent "acme-support", prices for the offline model, and online
 * evaluation of a sample of runs by {@link keywordRelevanceEvaluator} (runs a guardrail flagged
 * and runs with negative feedback are always evaluated), and conversation outcomes: `create_ticket`
 * escalates, a conversation idle past {@link demoAbandonAfterMs} is abandoned; and drift
 * ({@link DEMO_DRIFT}; pass `drift: undefined` to turn it off).
 */
export function createDemoHandler(options: DemoHandlerOptions = {}): AgentWatchHandler {
  const { evaluationSampleRate = 0.25, ...rest } = options;
  return new AgentWatchHandler({
    agentName: DEMO_AGENT_NAME,
    prices: { ...DEMO_PRICES },
    evaluation: { evaluators: [keywordRelevanceEvaluator()], sampleRate: evaluationSampleRate },
    outcomes: { escalationTools: ["create_ticket"], abandonAfterMs: demoAbandonAfterMs() },
    drift: { ...DEMO_DRIFT },
    ...rest,
  });
}
