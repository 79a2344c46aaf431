import { type Attributes, context, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";

import type { DriftMonitor } from "./drift/drift-monitor.js";
import { errorMessage, errorType, exceptionOf } from "./langchain/error-info.js";
import { providerName } from "./langchain/provider.js";
import type { AgentWatchMetrics } from "./metrics/agentwatch-metrics.js";
import { agentInContext } from "./runs/context-activation.js";
import { ATTR, OPERATION } from "./semconv.js";
import type { EmbeddingsInfo } from "./types.js";
import type { Guard } from "./util/callback-guard.js";
import { nowMs } from "./util/clock.js";

const METHODS = new Set<PropertyKey>(["embedQuery", "embedDocuments"]);

function modelOf(target: object): string | undefined {
  const t = target as Record<string, unknown>;
  for (const key of ["model", "modelName", "model_name", "modelId"]) {
    const v = t[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

/**
 * Wraps a LangChain `Embeddings` object (which fires no callbacks) so each `embedQuery` /
 * `embedDocuments` call becomes an `embeddings {model}` CLIENT span under the active span (a
 * retrieval span when called from a retriever) and a `gen_ai_client_operation_duration_seconds`
 * observation. The wrapped object behaves exactly like the original; errors pass through unchanged.
 */
export function instrumentEmbeddings<T extends object>(
  target: T,
  deps: { tracer: Tracer; metrics: AgentWatchMetrics; guard: Guard; agentName: string | undefined; drift?: DriftMonitor | undefined },
  info: EmbeddingsInfo = {},
): T {
  const model = info.model ?? modelOf(target) ?? "unknown";
  const provider = info.provider ?? providerName(undefined, target.constructor?.name);
  const call = async (method: string, invoke: () => Promise<unknown>): Promise<unknown> => {
    const started = deps.guard.run("embeddings", () => {
      const agent = deps.agentName ?? agentInContext() ?? "";
      const attributes: Attributes = {
        [ATTR.operationName]: OPERATION.embeddings,
        [ATTR.providerName]: provider,
        [ATTR.requestModel]: model,
      };
      const startMs = nowMs();
      const span = deps.tracer.startSpan(
        `${OPERATION.embeddings} ${model}`,
        { kind: SpanKind.CLIENT, attributes, startTime: startMs },
        context.active(),
      );
      return { span, startMs, agent };
    });
    const finish = (result: unknown, error: unknown) =>
      deps.guard.run("embeddings", () => {
        if (started === undefined) return;
        const { span, startMs, agent } = started;
        const endMs = nowMs();
        let errType = "";
        if (error !== undefined) {
          errType = errorType(error);
          span.recordException(exceptionOf(error, errType), endMs);
          span.setAttribute(ATTR.errorType, errType);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
        } else {
          const vectors = method === "embedQuery" ? [result] : Array.isArray(result) ? result : [];
          // Only queries: documents are the knowledge base, not what users ask.
          if (method === "embedQuery") deps.drift?.observeQuery(agent, result);
          const first = vectors[0];
          if (Array.isArray(first)) span.setAttribute(ATTR.embeddingsDimensionCount, first.length);
          span.setAttribute(ATTR.embeddingsInputCount, vectors.length);
        }
        span.end(endMs);
        deps.metrics.operations.operation(
          { operation: OPERATION.embeddings, provider, model, agent, errorType: errType },
          (endMs - startMs) / 1000,
          span,
        );
      });
    const run = () => invoke();
    const ctx = started === undefined ? context.active() : trace.setSpan(context.active(), started.span);
    try {
      const result = await context.with(ctx, run);
      finish(result, undefined);
      return result;
    } catch (error) {
      finish(undefined, error);
      throw error;
    }
  };
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (!METHODS.has(prop) || typeof value !== "function") return value;
      return (...args: unknown[]) => call(String(prop), () => (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args));
    },
  });
}
