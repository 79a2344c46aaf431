import * as fixtures from "@agentwatch/fixtures";
import { describe, expect, it } from "vitest";

import * as api from "../src/index.js";

/** Every value the demo exported before its offline pieces moved to @agentwatch/fixtures: none may go missing. */
const EXPORTED_VALUES = [
  "buildKnowledgeBaseStore",
  "chooseProvider",
  "combineEffects",
  "createDemoHandler",
  "createInterruptingGraph",
  "createLookupOrderTool",
  "createProviderModel",
  "createRefundPolicyTool",
  "createSupportGraph",
  "createSupportTools",
  "createTicket",
  "createTicketTool",
  "decideReply",
  "DEFAULT_MODELS",
  "DEFAULT_RECURSION_LIMIT",
  "defaultGuardrails",
  "DEMO_AGENT_NAME",
  "DEMO_PRICES",
  "EventStreamParser",
  "extractOrderId",
  "FAILING_ORDER_ID",
  "findOrder",
  "formatContext",
  "HashedBagOfWordsEmbeddings",
  "incident",
  "INCIDENT_NAMES",
  "IncidentController",
  "INCIDENTS",
  "InMemoryVectorStore",
  "INPUT_REFUSAL",
  "isIncidentName",
  "JAILBREAKS",
  "keywordRelevance",
  "keywordRelevanceEvaluator",
  "KeywordRetriever",
  "knowledgeBase",
  "KnowledgeBaseRetriever",
  "lognormal",
  "lookupOrder",
  "NORMAL_EFFECTS",
  "OrderServiceError",
  "OUTPUT_REFUSAL",
  "parseIncidentName",
  "parseMetricsText",
  "pickQuestion",
  "PII_MESSAGES",
  "ProviderError",
  "readEventStream",
  "REALISTIC_LATENCY",
  "refundPolicy",
  "RefundReviewState",
  "RetrieverTimeoutError",
  "ScriptedChatModel",
  "seededRandom",
  "selectSamples",
  "simulateFeedback",
  "sumSamples",
  "SUPPORT_QUESTIONS",
  "supportPrompt",
  "supportPromptDrifted",
  "supportPromptMetadata",
  "supportPromptV2",
  "supportPromptV2Metadata",
  "SupportRuntime",
  "SupportState",
  "supportTools",
  "UnknownIncidentError",
] as const;

/** What now lives in @agentwatch/fixtures and the demo re-exports as is (the same objects). */
const FROM_FIXTURES = EXPORTED_VALUES.filter((name) => name in fixtures && name !== "createSupportGraph");

describe("the demo's public API", () => {
  it("still exports every value it exported before", () => {
    const missing = EXPORTED_VALUES.filter((name) => !(name in api) || (api as Record<string, unknown>)[name] === undefined);
    expect(missing).toEqual([]);
  });

  it("re-exports the fixtures' values themselves, not copies", () => {
    expect(FROM_FIXTURES.length).toBe(30);
    for (const name of FROM_FIXTURES) {
      expect((api as Record<string, unknown>)[name], name).toBe((fixtures as Record<string, unknown>)[name]);
    }
  });

  it("wraps the fixture graph with agentwatch's guardrails", () => {
    expect(api.createSupportGraph).not.toBe(fixtures.createSupportGraph);
    const nodes = Object.keys(api.createSupportGraph({ guardrails: true }).getGraph().nodes);
    expect(nodes).toEqual(expect.arrayContaining(["input_guardrails", "retrieve", "agent", "tools", "output_guardrails"]));
  });
});
