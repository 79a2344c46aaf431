// The Markdown report, for a pull-request comment: the verdict, the score table against the
// baseline, scores by tag, the worst cases with their input and explanation, cost and latency.

import type { DimensionVerdict, EvalReport, GateResult } from "../types.js";

export function markdownReport(report: EvalReport, gate?: GateResult): string {
  const out: string[] = [];
  const title = `${report.dataset} · ${report.prompt.name}@${report.prompt.version}`;
  if (gate === undefined) out.push(`## Offline evaluation: ${title}`, "", "No gate: scores only.");
  else {
    const failed = gate.dimensions.filter((d) => d.verdict === "fail").map((d) => d.evaluator);
    out.push(
      `## ${gate.verdict === "pass" ? "✅ Gate passed" : "❌ Gate failed"}: ${title}`,
      "",
      gate.verdict === "pass"
        ? "No score dropped beyond the noise and the allowed drop, and every minimum holds."
        : `Failed: ${failed.map(code).join(", ")}.`,
    );
  }
  out.push(
    "",
    `${report.cases.length} cases, ${report.samples} sample${report.samples === 1 ? "" : "s"} each, intervals at ${pct(report.confidence, 0)} confidence.`,
  );
  if (gate?.unpaired !== undefined && (gate.unpaired.notInBaseline.length > 0 || gate.unpaired.notInReport.length > 0)) {
    out.push(
      "",
      `Not compared: ${gate.unpaired.notInBaseline.length} case(s) not in the baseline${list(gate.unpaired.notInBaseline)}, ${gate.unpaired.notInReport.length} baseline case(s) not in this run${list(gate.unpaired.notInReport)}.`,
    );
  }

  out.push("", "| evaluator | baseline | current | Δ (interval) | verdict |", "| --- | ---: | ---: | --- | --- |");
  const dims: DimensionVerdict[] =
    gate?.dimensions ??
    Object.entries(report.byEvaluator).map(([evaluator, i]) => ({
      evaluator,
      baseline: undefined,
      current: i.mean,
      delta: undefined,
      relativeDrop: 0,
      verdict: "pass",
      reason: "",
    }));
  for (const d of dims) {
    const interval = report.byEvaluator[d.evaluator];
    const current = interval === undefined ? num(d.current) : `${num(d.current)} [${num(interval.low)}, ${num(interval.high)}]`;
    const delta = d.delta === undefined ? "–" : `${signed(d.delta.mean)} [${signed(d.delta.low)}, ${signed(d.delta.high)}]`;
    const verdict = gate === undefined ? "–" : `${d.verdict === "pass" ? "✅" : "❌"} ${cell(d.reason)}`;
    out.push(`| ${code(d.evaluator)} | ${d.baseline === undefined ? "–" : num(d.baseline)} | ${current} | ${delta} | ${verdict} |`);
  }

  const tags = Object.keys(report.byTag).sort();
  if (tags.length > 0) {
    const evaluators = Object.keys(report.byEvaluator).sort();
    out.push(
      "",
      "### By tag",
      "",
      `| tag | cases | ${evaluators.map(code).join(" | ")} |`,
      `| --- | ---: | ${evaluators.map(() => "---:").join(" | ")} |`,
    );
    for (const tag of tags) {
      const row = report.byTag[tag] ?? {};
      const n = Math.max(0, ...Object.values(row).map((i) => i.n));
      out.push(`| ${cell(tag)} | ${n} | ${evaluators.map((e) => (row[e] === undefined ? "–" : num(row[e].mean))).join(" | ")} |`);
    }
  }

  if (gate !== undefined && gate.worstCases.length > 0) {
    const inputs = new Map(report.cases.map((c) => [c.case.id, c.case.input]));
    out.push(
      "",
      "### Worst cases",
      "",
      "| case | evaluator | baseline | current | input | explanation |",
      "| --- | --- | ---: | ---: | --- | --- |",
    );
    for (const w of gate.worstCases) {
      out.push(
        `| ${code(w.id)} | ${code(w.evaluator)} | ${w.baseline === undefined ? "–" : num(w.baseline)} | ${num(w.current)} | ${cell(short(inputs.get(w.id) ?? ""))} | ${cell(w.explanation ?? "")} |`,
      );
    }
  }

  const t = report.totals;
  out.push(
    "",
    "### Cost and latency",
    "",
    `Cost ${usd(t.costUsd)} in all (${usd(t.costUsd / Math.max(1, report.cases.length))} a case); latency p50 ${ms(t.latencyP50Ms)}, p95 ${ms(t.latencyP95Ms)}; ${t.errors} target error${t.errors === 1 ? "" : "s"}; run took ${ms(report.durationMs)}.`,
    "",
  );
  return out.join("\n");
}

function num(x: number): string {
  return x.toFixed(3);
}
function signed(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`;
}
function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)} %`;
}
function usd(x: number): string {
  return `$${x.toFixed(4)}`;
}
function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
}
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
/** Text safe in a table cell: no pipes, no line breaks, no HTML. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
function short(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
function list(ids: string[]): string {
  if (ids.length === 0) return "";
  const shown = ids.slice(0, 5).map(code).join(", ");
  return ` (${shown}${ids.length > 5 ? ", …" : ""})`;
}
