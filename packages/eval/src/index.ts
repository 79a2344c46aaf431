// The public API of @agentwatch/eval, grouped by the folder that owns each part.

export type {
  Baseline,
  CaseResult,
  CaseRun,
  CaseScore,
  Dataset,
  DimensionVerdict,
  EvalCase,
  EvalReport,
  GateOptions,
  GateResult,
  Interval,
  PromptRef,
  Score,
} from "./types.js";
export { EXIT } from "./types.js";

// gate/: baselines and the comparison.
export {
  baselineFileName,
  BaselineError,
  baselineOf,
  baselinePath,
  baselineWritePath,
  compare,
  DEFAULT_GATE_OPTIONS,
  findBaseline,
  gateOptions,
  pairedDelta,
  parseBaseline,
  readBaseline,
  writeBaseline,
} from "./gate/index.js";

// reports/: JUnit, Markdown, JSON, Pushgateway.
export {
  type JsonReport,
  jsonReport,
  junitXml,
  markdownReport,
  offlineEvalGrouping,
  offlineEvalRegistry,
  pushResults,
} from "./reports/index.js";

// cli/: the gate and report flags of the `run` command.
export type { AfterReportIO } from "./cli/apply-gate-flags.js";
export { type GateFlags, GateFlagError, type GateFlagValues, parseGateFlags } from "./cli/gate-flags.js";
export { addGateOptions, afterReport, checkGateOptions } from "./cli/gate-options.js";
export { addFromTraceCommand, fromTrace } from "./cli/from-trace-command.js";

// traces/: production traces back into the dataset.
export {
  type Candidate,
  type CandidateCase,
  candidateCases,
  candidateLine,
  candidatesFromFiles,
  parseOtlpJson,
  TraceFormatError,
  type TraceSpan,
} from "./traces/index.js";
