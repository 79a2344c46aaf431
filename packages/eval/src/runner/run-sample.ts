import { type AgentWatchHandler, ATTR } from "@agentwatch/middleware";
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";

import type { LoadedTarget } from "../target/types.js";
import type { CaseRun, EvalCase } from "../types.js";
import { DocumentCollector } from "./document-collector.js";
import { readTrace } from "./read-trace.js";
import type { EvalTracing } from "./tracing.js";

/** What every sample of one evaluation shares. */
export interface SampleEnv {
  dataset: string;
  target: LoadedTarget;
  handler: AgentWatchHandler;
  tracing: EvalTracing;
  timeoutMs: number;
}

const message = (error: unknown) =>
  error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);

/** Rejects when the signal aborts, so a target that ignores its signal still ends the sample. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

/**
 * Runs the target once on a case, as one trace: a root span `eval <dataset>` (new trace, with
 * the dataset, case id and sample), the target inside it with agentwatch's handler, then the
 * trace's spans read for tool calls, cost and tokens. A target that throws or times out gives a
 * failed run (its error kept), never an exception.
 */
export async function runSample(env: SampleEnv, evalCase: EvalCase, sample: number): Promise<CaseRun> {
  const span = env.tracing.tracer.startSpan(
    `eval ${env.dataset}`,
    { attributes: { [ATTR.evalDataset]: env.dataset, [ATTR.evalCaseId]: evalCase.id, [ATTR.evalSample]: sample } },
    ROOT_CONTEXT,
  );
  const traceId = span.spanContext().traceId;
  const collector = new DocumentCollector();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${env.timeoutMs} ms`)), env.timeoutMs);
  const metadata = { eval_dataset: env.dataset, eval_case_id: evalCase.id, eval_sample: sample };
  const started = performance.now();
  let answer = "";
  let documents: string[] | undefined;
  let error: string | undefined;
  try {
    const result = await context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
      Promise.race([
        env.target.call(evalCase.input, { callbacks: [env.handler, collector], metadata, signal: controller.signal }),
        aborted(controller.signal),
      ]),
    );
    answer = result.answer;
    documents = result.documents;
  } catch (thrown) {
    error = message(thrown);
    span.recordException(thrown instanceof Error ? thrown : new Error(String(thrown)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = performance.now() - started;
  span.end();
  await env.tracing.provider.forceFlush();
  const facts = readTrace(env.tracing.store.take(traceId));
  const run: CaseRun = {
    sample,
    answer,
    toolCalls: facts.toolCalls,
    documents: documents ?? collector.documents,
    traceId,
    costUsd: facts.costUsd,
    inputTokens: facts.inputTokens,
    outputTokens: facts.outputTokens,
    latencyMs,
  };
  if (error !== undefined) run.error = error;
  return run;
}
