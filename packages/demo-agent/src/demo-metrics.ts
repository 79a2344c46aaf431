import type { MetricsRegistry } from "@agentwatch/middleware";
import { Gauge } from "prom-client";

import { INCIDENT_NAMES, type IncidentName } from "./incidents.js";

/** Names of the demo's own metrics (agentwatch's are `gen_ai_*` and `agentwatch_*`). */
export const DEMO_METRIC = {
  incidentActive: "acme_support_incident_active",
} as const;

/**
 * The demo's own metric, in the handler's registry so one `/metrics` serves all:
 * `acme_support_incident_active{incident}` (1 while an incident runs: annotate dashboards, silence
 * or confirm alerts). Retrieval scores come from agentwatch itself (`agentwatch_retrieval_top_score`).
 */
export class DemoMetrics {
  private readonly incidentActive: Gauge;

  constructor(registry: MetricsRegistry) {
    const existing = (name: string) => registry.getSingleMetric(name);
    this.incidentActive =
      (existing(DEMO_METRIC.incidentActive) as Gauge | undefined) ??
      new Gauge({
        name: DEMO_METRIC.incidentActive,
        help: "1 while the named demo incident is active, else 0.",
        labelNames: ["incident"],
        registers: [registry],
      });
    for (const name of INCIDENT_NAMES) this.incidentActive.set({ incident: name }, 0);
  }

  /** Sets `acme_support_incident_active` from the list of active incidents. */
  incidents(active: readonly IncidentName[]): void {
    for (const name of INCIDENT_NAMES) this.incidentActive.set({ incident: name }, active.includes(name) ? 1 : 0);
  }
}
