// The JSON report: the whole EvalReport and, when gated, the GateResult.

import type { EvalReport, GateResult } from "../types.js";

export interface JsonReport {
  report: EvalReport;
  gate?: GateResult;
}

export function jsonReport(report: EvalReport, gate?: GateResult): string {
  const value: JsonReport = gate === undefined ? { report } : { report, gate };
  return `${JSON.stringify(value, null, 2)}\n`;
}
