import { errorType, isCancellation, isLangGraphAbort } from "../langchain/error-info.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { OPERATION } from "../semconv.js";
import type { RunRecord } from "./run-record.js";

/**
 * Whether `error`, which ends `run`, cancelled it (runs/lifecycle.ts then ends it as cancelled,
 * not as an error; langchain/error-info.ts `isCancellation` says which errors are).
 *
 * LangGraph ends an aborted graph (its signal aborted, or the consumer stopped reading its
 * stream) with a plain `Error("Abort")`, whatever the signal's reason; the nodes that were running
 * ended just before with the reason itself (an `AbortError`, a `TimeoutError`, or whatever the
 * caller passed to `abort()`). So the graph's "Abort" is a cancellation unless the last node of the
 * run ended with an error that is not one: then the graph failed with that error's type (a
 * timeout stays a failure, and the whole tree says the same thing).
 */
export function cancellationOf(run: RunRecord, error: unknown): { cancelled: boolean; errorType: string } {
  if (isCancellation(error)) return { cancelled: true, errorType: "" };
  if (isLangGraphAbort(error)) {
    const cause = run.root.nodeErrorType;
    return cause === undefined ? { cancelled: true, errorType: "" } : { cancelled: false, errorType: cause };
  }
  return { cancelled: false, errorType: errorType(error) };
}

/** Notes how a LangGraph node ended (its error type, "" for success or cancellation), for {@link cancellationOf}. */
export function noteNodeEnd(run: RunRecord, errorTypeOfEnd: string): void {
  if (run.kind === "node") run.root.nodeErrorType = errorTypeOfEnd === "" ? undefined : errorTypeOfEnd;
}

/**
 * Counts a cancelled run in `agentwatch_cancellations_total`, once per invocation: only a root run
 * (an agent run, or a model, tool or retriever called on its own) is counted, so the counter's sum
 * is the number of cancelled invocations. Cancelled runs are in no duration histogram.
 */
export function countCancellation(metrics: AgentWatchMetrics, run: RunRecord): void {
  if (run.parent !== undefined) return;
  metrics.agents.cancelled({ agent: run.root.agent, operation: operationOf(run) });
}

function operationOf(run: RunRecord): string {
  if (run.kind === "llm") return run.llm?.operation ?? OPERATION.chat;
  if (run.kind === "tool") return OPERATION.executeTool;
  if (run.kind === "retriever") return OPERATION.retrieval;
  return OPERATION.invokeAgent;
}
