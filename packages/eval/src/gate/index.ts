// The baseline and the gate: what a run is compared with, and the verdict.

export { baselineOf } from "./baseline.js";
export { BaselineError } from "./baseline-error.js";
export { parseBaseline, readBaseline, writeBaseline } from "./baseline-file.js";
export { baselineFileName, baselinePath, baselineWritePath, findBaseline } from "./baseline-path.js";
export { compare } from "./compare.js";
export { DEFAULT_GATE_OPTIONS, gateOptions } from "./gate-options.js";
export { pairedDelta } from "./paired-delta.js";
