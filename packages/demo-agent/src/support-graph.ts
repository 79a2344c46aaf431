import { blockedByGuardrail, type Guardrail, guardrailNode, piiGuardrail, promptInjectionGuardrail } from "@agentwatch/middleware";
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

/** What the input guardrail answers instead of the agent when it blocks a message. */
export const INPUT_REFUSAL = "Sorry, I can't help with that request. I'm happy to help with orders, shipping, refunds or your account.";

/** What replaces an answer the output guardrail blocks. */
export const OUTPUT_REFUSAL = "Sorry, I can't share that answer because it contained personal data. Please contact us by phone instead.";

/** The guardrails of {@link createSupportGraph}: lists for each stage. */
export interface SupportGuardrails {
  /** Applied to the user's message before anything else. Default: `piiGuardrail()` (flags) and `promptInjectionGuardrail()`. */
  input?: readonly Guardrail[];
  /** Applied to the final answer. Default: `piiGuardrail({ onMatch: "block" })`. */
  output?: readonly Guardrail[];
}

/** The default guardrails: PII flagged and jailbreaks blocked on input, PII blocked on output. */
export function defaultGuardrails(): Required<SupportGuardrails> {
  return { input: [piiGuardrail(), promptInjectionGuardrail()], output: [piiGuardrail({ onMatch: "block" })] };
}

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
  /**
   * Add the `input_guardrails` node first (a blocked message is answered with {@link INPUT_REFUSAL}
   * and the run ends) and the `output_guardrails` node last (a blocked answer is replaced by
   * {@link OUTPUT_REFUSAL}). `true` uses {@link defaultGuardrails}. Default false, so the graph is
   * retrieve → agent ⇄ tools.
   */
  guardrails?: boolean | SupportGuardrails;
  /** The retrieved context is put into the prompt this many times (the cost-runaway incident's long contexts). Default 1. */
  contextRepeat?: number;
}

type SupportNode = (state: SupportStateValue, config: LangGraphRunnableConfig) => Promise<Partial<SupportStateValue>>;

/** The graph without guardrails: retrieve → agent ⇄ tools. */
function plainGraph(name: string, retrieve: SupportNode, agent: SupportNode, tools: StructuredToolInterface[]) {
  return new StateGraph(SupportState)
    .addNode("retrieve", retrieve)
    .addNode("agent", agent)
    .addNode("tools", new ToolNode(tools))
    .addEdge(START, "retrieve")
    .addEdge("retrieve", "agent")
    .addConditionalEdges("agent", toolsCondition, ["tools", END])
    .addEdge("tools", "agent")
    .compile({ name });
}

/** The graph with guardrails: input_guardrails → retrieve → agent ⇄ tools → output_guardrails. */
function guardedGraph(
  name: string,
  retrieve: SupportNode,
  agent: SupportNode,
  tools: StructuredToolInterface[],
  guardrails: Required<SupportGuardrails>,
) {
  return new StateGraph(SupportState)
    .addNode("input_guardrails", guardrailNode({ stage: "input", guardrails: guardrails.input, onBlock: { replaceWith: INPUT_REFUSAL } }))
    .addNode("retrieve", retrieve)
    .addNode("agent", agent)
    .addNode("tools", new ToolNode(tools))
    .addNode(
      "output_guardrails",
      guardrailNode({ stage: "output", guardrails: guardrails.output, onBlock: { replaceWith: OUTPUT_REFUSAL } }),
    )
    .addEdge(START, "input_guardrails")
    .addConditionalEdges("input_guardrails", (state) => (blockedByGuardrail(state) ? END : "retrieve"), ["retrieve", END])
    .addEdge("retrieve", "agent")
    .addConditionalEdges("agent", toolsCondition, { tools: "tools", [END]: "output_guardrails" })
    .addEdge("tools", "agent")
    .addEdge("output_guardrails", END)
    .compile({ name });
}

/** The compiled Acme support graph (either shape: both take and return the same state). */
export type SupportGraph = ReturnType<typeof plainGraph>;

/**
 * The Acme support agent: `retrieve` (knowledge-base lookup) → `agent` (prompt + model with
 * tools) ⇄ `tools` (a prebuilt `ToolNode`), ending when the model answers without tool calls;
 * with `guardrails`, `input_guardrails` first and `output_guardrails` last.
 */
export function createSupportGraph(options: SupportGraphOptions = {}): SupportGraph {
  const model = options.model ?? new ScriptedChatModel();
  const tools = options.tools ?? supportTools;
  const retriever = options.retriever ?? new KeywordRetriever();
  if (typeof model.bindTools !== "function") throw new TypeError("createSupportGraph: the model must implement bindTools()");
  const prompt = options.prompt ?? supportPrompt;
  const chain = prompt.pipe(model.bindTools(tools)).withConfig({ metadata: { ...(options.promptMetadata ?? supportPromptMetadata) } });
  const repeat = options.contextRepeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) {
    throw new TypeError(`createSupportGraph: contextRepeat must be an integer from 1 to 100, got ${JSON.stringify(options.contextRepeat)}`);
  }

  const retrieve: SupportNode = async (state, config) => {
    if (options.failNode === "retrieve") throw new RetrieverTimeoutError();
    const docs = await retriever.invoke(lastHumanText(state.messages), config);
    return { docs };
  };

  const agent: SupportNode = async (state, config) => {
    const once = formatContext(state.docs);
    const context = repeat === 1 ? once : Array.from({ length: repeat }, () => once).join("\n");
    const message = await chain.invoke({ context, messages: state.messages }, config);
    return { messages: [message] };
  };

  const name = options.name ?? "acme-support";
  if (options.guardrails === undefined || options.guardrails === false) return plainGraph(name, retrieve, agent, tools);
  const defaults = defaultGuardrails();
  const chosen =
    options.guardrails === true
      ? defaults
      : { input: options.guardrails.input ?? defaults.input, output: options.guardrails.output ?? defaults.output };
  // The guarded graph has two more node names; callers invoke and stream both the same way.
  return guardedGraph(name, retrieve, agent, tools, chosen) as unknown as SupportGraph;
}
