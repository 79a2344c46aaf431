import type { AgentWatchOptions, JudgeModel, JudgeRubric } from "@agentwatch/middleware";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import type { Embeddings } from "@langchain/core/embeddings";

import type { CaseEvaluator } from "../evaluators/types.js";
import type { PromptRef } from "../types.js";

/** What a target gets besides the input: pass `callbacks` on to every LangChain call so it is traced. */
export interface TargetContext {
  /** The agentwatch handler (and the runner's own collectors): give them to `invoke(input, { callbacks })`. */
  callbacks: Callbacks;
  /** Run metadata naming the dataset, case and sample; merge it into the invoke config's metadata. */
  metadata: Record<string, string | number>;
  /** Aborted when the sample's time is up. */
  signal: AbortSignal;
}

/** What a function target returns: the answer, or the answer with the documents it used. */
export type TargetResult = string | { answer: string; documents?: string[] };

/** A target written as a function of the user's message. */
export type TargetFunction = (input: string, context: TargetContext) => Promise<TargetResult> | TargetResult;

/** Anything with LangChain's `invoke(input, config)`: a compiled LangGraph graph, a chain, a chat model. */
export interface RunnableLike {
  invoke(input: unknown, config?: Record<string, unknown>): Promise<unknown>;
}

/** `export const target = ...` (or the default export) of a target module. */
export type Target = TargetFunction | RunnableLike;

/** `export const options = { ... }` of a target module; every field optional. */
export interface TargetOptions {
  /** The prompt (or model / config) under test; baselines are kept per name and version. Default: the module's file name, version "unversioned". */
  prompt?: PromptRef;
  /** Runnable targets: the input key of the messages. Default "messages": the input is `{ messages: [{ role: "user", content }] }`. */
  inputKey?: string;
  /** Runnable targets: build the input yourself (wins over `inputKey`). */
  input?: (text: string) => unknown;
  /** Runnable targets: the output key holding the messages. Default "messages" (the last AI message's text is the answer). */
  outputKey?: string;
  /** Runnable targets: read the answer (and documents) from the result yourself (wins over `outputKey`). */
  output?: (result: unknown) => TargetResult;
  /** Options of the AgentWatchHandler the runner attaches (prices, captureContent, ...); never tracerProvider or registry. */
  agentwatch?: Omit<AgentWatchOptions, "tracerProvider" | "registry">;
  /** For the `embedding_similarity` evaluator: any LangChain `Embeddings`. */
  embeddings?: Embeddings;
  /** For the `llm_judge` evaluator: any LangChain chat model, the rubric (default "relevance") and calls per sample (default 1). */
  judge?: { model: JudgeModel; rubric?: JudgeRubric; runs?: number };
  /** Your own evaluators, run next to the built-ins. */
  evaluators?: CaseEvaluator[];
}

/** A target module loaded and checked: call it with a case's input. */
export interface LoadedTarget {
  /** Where it was loaded from. */
  path: string;
  /** `"runnable"` or `"function"`. */
  kind: "runnable" | "function";
  options: TargetOptions;
  /** The prompt under test (from the options, or the default). */
  prompt: PromptRef;
  /** Runs the target on one input; the answer's text and the documents it reported. */
  call(input: string, context: TargetContext): Promise<{ answer: string; documents?: string[] }>;
}
