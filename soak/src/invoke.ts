import type { AgentWatchHandler } from "@agentwatch/middleware";
import { HumanMessage } from "@langchain/core/messages";

import type { InvocationPlan } from "./fleet.js";
import type { RunLedger } from "./run-ledger.js";

/** How one invocation went. `unexpected` means it did not do what its plan said (a normal one failed, say). */
export interface InvocationResult {
  outcome: "completed" | "failed" | "abandoned" | "unexpected";
  /** The error's name, for a failed or unexpected invocation (a bounded key for tallies). */
  error?: string;
  /** What went wrong, for an unexpected one. */
  detail?: string;
  /** For a plan with feedback: whether the answer had a feedback token and `recordFeedback` accepted it. */
  feedbackFound?: boolean;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error));

/**
 * Runs one planned invocation of the demo agent with the handler and the run ledger as callbacks:
 * a normal one is invoked and may get feedback, a failing one must reject, and an abandoned one is
 * streamed, read for a chunk or two, and dropped without `return()`, as a client that goes away.
 */
export async function runInvocation(plan: InvocationPlan, handler: AgentWatchHandler, ledger: RunLedger): Promise<InvocationResult> {
  const { graph, recursionLimit } = plan.variant.runtime.current();
  const kind = plan.variant.kind;
  const input = { messages: [new HumanMessage(plan.question)] };
  const config = {
    callbacks: [handler, ledger],
    runId: plan.runId,
    recursionLimit,
    metadata: plan.metadata,
    configurable: { thread_id: plan.threadId },
  };
  ledger.expect(plan.runId, kind);

  const abandon = plan.variant.abandon;
  if (abandon !== undefined) {
    const stream = await graph.stream(input, { ...config, streamMode: ["updates", "messages"] });
    const iterator = stream[Symbol.asyncIterator]();
    for (let i = 0; i < abandon.chunks; i++) {
      if ((await iterator.next()).done === true) break;
    }
    // Dropped here: no return(), no cancel, no abort signal.
    return { outcome: "abandoned" };
  }

  try {
    await graph.invoke(input, config);
  } catch (error) {
    return { outcome: kind === "failing" ? "failed" : "unexpected", error: errorName(error), detail: errorText(error) };
  } finally {
    ledger.settled(plan.runId);
  }
  if (kind === "failing") return { outcome: "unexpected", detail: "a failing invocation completed" };
  if (plan.feedback === undefined) return { outcome: "completed" };
  // The answer's feedback token, taken as an app takes it for its client: recording by token needs
  // no memory of the run, so a run forgotten meanwhile (recentRuns, TTL sweeps) still gets it.
  const token = handler.feedbackToken({ runId: plan.runId });
  const feedbackFound = token !== undefined && handler.recordFeedback({ token, ...plan.feedback });
  return { outcome: "completed", feedbackFound };
}
