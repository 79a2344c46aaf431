export { OrderServiceError, RetrieverTimeoutError } from "./errors.js";
export { createInterruptingGraph, type InterruptingGraph, type InterruptingGraphOptions, RefundReviewState } from "./interrupting-graph.js";
export { type KeywordDocumentMetadata, KeywordRetriever, type KeywordRetrieverFields } from "./keyword-retriever.js";
export { type KnowledgeBaseArticle, knowledgeBase } from "./knowledge-base.js";
export { FAILING_ORDER_ID, findOrder, type OrderRecord } from "./orders.js";
export { ScriptedChatModel, type ScriptedChatModelFields, type ScriptedInvocationParams } from "./scripted-chat-model.js";
export { decideReply, extractOrderId, type ScriptedReply } from "./scripted-reply.js";
export { createSupportGraph, type SupportGraph, type SupportGraphOptions } from "./support-graph.js";
export { formatContext, supportPrompt, supportPromptMetadata } from "./support-prompt.js";
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
