// The JUnit XML report: one <testcase> per case (classname = the dataset), a <failure> naming the
// evaluators the case failed with their explanations; the gate's verdict in the suite's properties.

import type { EvalReport, GateResult } from "../types.js";
import { caseFailure, describeFailure } from "./case-failures.js";
import { xmlEscape as esc } from "./xml.js";

export function junitXml(report: EvalReport, gate?: GateResult): string {
  const failures = report.cases.map(caseFailure);
  const failed = failures.filter((f) => f !== undefined).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="agentwatch-eval" tests="${report.cases.length}" failures="${failed}" errors="0" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${esc(report.dataset)}" tests="${report.cases.length}" failures="${failed}" errors="0" skipped="0" time="${seconds(report.durationMs)}" timestamp="${esc(report.startedAt)}">`,
    `    <properties>`,
    `      <property name="prompt" value="${esc(report.prompt.name)}"/>`,
    `      <property name="version" value="${esc(report.prompt.version)}"/>`,
    `      <property name="samples" value="${report.samples}"/>`,
  ];
  if (gate !== undefined) lines.push(`      <property name="gate" value="${gate.verdict}"/>`);
  lines.push(`    </properties>`);
  report.cases.forEach((result, i) => {
    const open = `    <testcase classname="${esc(report.dataset)}" name="${esc(result.case.id)}" time="${seconds(result.latencyMs)}"`;
    const failure = failures[i];
    if (failure === undefined) {
      lines.push(`${open}/>`);
      return;
    }
    const names = [...failure.evaluators.map((e) => e.evaluator), ...(failure.errors.length > 0 ? ["error"] : [])];
    lines.push(`${open}>`);
    lines.push(
      `      <failure message="${esc(`failed: ${names.join(", ")}`)}" type="evaluation">${esc(`${describeFailure(failure)}\ninput: ${result.case.input}`)}</failure>`,
    );
    lines.push(`    </testcase>`);
  });
  if (gate !== undefined) {
    const summary = gate.dimensions.map((d) => `${d.evaluator}: ${d.verdict} (${d.reason})`).join("\n");
    lines.push(`    <system-out>${esc(`gate ${gate.verdict}\n${summary}`)}</system-out>`);
  }
  lines.push(`  </testsuite>`, `</testsuites>`, "");
  return lines.join("\n");
}
