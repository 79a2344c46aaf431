import { AgentWatchHandler, type AgentWatchOptions, type ModelPrice } from "@agentwatch/middleware";

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

/** Options of {@link createDemoHandler}: any handler option, plus the evaluation sample rate. */
export interface DemoHandlerOptions extends AgentWatchOptions {
  /** Share of runs the keyword-relevance evaluator judges online. Default 0.25. */
  evaluationSampleRate?: number;
}

/**
 * The demo's AgentWatchHandler: agent "acme-support", prices for the offline model, and online
 * evaluation of a sample of runs by {@link keywordRelevanceEvaluator} (runs a guardrail flagged
 * and runs with negative feedback are always evaluated), and conversation outcomes: `create_ticket`
 * escalates, a conversation idle past {@link demoAbandonAfterMs} is abandoned.
 */
export function createDemoHandler(options: DemoHandlerOptions = {}): AgentWatchHandler {
  const { evaluationSampleRate = 0.25, ...rest } = options;
  return new AgentWatchHandler({
    agentName: DEMO_AGENT_NAME,
    prices: { ...DEMO_PRICES },
    evaluation: { evaluators: [keywordRelevanceEvaluator()], sampleRate: evaluationSampleRate },
    outcomes: { escalationTools: ["create_ticket"], abandonAfterMs: demoAbandonAfterMs() },
    ...rest,
  });
}
