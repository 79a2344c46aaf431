import type { CaseEvaluator } from "../evaluators/types.js";
import type { PromptRef } from "../types.js";

/** Options of {@link evaluate}; every one optional. */
export interface EvaluateOptions {
  /** Samples per case (pass@k over them). Default 1. */
  samples?: number;
  /** Samples run at the same time. Default 4. */
  concurrency?: number;
  /** The evaluators. Default: every built-in the target's options make possible, and the target's own. */
  evaluators?: CaseEvaluator[];
  /** Seed of the bootstrap resampling. Default 1. */
  seed?: number;
  /** Confidence level of the intervals. Default 0.95. */
  confidence?: number;
  /** Bootstrap resamples per interval. Default 2000. */
  resamples?: number;
  /** A sample taking longer is aborted (its signal fires) and fails. Default 120000 ms. */
  timeoutMs?: number;
  /** The prompt under test. Default: the target's `options.prompt`, else its file name. */
  prompt?: PromptRef;
  /** Show a progress bar (cli-progress on stderr). Default: only when stderr is a TTY. */
  progress?: boolean;
  /** Also export every span over OTLP/HTTP to this endpoint. Default: `OTEL_EXPORTER_OTLP_ENDPOINT` if set, else none. */
  otlpEndpoint?: string;
}
