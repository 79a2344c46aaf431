// What the gate flags do once a report is there: the baseline (read or written), the gate, the
// report files, the push, the verdict on the terminal, and the exit code.

import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

import { baselineOf } from "../gate/baseline.js";
import { BaselineError } from "../gate/baseline-error.js";
import { readBaseline, writeBaseline } from "../gate/baseline-file.js";
import { baselineWritePath, findBaseline } from "../gate/baseline-path.js";
import { compare } from "../gate/compare.js";
import { jsonReport } from "../reports/json.js";
import { junitXml } from "../reports/junit.js";
import { markdownReport } from "../reports/markdown.js";
import { pushResults } from "../reports/pushgateway.js";
import type { Baseline, EvalReport, GateResult } from "../types.js";
import { EXIT } from "../types.js";
import type { GateFlags } from "./gate-flags.js";

export interface AfterReportIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

class BadInput extends Error {}

export async function applyGateFlags(report: EvalReport, flags: GateFlags, io: AfterReportIO): Promise<number> {
  try {
    const known = Object.keys(report.byEvaluator);
    for (const evaluator of Object.keys(flags.minimum)) {
      if (!known.includes(evaluator))
        throw new BadInput(`--min ${evaluator}=…: this run has no evaluator "${evaluator}" (it has ${known.join(", ") || "none"})`);
    }
    const baseline = await baselineFor(report, flags, io);
    const gate = compare(report, baseline, { maxDrop: flags.maxDrop, minimum: flags.minimum, confidence: report.confidence });
    await writeReports(report, gate, flags, io);
    if (flags.pushgateway !== undefined) {
      await pushResults(flags.pushgateway, report, gate).catch((error: Error) => {
        throw new BadInput(`--pushgateway: ${error.message}`);
      });
      io.out(`pushed the scores to ${flags.pushgateway}`);
    }
    printVerdict(gate, baseline, io);
    return gate.verdict === "pass" ? EXIT.pass : EXIT.gateFailed;
  } catch (error) {
    if (error instanceof BadInput || error instanceof BaselineError) {
      io.err(`agentwatch-eval: ${error.message}`);
      return EXIT.badInput;
    }
    throw error;
  }
}

/** The baseline to compare with, or undefined (minimums only) when writing one or none was asked for. */
async function baselineFor(report: EvalReport, flags: GateFlags, io: AfterReportIO): Promise<Baseline | undefined> {
  if (flags.baseline === undefined) return undefined;
  if (flags.writeBaseline) {
    const path = await baselineWritePath(flags.baseline, report.dataset, report.prompt);
    await writeBaseline(path, baselineOf(report));
    io.out(`wrote the baseline ${path} (commit it); only the minimums were checked`);
    return undefined;
  }
  const path = await findBaseline(flags.baseline, report.dataset, report.prompt);
  if (path === undefined) {
    throw new BadInput(
      `--baseline ${flags.baseline}: no baseline of dataset "${report.dataset}" and prompt "${report.prompt.name}" in this folder; create one with --write-baseline on the version in production`,
    );
  }
  const baseline = await readBaseline(path);
  if (baseline.dataset !== report.dataset) {
    throw new BadInput(
      `--baseline ${path} is of dataset "${baseline.dataset}", this run is of "${report.dataset}": give the baseline of the same dataset`,
    );
  }
  io.out(`comparing with ${path} (${baseline.prompt.name}@${baseline.prompt.version}, ${baseline.createdAt})`);
  return baseline;
}

async function writeReports(report: EvalReport, gate: GateResult, flags: GateFlags, io: AfterReportIO): Promise<void> {
  const files: Array<[string, string | undefined, () => string]> = [
    ["--junit", flags.junit, () => junitXml(report, gate)],
    ["--markdown", flags.markdown, () => markdownReport(report, gate)],
    ["--json", flags.json, () => jsonReport(report, gate)],
  ];
  for (const [flag, path, render] of files) {
    if (path === undefined) continue;
    try {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, render(), "utf8");
    } catch (error) {
      throw new BadInput(`${flag} ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    io.out(`wrote ${path}`);
  }
}

function printVerdict(gate: GateResult, baseline: Baseline | undefined, io: AfterReportIO): void {
  const against = baseline === undefined ? "no baseline" : `baseline ${baseline.prompt.name}@${baseline.prompt.version}`;
  io.out(`gate ${gate.verdict === "pass" ? "PASSED" : "FAILED"} (${against})`);
  for (const d of gate.dimensions) io.out(`  ${d.verdict === "pass" ? "pass" : "FAIL"} ${d.evaluator}: ${d.reason}`);
  if (gate.unpaired !== undefined && gate.unpaired.notInBaseline.length + gate.unpaired.notInReport.length > 0) {
    io.out(
      `  not compared: ${gate.unpaired.notInBaseline.length} case(s) not in the baseline, ${gate.unpaired.notInReport.length} baseline case(s) not in this run`,
    );
  }
  if (gate.verdict === "fail") {
    for (const w of gate.worstCases.slice(0, 5)) {
      io.out(
        `  worst: ${w.id} ${w.evaluator} ${w.baseline === undefined ? "" : `${w.baseline.toFixed(3)} → `}${w.current.toFixed(3)}${w.explanation === undefined ? "" : ` (${w.explanation})`}`,
      );
    }
  }
}
