import { describe, expect, it } from "vitest";

import * as api from "../src/index.js";

/** Every value the package exported before its source moved into feature folders: none may go missing. */
const EXPORTED_VALUES = [
  "ATTR",
  "AgentBudgetExceededError",
  "AgentWatchHandler",
  "BUCKETS",
  "EVALUATOR_AGENT",
  "EVENT",
  "GUARDRAIL_EVENT",
  "GuardrailBlockedError",
  "LABEL",
  "METRIC",
  "OPERATION",
  "PII_TYPES",
  "PROMPT_INJECTION_BLOCK",
  "PROMPT_INJECTION_FLAG",
  "PROMPT_INJECTION_RULES",
  "PROVIDER",
  "SEMCONV_VERSION",
  "TOKEN_TYPE",
  "applyGuardrails",
  "blockedByGuardrail",
  "createDenylist",
  "createOpenMetricsRegistry",
  "denylistGuardrail",
  "detectPii",
  "groundednessEvaluator",
  "groundednessScore",
  "guardrailNode",
  "guardrailRunnable",
  "judgePrompt",
  "llmJudgeEvaluator",
  "metricsHandler",
  "monitoredBatchSpanProcessor",
  "parseFeedback",
  "parseJudgeOutput",
  "piiGuardrail",
  "promptInjectionGuardrail",
  "redactSecrets",
  "scorePromptInjection",
];

describe("the public API", () => {
  it("still exports every value it exported before", () => {
    const exported = Object.keys(api);
    for (const name of EXPORTED_VALUES) expect(exported, name).toContain(name);
    for (const name of EXPORTED_VALUES) expect((api as Record<string, unknown>)[name], name).toBeDefined();
  });
});
