import type { Context, Span } from "@opentelemetry/api";

import type { AgentBudgetExceededError } from "../cost/budget-exceeded-error.js";
import type { AgentSpendLimitExceededError } from "../cost/spend-limit-error.js";
import type { GuardName, SpendLimitName } from "../cost/types.js";
import type { PromptInfo } from "../langchain/prompt-provenance.js";

/** State shared by every run of one root run (one agent invocation). */
export interface RootState {
  /** The root run's id (for guard errors). */
  id: string;
  /** The root run's span, where guard trips are recorded; undefined for a standalone model or tool call. */
  span: Span | undefined;
  agent: string;
  /** Cost attribution from run metadata: `feature`, and `tenant` / `tier` when opted in. */
  attribution: Record<string, string>;
  costUsd: number;
  tokens: number;
  /** Calls so far by hash of (tool, arguments), for the loop signal and guard. */
  toolCallCounts: Map<number, number>;
  /** Guards and spend limits already tripped in this run (each trips once). */
  trips: Set<GuardName | SpendLimitName>;
  /** Run metadata `user_id` and `tenant_id`: whose spend windows the run's model calls count in. */
  userId: string | undefined;
  tenantId: string | undefined;
  /** With online evaluation on: the run's question and retrieved documents (truncated), for its sample. */
  question?: string;
  documents?: string[];
  /** Whether a guardrail flagged or blocked something in this run. */
  flagged: boolean;
  /** Synthetic traffic (run metadata `agentwatch_synthetic: true`, e.g. a canary probe): kept out of feedback, online evaluation and outcomes. */
  synthetic: boolean;
  /** `gen_ai.conversation.id` from the root's metadata (LangGraph `thread_id`, else `conversation_id`). */
  conversationId: string | undefined;
  /** `gen_ai.provider.name` of the run's first model call, for the `invoke_agent` span. */
  provider: string | undefined;
  /** Descriptions of the tools the run's model calls were given, by tool name (bounded), for `execute_tool` spans. */
  toolDescriptions: Map<string, string> | undefined;
  /** The prompt of the run's latest model call, for the root span. */
  prompt?: PromptInfo;
  /** Set when a guard or spend limit with action "abort" tripped: the next model or tool call fails with it. */
  abort?: AgentBudgetExceededError | AgentSpendLimitExceededError;
  /** The context the root run was started in (e.g. an HTTP request span's); children derive from it. */
  baseContext: Context;
  llmCalls: number;
  toolCalls: number;
  interrupted: boolean;
  /** The error type of the last LangGraph node that ended with an error (runs/cancellation.ts). */
  nodeErrorType?: string | undefined;
}

/**
 * What kind of step a run is. `chain` is plumbing shown only with `showAllRuns`; `hidden` is
 * collapsed; `nested` is an agent run inside another (see runs/nested-agents.ts).
 */
export type RunKind = "agent" | "nested" | "node" | "chain" | "hidden" | "llm" | "tool" | "retriever";

/** A nested agent (a compiled graph run inside another's node): every run under it is labelled with its name. */
export interface NestedAgent {
  /** `gen_ai.agent.name` of its span and the agent label of the metrics of every run under it. */
  name: string;
  /** The agent it runs in (the root's, or an outer nested agent's). */
  parentAgent: string;
  /** Its `invoke_agent` span. */
  span: Span | undefined;
  /** `gen_ai.provider.name` of its first model call. */
  provider: string | undefined;
}

/** Labels of a model call's metrics. */
export interface LlmInfo {
  operation: string;
  provider: string;
  model: string;
  firstChunkMs?: number;
  lastChunkMs?: number;
  /** Prompt name, version and template hash of this call. */
  promptInfo: PromptInfo;
  /** The prompt, kept by reference until the call ends, to estimate tokens if the provider reports none. */
  prompt: unknown;
}

/** The LangChain runnables that call a model again after a failure: `withRetry` and `withFallbacks`. */
export type ModelCallWrapper = "retry" | "fallbacks";

/** A model call that failed, remembered until another call of its scope replaces it. */
export interface FailedModelCall {
  provider: string;
  model: string;
  errorType: string;
}

/** What a run of some kinds carries besides the common fields. */
export interface RunDetails {
  /** LangGraph node and step this run belongs to (from metadata). */
  node?: string | undefined;
  step?: number | undefined;
  llm?: LlmInfo | undefined;
  dataSource?: string | undefined;
  provider?: string | undefined;
  /** Set on a nested agent's own run; other runs inherit their parent's. */
  nested?: NestedAgent | undefined;
}

/**
 * One open LangChain run. A class, so every record has one shape: the hot paths that read
 * records stay monomorphic, which is measurably faster than object literals of varying fields.
 */
export class RunRecord {
  /** A prompt template that ran directly under this run, for the model call that follows it. */
  prompt: PromptInfo | undefined = undefined;
  /** USD of the model calls under this run (including its own, for a model call). */
  costUsd = 0;
  /** The context that was active before this run's span was made active; restored when the run ends. */
  restore: Context | undefined = undefined;
  /** The context children start in: `parentSpan` over the root's base context; made on first use. */
  childContext: Context | undefined = undefined;
  /** A LangChain `RunnableRetry` or `RunnableWithFallbacks` run: the scope its model calls retry or fall back in (runs/model-retries.ts). */
  wrapper: ModelCallWrapper | undefined = undefined;
  /** As a retry scope: its latest failed model call that no later call replaced yet (runs/model-retries.ts). */
  failedCall: FailedModelCall | undefined = undefined;
  readonly node: string | undefined;
  readonly step: number | undefined;
  readonly llm: LlmInfo | undefined;
  readonly dataSource: string | undefined;
  readonly provider: string | undefined;
  /** The innermost nested agent this run belongs to; undefined when it belongs to the root agent. */
  readonly nested: NestedAgent | undefined;

  constructor(
    readonly kind: RunKind,
    readonly name: string,
    readonly startMs: number,
    readonly root: RootState,
    /** This run's span, or undefined for a collapsed run. */
    readonly span: Span | undefined,
    /** The span children attach to: this run's own, or for a collapsed run its nearest kept ancestor's. */
    readonly parentSpan: Span | undefined,
    /** The parent run's record (kept or collapsed), for rolling cost up. */
    readonly parent: RunRecord | undefined,
    details: RunDetails,
  ) {
    this.node = details.node;
    this.step = details.step;
    this.llm = details.llm;
    this.dataSource = details.dataSource;
    this.provider = details.provider;
    this.nested = details.nested ?? parent?.nested;
  }

  /** The agent this run belongs to: its innermost nested agent, else the root's. The agent label of its metrics. */
  get agent(): string {
    return this.nested?.name ?? this.root.agent;
  }
}
