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

export { BadInputError } from "./bad-input-error.js";

// dataset/: JSONL golden datasets
export { DatasetError } from "./dataset/dataset-error.js";
export { loadDataset } from "./dataset/load-dataset.js";
export type { LoadDatasetOptions } from "./dataset/types.js";

// target/: the agent under test
export { loadTarget, prepareTarget } from "./target/load-target.js";
export { TargetError } from "./target/target-error.js";
export type { LoadedTarget, RunnableLike, Target, TargetContext, TargetFunction, TargetOptions, TargetResult } from "./target/types.js";

// evaluators/: built-ins and the interface
export { cosineSimilarity, embeddingSimilarityEvaluator } from "./evaluators/embedding-similarity.js";
export { exactMatchEvaluator } from "./evaluators/exact-match.js";
export { forbiddenContentEvaluator } from "./evaluators/forbidden-content.js";
export { groundednessEvaluator } from "./evaluators/groundedness.js";
export { llmJudgeEvaluator, type LlmJudgeOptions } from "./evaluators/llm-judge.js";
export { regexPatternsEvaluator } from "./evaluators/regex-patterns.js";
export { requiredFactsEvaluator } from "./evaluators/required-facts.js";
export { rougeL, rougeLEvaluator } from "./evaluators/rouge-l.js";
export { BUILTIN_EVALUATOR_NAMES, type BuiltinSettings, selectEvaluators } from "./evaluators/select.js";
export { toolTrajectoryEvaluator, trajectoryScore } from "./evaluators/tool-trajectory.js";
export type { CaseEvaluator, TrajectoryMode } from "./evaluators/types.js";

// runner/: running a target over a dataset
export { evaluate } from "./runner/evaluate.js";
export type { EvaluateOptions } from "./runner/types.js";

// stats/: bootstrap intervals
export { bootstrapInterval } from "./stats/bootstrap.js";
export { seededRandom } from "./stats/seeded-random.js";
export type { BootstrapOptions } from "./stats/types.js";

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

// cli/: the whole command line, for wrappers (the demo's `npm run eval`)
export { main as runEvalCli } from "./cli/main.js";

// canary/: known-answer probes on a schedule, marked synthetic.
export {
  type CanaryOptions,
  CanaryProber,
  type CanaryResult,
  type CanaryTarget,
  type HttpCanaryTarget,
  type InProcessCanaryTarget,
  MAX_CANARIES,
} from "./canary/index.js";
