import { AgentWatchHandler, type AgentWatchOptions, type ModelPrice } from "@agentwatch/middleware";

import { keywordRelevanceEvaluator } from "./relevance-evaluator.js";

/** The agent name of the demo's runs and metrics. */
export const DEMO_AGENT_NAME = "acme-support";

/** The offline model is priced like a small hosted model, so the demo's cost metrics move. */
export const DEMO_PRICES: Readonly<Record<string, ModelPrice>> = Object.freeze({
  "acme-scripted-1": { input: 0.15, output: 0.6, cacheRead: 0.075 },
});

/** Options of {@link createDemoHandler}: any handler option, plus the evaluation sample rate. */
export interface DemoHandlerOptions extends AgentWatchOptions {
  /** Share of runs the keyword-relevance evaluator judges online. Default 0.25. */
  evaluationSampleRate?: number;
}

/**
 * The demo's AgentWatchHandler: agent "acme-support", prices for the offline model, and online
 * evaluation of a sample of runs by {@link keywordRelevanceEvaluator} (runs a guardrail flagged
 * and runs with negative feedback are always evaluated).
 */
export function createDemoHandler(options: DemoHandlerOptions = {}): AgentWatchHandler {
  const { evaluationSampleRate = 0.25, ...rest } = options;
  return new AgentWatchHandler({
    agentName: DEMO_AGENT_NAME,
    prices: { ...DEMO_PRICES },
    evaluation: { evaluators: [keywordRelevanceEvaluator()], sampleRate: evaluationSampleRate },
    ...rest,
  });
}
