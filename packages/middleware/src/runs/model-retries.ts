import { serializedClass } from "../langchain/llm-payload.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { ATTR } from "../semconv.js";
import type { RunRecord } from "./run-record.js";

/**
 * Retries and fallbacks of model calls, as LangChain's callbacks show them. A failed model call is
 * remembered on its scope: the nearest LangChain `RunnableRetry` (`withRetry`) or
 * `RunnableWithFallbacks` (`withFallbacks`) run above it, else the LangGraph node, tool or agent
 * it runs in. The next model call that starts in that scope replaced it: a retry
 * (`agentwatch_model_retries_total`) under `withRetry`, a fallback
 * (`agentwatch_model_fallbacks_total`) under `withFallbacks`, and elsewhere (createAgent's
 * `modelRetryMiddleware` / `modelFallbackMiddleware`, a node that catches the error and calls
 * again) a retry when it calls the same provider and model, a fallback when another.
 *
 * `RunnableRetry` runs each attempt as a child run (tagged `retry:attempt:N` from the second on),
 * and each failed attempt ends with `handleLLMError`; `RunnableWithFallbacks` runs each runnable
 * in turn under one chain run. A failed call that nothing replaces (the last attempt) is not
 * counted: it fails its run like any error. When a `withRetry` gives up inside a `withFallbacks`,
 * its last failure passes to the outer scope, so the fallback is counted from it.
 *
 * Not seen: a chat model's own `maxRetries` (LangChain's AsyncCaller, p-retry inside one call,
 * or the provider SDK's retries) retries inside one model run and emits no callback; a LangGraph
 * node `retryPolicy` runs the whole node again (a new node run, its own scope). With
 * `awaitCallbacks: false` a failed call's end is queued while the next attempt's start arrives
 * through LangChain's synchronous hook, so the failure can come after its retry started: missed.
 */
export class ModelRetries {
  constructor(private readonly metrics: AgentWatchMetrics) {}

  /** A chain run started: marks LangChain's retry and fallback runnables as scopes. */
  chainStarted(run: RunRecord, serialized: unknown): void {
    const cls = serializedClass(serialized);
    if (cls === "RunnableRetry") run.wrapper = "retry";
    else if (cls === "RunnableWithFallbacks") run.wrapper = "fallbacks";
  }

  /** A model call started (its span open): counts the retry or fallback it makes of an earlier failed call of its scope. */
  llmStarted(run: RunRecord): void {
    const llm = run.llm;
    const scope = scopeOf(run.parent);
    const failed = scope?.failedCall;
    if (llm === undefined || scope === undefined || failed === undefined) return;
    scope.failedCall = undefined;
    const fallback =
      scope.wrapper === "fallbacks" || (scope.wrapper === undefined && (failed.provider !== llm.provider || failed.model !== llm.model));
    if (fallback) {
      run.span?.setAttribute(ATTR.fallbackFromModel, failed.model);
      this.metrics.operations.fallback({ agent: run.agent, fromModel: failed.model, toModel: llm.model, errorType: failed.errorType });
    } else {
      run.span?.setAttribute(ATTR.retryErrorType, failed.errorType);
      this.metrics.operations.retry({ agent: run.agent, provider: failed.provider, model: failed.model, errorType: failed.errorType });
    }
  }

  /** A model call failed (not cancelled, not control flow): remembered on its scope until a later call replaces it. */
  llmFailed(run: RunRecord, errorType: string): void {
    const llm = run.llm;
    const scope = scopeOf(run.parent);
    if (llm === undefined || scope === undefined) return;
    scope.failedCall = { provider: llm.provider, model: llm.model, errorType };
  }

  /** A chain run ended; a retry or fallback scope that failed with a call no one replaced passes it to its outer scope. */
  chainEnded(run: RunRecord, failed: boolean): void {
    const call = run.wrapper === undefined ? undefined : run.failedCall;
    if (call === undefined) return;
    run.failedCall = undefined;
    const outer = failed ? scopeOf(run.parent) : undefined;
    if (outer !== undefined && outer.failedCall === undefined) outer.failedCall = call;
  }
}

/** The scope a model call under `run` retries in: the nearest retry / fallback runnable, node, tool or agent (nested or root). */
function scopeOf(run: RunRecord | undefined): RunRecord | undefined {
  for (let r = run; r !== undefined; r = r.parent) {
    if (r.wrapper !== undefined || r.kind === "node" || r.kind === "tool" || r.kind === "nested" || r.kind === "agent") return r;
  }
  return undefined;
}
