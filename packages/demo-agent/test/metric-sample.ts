import type { AgentWatchHandler } from "@agentwatch/middleware";

import { parseMetricsText, sumSamples } from "../src/metrics-text.js";

/** The sum of the samples of `name` in the handler's registry whose labels include `labels` (0 when there is none). */
export async function metricSum(handler: AgentWatchHandler, name: string, labels: Record<string, string> = {}): Promise<number> {
  return sumSamples(parseMetricsText(await handler.registry.metrics()), name, labels);
}
