export { CanaryProber } from "./canary-prober.js";
export { MAX_CANARIES } from "./canary-options.js";
export type { CanaryOptions, CanaryResult, CanaryTarget, HttpCanaryTarget, InProcessCanaryTarget } from "./types.js";
