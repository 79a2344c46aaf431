// One canary check: ask the target one case's question (in process with synthetic run metadata, or
// over HTTP with the synthetic header), within the timeout, and judge the answer with the evaluators.

import { SYNTHETIC } from "@agentwatch/middleware";

import type { CaseEvaluator } from "../evaluators/types.js";
import { prepareTarget } from "../target/load-target.js";
import type { LoadedTarget, Target } from "../target/types.js";
import type { CaseRun, EvalCase, Score } from "../types.js";
import { askOverHttp } from "./http-target.js";
import type { CanaryResult, CanaryTarget } from "./types.js";

const isLoaded = (t: Target | LoadedTarget): t is LoadedTarget =>
  typeof (t as LoadedTarget).call === "function" && "kind" in t && "options" in t && "prompt" in t;

/** A function asking one question, aborted by the signal. */
export type Ask = (evalCase: EvalCase, signal: AbortSignal) => Promise<string>;

/** How the prober asks `target`. */
export function asker(target: CanaryTarget): Ask {
  if (target.kind === "http") return (c, signal) => askOverHttp(target, c.input, signal);
  const loaded = isLoaded(target.target) ? target.target : prepareTarget(target.target);
  const callbacks = target.callbacks ?? [];
  return async (c, signal) => {
    const metadata = { [SYNTHETIC.metadataKey]: true, canary: c.id } as unknown as Record<string, string | number>;
    return (await loaded.call(c.input, { callbacks: callbacks as never, metadata, signal })).answer;
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Rejects when the signal aborts, so a target that ignores its signal still ends the check. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

/** Runs one check: pass when every evaluator that applies passes, fail when one does not, error when there is no answer. */
export async function checkCase(
  ask: Ask,
  evalCase: EvalCase,
  evaluators: readonly CaseEvaluator[],
  timeoutMs: number,
): Promise<CanaryResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  const started = performance.now();
  let answer: string;
  try {
    answer = await Promise.race([ask(evalCase, controller.signal), aborted(controller.signal)]);
  } catch (error) {
    const reason = controller.signal.aborted ? message(controller.signal.reason) : message(error);
    return {
      canary: evalCase.id,
      outcome: "error",
      score: 0,
      answer: "",
      scores: [],
      error: reason,
      latencyMs: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = performance.now() - started;
  const run: CaseRun = {
    sample: 0,
    answer,
    toolCalls: [],
    documents: [],
    traceId: "",
    costUsd: 0,
    inputTokens: 0,
    outputTokens: 0,
    latencyMs,
  };
  const scores: Score[] = [];
  try {
    for (const evaluator of evaluators) {
      if (!evaluator.appliesTo(evalCase)) continue;
      const score = await evaluator.evaluate(evalCase, run);
      if (score !== undefined) scores.push(score);
    }
  } catch (error) {
    return { canary: evalCase.id, outcome: "error", score: 0, answer, scores, error: `evaluator failed: ${message(error)}`, latencyMs };
  }
  const score = scores.length === 0 ? 0 : scores.reduce((s, x) => s + x.score, 0) / scores.length;
  const outcome = scores.length > 0 && scores.every((s) => s.pass) ? "pass" : "fail";
  return { canary: evalCase.id, outcome, score, answer, scores, latencyMs };
}
