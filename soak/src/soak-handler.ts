import { DEMO_PRICES, keywordRelevanceEvaluator } from "@agentwatch/demo-agent";
import { AgentWatchHandler, groundednessEvaluator, llmJudgeEvaluator, redactSecrets } from "@agentwatch/middleware";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";

import type { SpanLedger } from "./span-ledger.js";

/** Distinct values kept per metric label: fewer than the soak's agents and tenants, so the caps are exercised. */
export const SOAK_MAX_LABEL_VALUES = 6;

/** The soak's feedback-token secret (a test value; production replicas share AGENTWATCH_FEEDBACK_SECRET). */
export const SOAK_FEEDBACK_SECRET = "agentwatch-soak-feedback-secret-not-for-production";

/** Evaluations running at once; each LLM-judge evaluation is one LangChain run outside the invocations. */
export const SOAK_EVAL_CONCURRENCY = 2;

/** Accepts and drops spans: the export path runs (batching, queue limits) without a collector. */
class DiscardExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

/** A tracer provider whose spans go through `ledger` and a batch processor to nowhere. */
export function soakTracerProvider(ledger: SpanLedger): BasicTracerProvider {
  return new BasicTracerProvider({ spanProcessors: [ledger, new BatchSpanProcessor(new DiscardExporter())] });
}

/** An offline judge for the LLM-as-judge evaluator: a JSON verdict, a text verdict, and one it cannot parse. */
function fakeJudge(): FakeListChatModel {
  return new FakeListChatModel({
    responses: [
      '{"score": 4, "label": "relevant", "explanation": "It answers the question."}',
      "Score: 2/5\nExplanation: vague, mail me at jane.doe@example.com",
      "I cannot grade this.",
    ],
  });
}

/**
 * The handler under soak, with every feature on: content capture with redaction, a short run TTL,
 * bounded labels, prices, budgets, aborting run guards, cost attribution by tenant and tier, the
 * prompt-version label, and online evaluation by three evaluators (one of them an LLM judge).
 * The agent name comes from each invocation's `agent_name` metadata.
 */
export function createSoakHandler(options: { ttlMs: number; tracerProvider: BasicTracerProvider }): AgentWatchHandler {
  return new AgentWatchHandler({
    tracerProvider: options.tracerProvider,
    captureContent: true,
    maxContentLength: 1024,
    redact: redactSecrets,
    runTtlMs: options.ttlMs,
    maxLabelValues: SOAK_MAX_LABEL_VALUES,
    prices: { ...DEMO_PRICES, "acme-scripted-mini": { input: 0.05, output: 0.2 } },
    budgets: { global: 500, agents: { "acme-support": 100, "acme-billing": 50 }, features: { chat: 200, email: 20 } },
    // Normal questions make at most 4 model and 3 tool calls and never repeat a tool call; the
    // tool-loop variant repeats one, which trips `tool_repeats` and aborts the run.
    guards: { action: "abort", maxRepeatedToolCalls: 2, maxLlmCalls: 8, maxToolCalls: 6, maxTokens: 1_000_000, maxCostUsd: 5 },
    attributionLabels: ["tenant", "tier"],
    promptVersionLabel: true,
    evaluation: {
      evaluators: [keywordRelevanceEvaluator(), groundednessEvaluator(), llmJudgeEvaluator({ model: fakeJudge(), rubric: "relevance" })],
      sampleRate: 0.1,
      concurrency: SOAK_EVAL_CONCURRENCY,
      queueSize: 50,
    },
    // Feedback goes by the answer's signed token, never by the handler's memory of the run.
    feedback: { secret: SOAK_FEEDBACK_SECRET },
    // Small enough to fill long before the first heap mark, so a full cache is not mistaken for a leak.
    recentRuns: 2000,
  });
}
