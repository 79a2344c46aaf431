/**
 * The start of a run as agentwatch sees it: one typed object per run kind, built from LangChain's
 * positional callback arguments in one place (langchain/callback-args.ts). Payload fields stay
 * `unknown`: LangChain and the code around it are not always well-behaved, and every reader
 * checks what it reads.
 */
export interface RunStart {
  runId: unknown;
  parentRunId: unknown;
  metadata: unknown;
  /**
   * Whether the run's span may be made active in the current async execution: true in
   * LangChain's synchronous start hooks (which run inside the run's own execution), false in the
   * queued async callbacks (which do not).
   */
  activate: boolean;
}

/** A chain, LangGraph graph or node, prompt template, lambda... started. */
export interface ChainStart extends RunStart {
  serialized: unknown;
  inputs: unknown;
  tags: unknown;
  runType: unknown;
  runName: unknown;
}

/** A chat model (`operation` chat, `input` the messages) or a completion model (text_completion, the prompts) started. */
export interface LlmStart extends RunStart {
  operation: string;
  serialized: unknown;
  input: unknown;
  extraParams: unknown;
}

/** A tool started. */
export interface ToolStart extends RunStart {
  serialized: unknown;
  input: unknown;
  runName: unknown;
  toolCallId: unknown;
}

/** A retriever started. */
export interface RetrieverStart extends RunStart {
  serialized: unknown;
  query: unknown;
  runName: unknown;
}
