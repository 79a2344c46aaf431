import type { EvalReport, Interval } from "../types.js";

const score = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : "  -  ");
const interval = (i: Interval) => `${score(i.mean)}  [${score(i.low)}, ${score(i.high)}]  n=${i.n}`;
const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const usd = (n: number) => `$${n < 0.01 ? n.toFixed(6) : n.toFixed(4)}`;

/** The terminal summary of a report: scores per evaluator and per tag with intervals, cost, latency, failures. */
export function terminalSummary(report: EvalReport): string {
  const pct = Math.round(report.confidence * 100);
  const runs = report.cases.length * report.samples;
  const lines = [
    `${report.dataset} · prompt ${report.prompt.name}@${report.prompt.version} · ${report.cases.length} cases × ${report.samples} sample${report.samples === 1 ? "" : "s"} · ${ms(report.durationMs)}`,
    "",
    `score per evaluator (mean, ${pct}% bootstrap interval, cases)`,
  ];
  const evaluators = Object.keys(report.byEvaluator);
  const width = Math.max(10, ...evaluators.map((e) => e.length));
  for (const name of evaluators) lines.push(`  ${name.padEnd(width)}  ${interval(report.byEvaluator[name] as Interval)}`);
  const tags = Object.keys(report.byTag);
  if (tags.length > 0) {
    lines.push("", "per tag");
    for (const tag of tags) {
      lines.push(`  ${tag}`);
      for (const [name, i] of Object.entries(report.byTag[tag] ?? {})) lines.push(`    ${name.padEnd(width)}  ${interval(i)}`);
    }
  }
  const { totals } = report;
  lines.push(
    "",
    `cost ${usd(totals.costUsd)} total, ${usd(runs === 0 ? 0 : totals.costUsd / runs)} per sample · latency p50 ${ms(totals.latencyP50Ms)}, p95 ${ms(totals.latencyP95Ms)} · ${totals.errors} failed sample${totals.errors === 1 ? "" : "s"}`,
  );
  const failed = report.cases.flatMap((c) =>
    c.runs.filter((r) => r.error !== undefined).map((r) => `  ${c.case.id} (sample ${r.sample}): ${r.error}`),
  );
  if (failed.length > 0)
    lines.push("", "failed samples", ...failed.slice(0, 10), ...(failed.length > 10 ? [`  … and ${failed.length - 10} more`] : []));
  return lines.join("\n") + "\n";
}
