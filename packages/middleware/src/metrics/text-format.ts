import { escapeHelp, escapeLabelValue, renderTextDialect } from "./exposition.js";
import type { MetricsRegistry } from "./types.js";

/** The content type of the Prometheus text format 0.0.4. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Sample = Awaited<ReturnType<MetricsRegistry["getMetricsAsJSON"]>>[number]["values"][number] & { metricName?: string };

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function formatLabels(labels: Sample["labels"]): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (value !== undefined) parts.push(`${name}="${escapeLabelValue(String(value))}"`);
  }
  return parts.length > 0 ? `{${parts.join(",")}}` : "";
}

/** The text format written from `getMetricsAsJSON()`, for a registry that is not a stock prom-client one. */
async function renderFromJson(registry: MetricsRegistry): Promise<string> {
  const families: string[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    const type = String(metric.type);
    // prom-client strips `_total` off a counter's name when it renders OpenMetrics; put it back.
    const name = type === "counter" ? `${metric.name.replace(/_total$/, "")}_total` : metric.name;
    const lines = [`# HELP ${name} ${escapeHelp(metric.help)}`, `# TYPE ${name} ${type}`];
    for (const sample of metric.values as Sample[]) {
      const sampleName = type === "counter" ? name : (sample.metricName ?? name);
      lines.push(`${sampleName}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
    families.push(lines.join("\n"));
  }
  return families.length > 0 ? `${families.join("\n\n")}\n` : "";
}

/**
 * Renders every metric of `registry` in the Prometheus text format 0.0.4, whatever content type
 * the registry itself serves, so an OpenMetrics registry can answer text-format scrapes too. It
 * writes what the registry's `getMetricsAsJSON` gives (default labels included) and leaves the
 * registry's content type alone, so scrapes of either format may run at the same time. A stock
 * prom-client registry is written by the fast path of `exposition.ts`, byte for byte the same.
 *
 * The series are those the registry's OpenMetrics exposition gives: a counter's samples end in
 * `_total` (its family is named so too, as the text format wants) and exemplars are left out.
 */
export async function renderPrometheusText(registry: MetricsRegistry): Promise<string> {
  return (await prometheusTextPieces(registry)).join("");
}

/** {@link renderPrometheusText}'s body as pieces to be joined (what `metricsHandler` encodes). */
export async function prometheusTextPieces(registry: MetricsRegistry): Promise<string[]> {
  return (await renderTextDialect(registry)) ?? [await renderFromJson(registry)];
}
