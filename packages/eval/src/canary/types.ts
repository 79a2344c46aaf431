import type { MetricsRegistry } from "@agentwatch/middleware";

import type { CaseEvaluator } from "../evaluators/types.js";
import type { LoadedTarget, Target } from "../target/types.js";
import type { EvalCase, Score } from "../types.js";

/** Probe the agent in process: an eval target (a runnable or a function), called with synthetic run metadata. */
export interface InProcessCanaryTarget {
  kind: "in-process";
  target: Target | LoadedTarget;
  /** Callbacks for every call (your AgentWatchHandler, so canary runs are traced and marked synthetic). Default none. */
  callbacks?: unknown[];
}

/** Probe the agent over HTTP: POST `url` with a JSON body naming the question, read the answer from the JSON reply. */
export interface HttpCanaryTarget {
  kind: "http";
  url: string;
  /** The body field holding the question. Default "message". */
  questionField?: string;
  /** The reply field holding the answer, dotted for nested fields ("data.answer"). Default "answer". */
  answerField?: string;
  /** Other body fields sent with every request. */
  body?: Record<string, unknown>;
  /** Other headers (e.g. authorization). `x-agentwatch-synthetic: 1` is always sent. */
  headers?: Record<string, string>;
}

export type CanaryTarget = InProcessCanaryTarget | HttpCanaryTarget;

/** Options of {@link CanaryProber}. */
export interface CanaryOptions {
  /** The canary cases (the eval dataset format); each needs `facts`, `patterns` or `forbidden`. At most 20: `canary` is a label. */
  cases: readonly EvalCase[];
  target: CanaryTarget;
  /** The agent probed: the `agent` label of every canary metric. */
  agent: string;
  /** Where the canary metrics go (the app's registry, served on its /metrics). Never the global one. */
  registry: MetricsRegistry;
  /** Time between the end of one round of checks and the start of the next, ms. Default 60 000. */
  intervalMs?: number;
  /** Up to this much random time is added to each wait, ms (replicas do not probe in step). Default 10 % of the interval. */
  jitterMs?: number;
  /** Wait before the first round, ms. Default 5 000. */
  firstDelayMs?: number;
  /** A check not answered in this time is an error, ms. Default 30 000. */
  timeoutMs?: number;
  /** The evaluators. Default `facts`, `patterns` and `forbidden` (the ones that apply to each case). */
  evaluators?: readonly CaseEvaluator[];
  /** Called after each check (e.g. to log). Errors it throws are ignored. */
  onCheck?: (result: CanaryResult) => void;
  /** Random source of the jitter (0..1). Default Math.random. */
  random?: () => number;
}

/** The result of one check of one case. */
export interface CanaryResult {
  canary: string;
  outcome: "pass" | "fail" | "error";
  /** Mean of the evaluators' scores, 0..1; 0 on error. */
  score: number;
  answer: string;
  scores: Score[];
  /** The error (target threw, timed out, bad HTTP reply), for outcome "error". */
  error?: string;
  latencyMs: number;
}
