export { DEMO_AGENT_NAME, DEMO_PRICES, createDemoHandler, type DemoHandlerOptions } from "./demo-handler.js";
export { OrderServiceError, RetrieverTimeoutError } from "./errors.js";
export { HashedBagOfWordsEmbeddings, type HashedBagOfWordsEmbeddingsFields } from "./hashed-embeddings.js";
export {
  combineEffects,
  type Incident,
  IncidentController,
  type IncidentEffects,
  type IncidentName,
  INCIDENT_NAMES,
  INCIDENTS,
  incident,
  isIncidentName,
  NORMAL_EFFECTS,
  parseIncidentName,
  UnknownIncidentError,
} from "./incidents.js";
export { createInterruptingGraph, type InterruptingGraph, type InterruptingGraphOptions, RefundReviewState } from "./interrupting-graph.js";
export { type KeywordDocumentMetadata, KeywordRetriever, type KeywordRetrieverFields } from "./keyword-retriever.js";
export { type KnowledgeBaseArticle, knowledgeBase } from "./knowledge-base.js";
export { buildKnowledgeBaseStore, KnowledgeBaseRetriever, type KnowledgeBaseRetrieverFields } from "./knowledge-base-retriever.js";
export { type LatencyProfile, REALISTIC_LATENCY } from "./latency.js";
export { type MetricSample, parseMetricsText, selectSamples, sumSamples } from "./metrics-text.js";
export { chooseProvider, createProviderModel, DEFAULT_MODELS, type ModelProvider } from "./model-provider.js";
export { FAILING_ORDER_ID, findOrder, type OrderRecord } from "./orders.js";
export { lognormal, type Random, seededRandom } from "./prng.js";
export { ProviderError } from "./provider-error.js";
export { type BundledQuestion, JAILBREAKS, PII_MESSAGES, pickQuestion, simulateFeedback, SUPPORT_QUESTIONS } from "./questions.js";
export { keywordRelevance, keywordRelevanceEvaluator } from "./relevance-evaluator.js";
export { ScriptedChatModel, type ScriptedChatModelFields, type ScriptedInvocationParams } from "./scripted-chat-model.js";
export { decideReply, extractOrderId, type ReplyOptions, type ScriptedReply } from "./scripted-reply.js";
export { EventStreamParser, readEventStream, type ServerSentEvent } from "./sse.js";
export {
  createSupportGraph,
  defaultGuardrails,
  INPUT_REFUSAL,
  OUTPUT_REFUSAL,
  type SupportGraph,
  type SupportGraphOptions,
  type SupportGuardrails,
} from "./support-graph.js";
export {
  formatContext,
  supportPrompt,
  supportPromptDrifted,
  supportPromptMetadata,
  supportPromptV2,
  supportPromptV2Metadata,
} from "./support-prompt.js";
export { DEFAULT_RECURSION_LIMIT, type RuntimeSnapshot, SupportRuntime, type SupportRuntimeOptions } from "./support-runtime.js";
export { SupportState, type SupportStateValue } from "./support-state.js";
export {
  createLookupOrderTool,
  createRefundPolicyTool,
  createSupportTools,
  createTicket,
  createTicketTool,
  lookupOrder,
  refundPolicy,
  type SupportTools,
  type SupportToolsOptions,
  supportTools,
} from "./tools.js";
export { InMemoryVectorStore, type SearchOrder } from "./vector-store.js";
