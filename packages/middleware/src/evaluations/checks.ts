import { safeJson } from "../content/capture.js";
import { clipText } from "../langchain/values.js";
import { fail } from "../util/validate.js";

/** `score` as a number from 0 to 1, or a clear error naming `field`. */
export function checkScore(field: string, score: unknown): number {
  if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
    fail(field, { problem: `must be a number from 0 to 1, got ${clipText(safeJson(score))}`, fix: "scale your score to 0..1" });
  }
  return score;
}

/** Fails unless `ref` names a run by token, run id or trace id. */
export function checkRef(where: string, ref: { token?: unknown; runId?: unknown; traceId?: unknown } | null | undefined): void {
  if (typeof ref !== "object" || ref === null)
    fail(where, { problem: `must be an object, got ${clipText(safeJson(ref))}`, fix: "pass { token | runId | traceId, score, ... }" });
  if (ref.token === undefined && ref.runId === undefined && ref.traceId === undefined)
    fail(`${where}.token / runId / traceId`, {
      problem: "are all missing",
      fix: "pass the run's feedback token (handler.feedbackToken), or its run id or trace id",
    });
}

/** Whether an evaluator's result carries a usable score. */
export function isScore(score: unknown): score is number {
  return typeof score === "number" && Number.isFinite(score) && score >= 0 && score <= 1;
}
