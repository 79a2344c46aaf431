import { ATTR, OPERATION } from "@agentwatch/middleware";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** What one sample's trace says about it. */
export interface TraceFacts {
  toolCalls: string[];
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

const operation = (s: ReadableSpan) => s.attributes[ATTR.operationName];
const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const startNs = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];

/**
 * Reads a sample's spans: tool calls from `execute_tool` spans in start order; cost as the sum of
 * `agentwatch.cost.usd` over the outermost `invoke_agent` spans (each already sums its model calls,
 * so nested agents are not counted twice); tokens as the sum of `gen_ai.usage.*_tokens` over the
 * model-call spans.
 */
export function readTrace(spans: readonly ReadableSpan[]): TraceFacts {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const insideAgent = (span: ReadableSpan): boolean => {
    for (let id = span.parentSpanContext?.spanId; id !== undefined;) {
      const parent = byId.get(id);
      if (parent === undefined) return false;
      if (operation(parent) === OPERATION.invokeAgent) return true;
      id = parent.parentSpanContext?.spanId;
    }
    return false;
  };
  const toolCalls = spans
    .filter((s) => operation(s) === OPERATION.executeTool)
    .sort((a, b) => startNs(a) - startNs(b))
    .map((s) => String(s.attributes[ATTR.toolName] ?? s.name));
  let costUsd = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const span of spans) {
    const op = operation(span);
    if (op === OPERATION.invokeAgent && !insideAgent(span)) costUsd += number(span.attributes[ATTR.costUsd]);
    if (op === OPERATION.chat || op === OPERATION.textCompletion) {
      inputTokens += number(span.attributes[ATTR.usageInputTokens]);
      outputTokens += number(span.attributes[ATTR.usageOutputTokens]);
    }
  }
  return { toolCalls, costUsd, inputTokens, outputTokens };
}
