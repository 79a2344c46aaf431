// Pushing a run's results to a Prometheus Pushgateway: job `agentwatch_eval`, grouped by dataset,
// prompt and version (so each version keeps its own series and a new run of it replaces the last),
// from a Registry of our own, never prom-client's global one.

import { LABEL, OFFLINE_EVAL_METRIC } from "@agentwatch/middleware";
import { Gauge, Pushgateway, Registry } from "prom-client";

import type { EvalReport, GateResult } from "../types.js";

/** The registry a push sends: `agentwatch_offline_eval_score{evaluator}` and the run's gauges. */
export function offlineEvalRegistry(report: EvalReport, gate?: GateResult, endedAt: Date = new Date()): Registry {
  const registry = new Registry();
  const score = new Gauge({
    name: OFFLINE_EVAL_METRIC.score,
    help: "Offline evaluation: mean score over the dataset's cases, 0..1",
    labelNames: [LABEL.evaluator],
    registers: [registry],
  });
  for (const [evaluator, interval] of Object.entries(report.byEvaluator)) score.set({ [LABEL.evaluator]: evaluator }, interval.mean);
  new Gauge({ name: OFFLINE_EVAL_METRIC.cases, help: "Offline evaluation: cases evaluated", registers: [registry] }).set(
    report.cases.length,
  );
  new Gauge({ name: OFFLINE_EVAL_METRIC.costUsd, help: "Offline evaluation: USD the run cost", registers: [registry] }).set(
    report.totals.costUsd,
  );
  new Gauge({ name: OFFLINE_EVAL_METRIC.lastRun, help: "Offline evaluation: when the run ended, Unix seconds", registers: [registry] }).set(
    Math.round(endedAt.getTime() / 1000),
  );
  if (gate !== undefined) {
    new Gauge({
      name: OFFLINE_EVAL_METRIC.gatePassed,
      help: "Offline evaluation: 1 when the quality gate passed, 0 when it failed",
      registers: [registry],
    }).set(gate.verdict === "pass" ? 1 : 0);
  }
  return registry;
}

/** The grouping key of a run: dataset, prompt, version. */
export function offlineEvalGrouping(report: EvalReport): Record<string, string> {
  return { [LABEL.dataset]: report.dataset, [LABEL.prompt]: report.prompt.name, [LABEL.version]: report.prompt.version };
}

/**
 * PUTs the run's metrics to `url` (e.g. http://pushgateway:9091), replacing the group's previous push.
 * Throws with the gateway's answer when it refuses.
 */
export async function pushResults(url: string, report: EvalReport, gate?: GateResult, options: { timeoutMs?: number } = {}): Promise<void> {
  const groupings = offlineEvalGrouping(report);
  for (const [label, value] of Object.entries(groupings)) {
    if (value.includes("/"))
      throw new Error(`cannot push to the Pushgateway: ${label} "${value}" contains "/", which a grouping key cannot hold; rename it`);
  }
  const gateway = new Pushgateway(url, { timeout: options.timeoutMs ?? 10_000 }, offlineEvalRegistry(report, gate));
  try {
    await gateway.push({ jobName: OFFLINE_EVAL_METRIC.job, groupings });
  } catch (error) {
    throw new Error(`pushing to the Pushgateway at ${url} failed: ${(error as Error).message}`, { cause: error });
  }
}
