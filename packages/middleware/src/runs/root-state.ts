import { EVALUATOR_AGENT } from "../evaluations/evaluator-agent.js";
import { type Dict, text } from "../langchain/values.js";
import { startingContext } from "./context-activation.js";
import type { RootState } from "./run-record.js";

/** What the state of a root run is made from. */
export interface RootSettings {
  /** The handler's `agentName` option, which wins over metadata. */
  agentName: string | undefined;
  /** Run-metadata keys that label cost besides `feature`. */
  attributionLabels: readonly string[];
}

/**
 * The conversation a run belongs to, from its metadata: LangGraph copies `configurable.thread_id`
 * into every run's metadata; `conversation_id` is for apps that name it themselves.
 */
export function conversationOf(md: Dict): string | undefined {
  return text(md.thread_id) ?? text(md.conversation_id);
}

/**
 * The state shared by every run of one invocation: made when a root run starts (an agent, or a
 * model, tool or retriever called on its own), in the context active where it starts.
 */
export function newRootState(id: string, md: Dict, settings: RootSettings, rootName?: string): RootState {
  // An evaluator's own model calls are counted apart from the app's traffic.
  const evaluation = md.agentwatch_evaluation === true;
  const attribution: Record<string, string> = { feature: evaluation ? "evaluation" : (text(md.feature) ?? "") };
  for (const label of settings.attributionLabels) attribution[label] = text(md[label]) ?? "";
  return {
    id,
    span: undefined,
    agent: evaluation ? EVALUATOR_AGENT : (settings.agentName ?? text(md.agent_name) ?? rootName ?? ""),
    flagged: false,
    attribution,
    baseContext: startingContext(),
    llmCalls: 0,
    toolCalls: 0,
    costUsd: 0,
    tokens: 0,
    toolCallCounts: new Map(),
    trips: new Set(),
    interrupted: false,
    nodeErrorType: undefined,
    conversationId: conversationOf(md),
    synthetic: md.agentwatch_synthetic === true,
    // Set later on some runs; present from the start so every root state has one shape.
    question: undefined,
    documents: undefined,
    prompt: undefined,
    abort: undefined,
    provider: undefined,
    toolDescriptions: undefined,
  };
}
