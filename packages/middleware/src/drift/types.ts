import type { SharedStore } from "../state/types.js";

/**
 * What drift compares, one series of `agentwatch_drift_score{agent,signal}` each:
 * - `query_embedding`: the app's query vectors (`instrumentEmbeddings`, `embedQuery`), MMD² with an RBF kernel;
 * - `answer_length`, `output_tokens`: characters and output tokens of model answers, two-sample KS D;
 * - `finish_length`, `finish_content_filter`, `refusal`: the share of answers cut at the token limit,
 *   filtered, or refusing ("I can't help with that"), as the difference current − reference (two-proportion z-test).
 */
export type DriftSignal = "query_embedding" | "answer_length" | "output_tokens" | "finish_length" | "finish_content_filter" | "refusal";

/** One signal's reference window: what "normal" looked like. Numbers, vectors, or 0/1 flags. */
export type DriftReferenceValues = number[] | number[][];

/**
 * A committed baseline (JSON): per agent, per signal, the reference observations. Written by
 * {@link AgentWatchHandler.driftBaseline} from a period the team calls normal.
 */
export interface DriftBaseline {
  version: 1;
  agents: Record<string, Partial<Record<DriftSignal, DriftReferenceValues>>>;
}

/** Options of drift detection (`AgentWatchOptions.drift`). */
export interface DriftOptions {
  /** Observations in each current (and reference) window, per agent and signal. Default: 500. */
  windowSize?: number;
  /** Query vectors kept per window (MMD costs O(n²) per permutation). Default: 200. */
  embeddingWindowSize?: number;
  /** Share of `embedQuery` vectors kept (0..1]. Default: 1. */
  embeddingSampleRate?: number;
  /** Observations older than this leave the current window. Default: 3600000 (1 h). */
  maxAgeMs?: number;
  /** A current window needs this many observations before it is tested. Default: 50. */
  minSamples?: number;
  /** How often the tests run (never per callback). Default: 60000. */
  intervalMs?: number;
  /** Permutations of the MMD p-value. Default: 200. */
  permutations?: number;
  /** Seed of the permutation test (the same data gives the same p-value). Default: 1. */
  seed?: number;
  /**
   * Where references persist across restarts and replicas. Default: a `MemoryStore` (this process only).
   * Without a `baseline`, the first full current window of each signal becomes its reference, is
   * written here and read back after a restart; it is replaced when older than `referenceMaxAgeMs`.
   */
  store?: SharedStore;
  /** A committed baseline (object or the path of its JSON file): frozen references, never replaced. */
  baseline?: DriftBaseline | string;
  /** A learned reference is replaced by the next full window after this long. Default: 7 days. */
  referenceMaxAgeMs?: number;
  /** Longest wait for the store, per call; a slower or failing store is skipped and counted. Default: 250. */
  storeTimeoutMs?: number;
}

/** One signal's latest test: the statistic and its p-value. */
export interface DriftResult {
  agent: string;
  signal: DriftSignal;
  /** MMD², KS D, or the share difference. */
  score: number;
  pValue: number;
  currentSize: number;
  referenceSize: number;
}
