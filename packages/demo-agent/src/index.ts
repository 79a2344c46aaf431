// The moved offline pieces (scripted model, PRNG, support graph fixture, tools, ...) live in @agentwatch/fixtures;
// they are re-exported here so the demo's public API stays the same.
export {
  createInterruptingGraph,
  createLookupOrderTool,
  createRefundPolicyTool,
  createSupportTools,
  createTicket,
  createTicketTool,
  decideReply,
  extractOrderId,
  FAILING_ORDER_ID,
  findOrder,
  formatContext,
  type InterruptingGraph,
  type InterruptingGraphOptions,
  type KeywordDocumentMetadata,
  KeywordRetriever,
  type KeywordRetrieverFields,
  knowledgeBase,
  type KnowledgeBaseArticle,
  type LatencyProfile,
  lognormal,
  lookupOrder,
  type OrderRecord,
  OrderServiceError,
  ProviderError,
  type Random,
  REALISTIC_LATENCY,
  refundPolicy,
  RefundReviewState,
  type ReplyOptions,
  RetrieverTimeoutError,
  ScriptedChatModel,
  type ScriptedChatModelFields,
  type ScriptedInvocationParams,
  type ScriptedReply,
  seededRandom,
  supportPrompt,
  supportPromptDrifted,
  supportPromptMetadata,
  supportPromptV2,
  supportPromptV2Metadata,
  SupportState,
  type SupportStateValue,
  type SupportTools,
  supportTools,
  type SupportToolsOptions,
} from "@agentwatch/fixtures";
export { DEMO_AGENT_NAME, DEMO_DRIFT, DEMO_PRICES, createDemoHandler, type DemoHandlerOptions } from "./demo-handler.js";
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
export { buildKnowledgeBaseStore, KnowledgeBaseRetriever, type KnowledgeBaseRetrieverFields } from "./knowledge-base-retriever.js";
export { type MetricSample, parseMetricsText, selectSamples, sumSamples } from "./metrics-text.js";
export { chooseProvider, createProviderModel, DEFAULT_MODELS, type ModelProvider } from "./model-provider.js";
export {
  type BundledQuestion,
  JAILBREAKS,
  NEW_PRODUCT_QUESTIONS,
  PII_MESSAGES,
  pickQuestion,
  simulateFeedback,
  SUPPORT_QUESTIONS,
} from "./questions.js";
export { keywordRelevance, keywordRelevanceEvaluator } from "./relevance-evaluator.js";
export { EventStreamParser, readEventStream, type ServerSentEvent } from "./sse.js";
export {
  createSupportGraph,
  defaultGuardrails,
  INPUT_REFUSAL,
  OUTPUT_REFUSAL,
  type SupportGraph,
  type SupportGraphOptions,
  type SupportGuardrails,
} from "./guarded-support-graph.js";
export { DEFAULT_RECURSION_LIMIT, type RuntimeSnapshot, SupportRuntime, type SupportRuntimeOptions } from "./support-runtime.js";
export { InMemoryVectorStore, type SearchOrder } from "./vector-store.js";
