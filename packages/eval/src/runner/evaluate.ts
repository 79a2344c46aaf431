import { AgentWatchHandler, createOpenMetricsRegistry } from "@agentwatch/middleware";

import { selectEvaluators } from "../evaluators/select.js";
import { prepareTarget } from "../target/load-target.js";
import type { LoadedTarget, Target } from "../target/types.js";
import type { CaseResult, CaseRun, Dataset, EvalReport, Score } from "../types.js";
import { resolveEvaluateOptions } from "./evaluate-options.js";
import { mapConcurrent } from "./pool.js";
import { createProgress } from "./progress.js";
import { runSample } from "./run-sample.js";
import { type EvaluatorErrorHook, scoreSample, summariseCase } from "./score-case.js";
import { summarise } from "./summarise.js";
import { createEvalTracing } from "./tracing.js";
import type { EvaluateOptions } from "./types.js";

const isLoaded = (t: Target | LoadedTarget): t is LoadedTarget =>
  typeof (t as LoadedTarget).call === "function" && typeof (t as LoadedTarget).prompt === "object" && "kind" in t && "options" in t;

/**
 * Runs `target` over every case of `dataset`, `samples` times each with at most `concurrency` at
 * once, with an AgentWatchHandler attached (its own registry and tracer provider, spans kept in
 * memory and sent over OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set), so every sample is one
 * trace with its tool calls, cost, tokens and latency. Scores each sample with the evaluators as it ends,
 * summarises each case (mean, pass@k), and each evaluator and tag with a bootstrap interval.
 * A sample whose target throws is a failed sample; only bad options throw (a BadInputError).
 */
export async function evaluate(dataset: Dataset, target: Target | LoadedTarget, options: EvaluateOptions = {}): Promise<EvalReport> {
  const settings = resolveEvaluateOptions(options);
  const loaded = isLoaded(target) ? target : prepareTarget(target);
  const evaluators = options.evaluators ?? selectEvaluators(undefined, loaded.options);
  const warned = new Set<string>();
  const onError: EvaluatorErrorHook = (name, evalCase, error) => {
    if (warned.has(name)) return;
    warned.add(name);
    process.stderr.write(
      `agentwatch-eval: evaluator ${name} failed on case ${evalCase.id} (${(error as Error)?.message ?? String(error)}); its samples are not judged\n`,
    );
  };
  const tracing = createEvalTracing(options.otlpEndpoint);
  const handler = new AgentWatchHandler({
    ...loaded.options.agentwatch,
    tracerProvider: tracing.provider,
    registry: createOpenMetricsRegistry(),
  });
  const env = { dataset: dataset.name, target: loaded, handler, tracing, timeoutMs: settings.timeoutMs };
  const jobs = dataset.cases.flatMap((evalCase) => Array.from({ length: settings.samples }, (_, sample) => ({ evalCase, sample })));
  const progress = createProgress(jobs.length, options.progress);
  const startedAt = new Date();
  const started = performance.now();
  let judged: Array<{ run: CaseRun; scores: Score[] }>;
  try {
    judged = await mapConcurrent(jobs, settings.concurrency, async ({ evalCase, sample }) => {
      const run = await runSample(env, evalCase, sample);
      const scores = await scoreSample(evaluators, evalCase, run, onError);
      progress.tick(run.error !== undefined);
      return { run, scores };
    });
  } finally {
    progress.stop();
    handler.shutdown();
    await tracing.shutdown();
  }
  const cases: CaseResult[] = [];
  for (const [index, evalCase] of dataset.cases.entries()) {
    const mine = judged.slice(index * settings.samples, (index + 1) * settings.samples);
    const caseRuns = mine.map((j) => j.run);
    const sampleScores = mine.map((j) => j.scores);
    const mean = (f: (r: CaseRun) => number) => caseRuns.reduce((sum, r) => sum + f(r), 0) / caseRuns.length;
    cases.push({
      case: evalCase,
      runs: caseRuns,
      sampleScores,
      scores: summariseCase(evaluators, sampleScores),
      costUsd: mean((r) => r.costUsd),
      latencyMs: mean((r) => r.latencyMs),
    });
  }
  return {
    dataset: dataset.name,
    prompt: options.prompt ?? loaded.prompt,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    samples: settings.samples,
    confidence: settings.confidence,
    cases,
    ...summarise(cases, { ...settings, evaluators: evaluators.map((e) => e.name) }),
  };
}
