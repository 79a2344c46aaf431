import { parseMetricsText } from "@agentwatch/demo-agent";
import { METRIC, type MetricsRegistry } from "@agentwatch/middleware";

/** The label of one metric with the most distinct values. */
export interface WidestLabel {
  metric: string;
  label: string;
  values: number;
}

/** What the soak reads from the handler's registry. */
export interface MetricsSnapshot {
  /** Sample lines of the `/metrics` exposition: the series a scrape stores. */
  series: number;
  /** `agentwatch_runs_evicted_total`. */
  evicted: number;
  /** `agentwatch_handler_errors_total` by callback (only non-zero ones). */
  handlerErrors: Record<string, number>;
  /** `agentwatch_label_values_overflow_total`: label values that became `other`. */
  labelOverflow: number;
  /** The widest label of every metric, widest first. */
  widest: WidestLabel[];
  guardTrips: number;
  evalScores: number;
  evalErrors: number;
  evalDropped: number;
  feedback: number;
}

type MetricValues = Awaited<ReturnType<MetricsRegistry["getMetricsAsJSON"]>>[number]["values"];

/**
 * A counter's name without `_total`: prom-client renames counters so in an OpenMetrics registry
 * once `metrics()` has run (the exposition adds the suffix back), so JSON names vary.
 */
export const familyName = (name: string): string => name.replace(/_total$/, "");

const sum = (values: MetricValues): number => values.reduce((total, v) => total + v.value, 0);

/** Reads the registry: series count, eviction and self-error counters, and label cardinality. */
export async function snapshotMetrics(registry: MetricsRegistry): Promise<MetricsSnapshot> {
  const json = await registry.getMetricsAsJSON();
  const text = await registry.metrics();
  // Looked up by the name registered (stable), not the JSON name (see familyName).
  const values = async (name: string): Promise<MetricValues> => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  const handlerErrors: Record<string, number> = {};
  for (const v of await values(METRIC.handlerErrors)) {
    if (v.value > 0) handlerErrors[String(v.labels.callback ?? "")] = (handlerErrors[String(v.labels.callback ?? "")] ?? 0) + v.value;
  }
  const widest: WidestLabel[] = [];
  for (const metric of json) {
    const distinct = new Map<string, Set<string>>();
    for (const v of metric.values) {
      for (const [label, value] of Object.entries(v.labels)) {
        if (label === "le") continue;
        let set = distinct.get(label);
        if (set === undefined) distinct.set(label, (set = new Set()));
        set.add(String(value));
      }
    }
    let top: WidestLabel | undefined;
    for (const [label, set] of distinct) {
      if (top === undefined || set.size > top.values) top = { metric: familyName(metric.name), label, values: set.size };
    }
    if (top !== undefined) widest.push(top);
  }
  widest.sort((a, b) => b.values - a.values);
  const count = (list: MetricValues) => sum(list.filter((v) => (v as { metricName?: string }).metricName?.endsWith("_count")));
  return {
    series: parseMetricsText(text).length,
    evicted: sum(await values(METRIC.runsEvicted)),
    handlerErrors,
    labelOverflow: sum(await values(METRIC.labelOverflow)),
    widest,
    guardTrips: sum(await values(METRIC.guardTrips)),
    evalScores: count(await values(METRIC.evalScore)),
    evalErrors: sum(await values(METRIC.evalErrors)),
    evalDropped: sum(await values(METRIC.evalDropped)),
    feedback: sum(await values(METRIC.userFeedback)),
  };
}
