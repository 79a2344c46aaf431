import type { MetricsRegistry } from "@agentwatch/middleware";
import { Gauge, Histogram } from "prom-client";
import { INCIDENT_NAMES, type IncidentName } from "./incidents.js";

/** Names of the demo's own metrics (agentwatch's are `gen_ai_*` and `agentwatch_*`). */
export const DEMO_METRIC = {
  incidentActive: "acme_support_incident_active",
  retrievalTopScore: "acme_support_retrieval_top_score",
} as const;

/**
 * The demo's own metrics, in the handler's registry so one `/metrics` serves all:
 * `acme_support_incident_active{incident}` (1 while an incident runs: annotate dashboards, silence
 * or confirm alerts) and `acme_support_retrieval_top_score` (the best document's score of each
 * retrieval, 0 when nothing was found: what the retrieval-degradation incident moves).
 */
export class DemoMetrics {
  private readonly incidentActive: Gauge;
  private readonly retrievalTopScore: Histogram;

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
    this.retrievalTopScore =
      (existing(DEMO_METRIC.retrievalTopScore) as Histogram | undefined) ??
      new Histogram({
        name: DEMO_METRIC.retrievalTopScore,
        help: "Similarity score (0..1) of the best document of each knowledge-base retrieval; 0 when none was found.",
        buckets: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
        registers: [registry],
      });
    for (const name of INCIDENT_NAMES) this.incidentActive.set({ incident: name }, 0);
  }

  /** Sets `acme_support_incident_active` from the list of active incidents. */
  incidents(active: readonly IncidentName[]): void {
    for (const name of INCIDENT_NAMES) this.incidentActive.set({ incident: name }, active.includes(name) ? 1 : 0);
  }

  /** Records the best score of one retrieval's documents. */
  retrieval(scores: readonly number[]): void {
    this.retrievalTopScore.observe(scores.length === 0 ? 0 : Math.max(...scores));
  }
}
