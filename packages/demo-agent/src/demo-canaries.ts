// The demo's canaries: a few known-answer cases (eval/canaries.jsonl) asked of the demo's own graph
// in process, on the handler's registry (so /metrics serves agentwatch_canary_*), marked synthetic.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

import { CanaryProber, type EvalCase, loadDataset, type TargetFunction } from "@agentwatch/eval";
import { messageText } from "@agentwatch/fixtures";
import type { AgentWatchHandler } from "@agentwatch/middleware";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import { HumanMessage } from "@langchain/core/messages";

import type { RuntimeSnapshot } from "./support-runtime.js";

/** The demo's canary cases. */
export const CANARIES_FILE = fileURLToPath(new URL("../eval/canaries.jsonl", import.meta.url));

/** Default time between rounds of the demo's canaries, and before the first. */
export const DEFAULT_CANARY_INTERVAL_MS = 30_000;
export const DEFAULT_CANARY_FIRST_DELAY_MS = 2_000;

/** Canary settings of {@link createApp}. */
export interface DemoCanaryOptions {
  cases: readonly EvalCase[];
  intervalMs?: number;
  firstDelayMs?: number;
  /** The `agent` label. Default the demo's agent name. */
  agent?: string;
}

/** Reads the demo's canary cases. */
export async function loadDemoCanaries(path: string = CANARIES_FILE): Promise<EvalCase[]> {
  return (await loadDataset(path)).cases;
}

/** A started prober asking the graph the app serves (`current()`, so incidents apply) through `handler`. */
export function startDemoCanaries(
  handler: AgentWatchHandler,
  current: () => Pick<RuntimeSnapshot, "graph" | "recursionLimit">,
  agent: string,
  options: DemoCanaryOptions,
): CanaryProber {
  const target: TargetFunction = async (input, context) => {
    const { graph, recursionLimit } = current();
    const state = await graph.invoke(
      { messages: [new HumanMessage(input)] },
      {
        callbacks: context.callbacks as Callbacks,
        metadata: context.metadata,
        configurable: { thread_id: randomUUID() },
        recursionLimit,
        signal: context.signal,
      },
    );
    const last = state.messages.at(-1);
    return last === undefined ? "" : messageText(last);
  };
  return new CanaryProber({
    cases: options.cases,
    agent: options.agent ?? agent,
    registry: handler.registry,
    intervalMs: options.intervalMs ?? DEFAULT_CANARY_INTERVAL_MS,
    firstDelayMs: options.firstDelayMs ?? DEFAULT_CANARY_FIRST_DELAY_MS,
    target: { kind: "in-process", target, callbacks: [handler] },
  }).start();
}
