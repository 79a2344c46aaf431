import type { Context, Span } from "@opentelemetry/api";

/** State shared by every run of one root run (one agent invocation). */
export interface RootState {
  agent: string;
  /** The context the root run was started in (e.g. an HTTP request span's); children derive from it. */
  baseContext: Context;
  llmCalls: number;
  toolCalls: number;
  interrupted: boolean;
}

/** What kind of step a run is. `chain` is plumbing shown only with `showAllRuns`; `hidden` is collapsed. */
export type RunKind = "agent" | "node" | "chain" | "hidden" | "llm" | "tool" | "retriever";

/** Labels of a model call's metrics. */
export interface LlmInfo {
  operation: string;
  provider: string;
  model: string;
  streamed: boolean;
  firstChunkMs?: number;
  lastChunkMs?: number;
}

/** One open LangChain run. */
export interface RunRecord {
  kind: RunKind;
  name: string;
  startMs: number;
  root: RootState;
  /** This run's span, or undefined for a collapsed run. */
  span: Span | undefined;
  /** The span children attach to: this run's own, or for a collapsed run its nearest kept ancestor's. */
  parentSpan: Span | undefined;
  /** The context that was active before this run's span was made active; restored when the run ends. */
  restore?: Context;
  /** LangGraph node and step this run belongs to (from metadata). */
  node?: string;
  step?: number;
  llm?: LlmInfo;
  dataSource?: string;
  provider?: string;
}
