import type { SoakCheck } from "./checks.js";
import type { SoakProgress, SoakReport } from "./run-soak.js";

const MIB = 2 ** 20;
const COLUMNS = ["time", "invocations", "runs", "abandoned", "failed", "open runs", "bound", "max open", "evicted", "open spans", "heap"];
const WIDTHS = [7, 12, 10, 10, 7, 10, 7, 9, 9, 11, 9];

const row = (cells: string[]) => cells.map((c, i) => c.padStart(WIDTHS[i] ?? 8)).join(" ");

/** The progress table's header. */
export function progressHeader(): string {
  return row(COLUMNS);
}

/** One progress line. */
export function progressRow(p: SoakProgress): string {
  return row([
    `${Math.round(p.elapsedMs / 1000)}s`,
    String(p.invocations),
    String(p.runs),
    String(p.abandoned),
    String(p.failed),
    String(p.openRuns),
    String(p.bound),
    String(p.maxOpenRuns),
    String(p.evicted),
    String(p.spansOpen),
    `${Math.round(p.heapUsedBytes / MIB)}M`,
  ]);
}

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");

/** The summary and verdict printed at the end. */
export function summary(report: SoakReport, checks: SoakCheck[]): string {
  const lines: string[] = [];
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  lines.push("");
  lines.push(
    report.stoppedAtTimeBound
      ? `stopped at the ${report.options.seconds} s time bound after ${report.invocations} of ${report.options.invocations} invocations (${seconds} s in all, waits included)`
      : `${report.invocations} invocations in ${seconds} s (waits included)`,
  );
  lines.push(
    `LangChain runs: ${report.runs} (${(report.runs / Math.max(1, report.invocations)).toFixed(1)} per invocation; the LLM judge's calls not counted)`,
  );
  lines.push(
    `outcomes: ${report.outcomes.completed} completed, ${report.outcomes.failed} failed (${list(report.failures) || "-"}), ` +
      `${report.outcomes.abandoned} abandoned (${report.stalled} of them hung), ${report.outcomes.unexpected} unexpected`,
  );
  lines.push(`variants: ${list(report.variants)}`);
  lines.push(
    `spans: ${report.spans.started} started, ${report.spans.ended} ended, ${report.spans.evicted} by eviction; ` +
      `LangChain runs never ended in settled invocations (aborted starts): ${report.evictions.leftAtSettle.failing + report.evictions.leftAtSettle.normal}`,
  );
  lines.push(
    `evaluation: ${report.metrics.evalScores} scores, ${report.metrics.evalErrors} evaluator errors, ${report.metrics.evalDropped} dropped; ` +
      `guard trips ${report.metrics.guardTrips}; feedback ${report.metrics.feedback}; longest process stall ${Math.round(report.stallMs)} ms`,
  );
  if (report.heap.length > 0) {
    lines.push(
      `heap after GC (no run open): ${report.heap.map((h) => `${(h.bytes / MIB).toFixed(1)} MiB after ${h.invocations} invocations (${h.series} series)`).join(", ")}`,
    );
  }
  lines.push("");
  for (const c of checks) lines.push(`${c.ok ? "PASS" : "FAIL"}  ${c.name}: ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  lines.push("");
  lines.push(failed === 0 ? "soak passed" : `soak FAILED: ${failed} of ${checks.length} checks`);
  return lines.join("\n");
}
