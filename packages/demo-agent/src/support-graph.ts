import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatPromptTemplate } from "@langchain/core/prompts";
import type { BaseRetriever } from "@langchain/core/retrievers";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { END, type LangGraphRunnableConfig, START, StateGraph } from "@langchain/langgraph";
import { ToolNode, toolsCondition } from "@langchain/langgraph/prebuilt";
import { RetrieverTimeoutError } from "./errors.js";
import { KeywordRetriever } from "./keyword-retriever.js";
import { lastHumanText } from "./message-text.js";
import { ScriptedChatModel } from "./scripted-chat-model.js";
import { formatContext, supportPrompt, supportPromptMetadata } from "./support-prompt.js";
import { SupportState, type SupportStateValue } from "./support-state.js";
import { supportTools } from "./tools.js";

/** Options of {@link createSupportGraph}. */
export interface SupportGraphOptions {
  /** The chat model; must support `bindTools`. Default: a new {@link ScriptedChatModel}. */
  model?: BaseChatModel;
  /** Tools the agent may call. Default: {@link supportTools}. */
  tools?: StructuredToolInterface[];
  /** Default: a new {@link KeywordRetriever}. */
  retriever?: BaseRetriever;
  /** Make this node throw: "retrieve" throws a `RetrieverTimeoutError` ("vector store timeout"). */
  failNode?: "retrieve" | undefined;
  /** The compiled graph's name (the root run's name). Default "acme-support". */
  name?: string;
  /** The agent's prompt; it gets `context` and `messages`. Default: {@link supportPrompt}. */
  prompt?: ChatPromptTemplate;
  /** `prompt_name` / `prompt_version` run metadata of the prompt. Default: {@link supportPromptMetadata}. */
  promptMetadata?: { prompt_name: string; prompt_version: string };
}

/**
 * The Acme support agent: `retrieve` (knowledge-base lookup) → `agent` (prompt + model with
 * tools) ⇄ `tools` (a prebuilt `ToolNode`), ending when the model answers without tool calls.
 */
export function createSupportGraph(options: SupportGraphOptions = {}) {
  const model = options.model ?? new ScriptedChatModel();
  const tools = options.tools ?? supportTools;
  const retriever = options.retriever ?? new KeywordRetriever();
  if (typeof model.bindTools !== "function") throw new TypeError("createSupportGraph: the model must implement bindTools()");
  const prompt = options.prompt ?? supportPrompt;
  const chain = prompt.pipe(model.bindTools(tools)).withConfig({ metadata: { ...(options.promptMetadata ?? supportPromptMetadata) } });

  const retrieve = async (state: SupportStateValue, config: LangGraphRunnableConfig) => {
    if (options.failNode === "retrieve") throw new RetrieverTimeoutError();
    const docs = await retriever.invoke(lastHumanText(state.messages), config);
    return { docs };
  };

  const agent = async (state: SupportStateValue, config: LangGraphRunnableConfig) => {
    const message = await chain.invoke({ context: formatContext(state.docs), messages: state.messages }, config);
    return { messages: [message] };
  };

  return new StateGraph(SupportState)
    .addNode("retrieve", retrieve)
    .addNode("agent", agent)
    .addNode("tools", new ToolNode(tools))
    .addEdge(START, "retrieve")
    .addEdge("retrieve", "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile({ name: options.name ?? "acme-support" });
}

/** The compiled Acme support graph. */
export type SupportGraph = ReturnType<typeof createSupportGraph>;
