import { monitorEventLoopDelay } from "node:perf_hooks";

import { seededRandom } from "@agentwatch/fixtures";
import { METRIC } from "@agentwatch/middleware";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

import { ConsoleTally, isGuardAbortLog } from "./console-tally.js";
import { Fleet, type InvocationPlan } from "./fleet.js";
import { type InvocationResult, runInvocation } from "./invoke.js";
import { type MetricsSnapshot, snapshotMetrics } from "./metrics-snapshot.js";
import { OpenRunSampler, type OpenRunSamples } from "./open-run-sampler.js";
import { type ByKind, RunLedger } from "./run-ledger.js";
import { createSoakHandler, SOAK_EVAL_CONCURRENCY, soakTracerProvider } from "./soak-handler.js";
import type { SoakOptions } from "./soak-options.js";
import { SpanLedger } from "./span-ledger.js";

/**
 * How often agentwatch's run store sweeps on its own timer, mirroring `RunStore`
 * (packages/middleware/src/runs/run-store.ts): the TTL, clamped to 1 s .. 60 s. It also sweeps on every run start.
 */
export const sweepPeriodMs = (ttlMs: number): number => Math.max(1000, Math.min(ttlMs, 60_000));

/** Timer jitter allowed on top of TTL + sweep period. Stalls of the whole process are measured and added separately. */
export const SLACK_MS = 500;

/** One line of the progress table. */
export interface SoakProgress {
  elapsedMs: number;
  invocations: number;
  runs: number;
  abandoned: number;
  failed: number;
  openRuns: number;
  /** What the open runs may be at most right now (see {@link OpenRunSampler}). */
  bound: number;
  maxOpenRuns: number;
  evicted: number;
  spansOpen: number;
  heapUsedBytes: number;
}

/** Heap in use after a full collection, and the series `/metrics` had, once `invocations` had run and everything had settled. */
export interface HeapMark {
  invocations: number;
  bytes: number;
  series: number;
}

/** Everything a soak measured; `soakChecks` turns it into a verdict. */
export interface SoakReport {
  options: SoakOptions;
  elapsedMs: number;
  /** The time bound stopped the soak before all invocations ran. */
  stoppedAtTimeBound: boolean;
  invocations: number;
  outcomes: Record<InvocationResult["outcome"], number>;
  /** Invocations by variant name. */
  variants: Record<string, number>;
  /** Failed invocations by error name. */
  failures: Record<string, number>;
  /** The first invocations that did not do what was planned. */
  unexpected: string[];
  /** Abandoned invocations whose graph hung after the iterator was dropped. */
  stalled: number;
  /** LangChain runs of the invocations (the run ledger's count; the LLM judge's calls are not included). */
  runs: number;
  openRuns: OpenRunSamples & { atEnd: number };
  evictions: {
    /** `agentwatch_runs_evicted_total`. */
    counted: number;
    /** LangChain runs never ended (open longer than the limit): agentwatch must have evicted each, by invocation kind. */
    neverEnded: ByKind;
    /** Runs that did end, but after more than the TTL: agentwatch may have evicted them too. */
    endedPastTtl: number;
    /** Runs LangChain never ended in invocations that settled (starts a guard aborted), by kind. */
    leftAtSettle: ByKind;
    unknownStarts: number;
    unknownEnds: number;
  };
  spans: {
    started: number;
    ended: number;
    evicted: number;
    openAtEnd: number;
    /** Longest any span stayed open, by the wall clock, and its name. */
    maxOpenMs: number;
    maxOpenName: string;
  };
  ttlMs: number;
  sweepMs: number;
  /** TTL + sweep period + slack: the longest a never-ending run may stay open in agentwatch while the process runs. */
  limitMs: number;
  /** The longest the process could not run (event-loop delay: blocked, or not scheduled on a busy machine). */
  stallMs: number;
  heap: HeapMark[];
  feedback: { sent: number; found: number };
  /** Lines LangChain wrote to console.error / console.warn: guard aborts (expected) and anything else. */
  console: { guardAborts: number; other: number; otherSamples: string[] };
  metrics: MetricsSnapshot;
}

/** What the caller can watch while a soak runs. */
export interface SoakHooks {
  onProgress?: (row: SoakProgress) => void;
  progressEveryMs?: number;
  /** Told when the soak pauses to let abandoned runs be evicted. */
  onNote?: (text: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Lets timers run: without real I/O, back-to-back invocations are one long chain of microtasks. */
const yieldToTimers = () => new Promise<void>((resolve) => setImmediate(resolve));

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("heap marks need node --expose-gc (npm run soak passes it)");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Registers the AsyncLocalStorage context manager, as the OpenTelemetry Node SDK does, unless one is registered. */
function installContextManager(): void {
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  if (!context.setGlobalContextManager(manager)) manager.disable();
}

type Tallies = Pick<SoakReport, "invocations" | "outcomes" | "variants" | "failures" | "unexpected" | "stalled" | "feedback">;

function tally(t: Tallies, plan: InvocationPlan, result: InvocationResult): void {
  t.outcomes[result.outcome]++;
  t.variants[plan.variant.name] = (t.variants[plan.variant.name] ?? 0) + 1;
  if (result.outcome === "failed" && result.error !== undefined) t.failures[result.error] = (t.failures[result.error] ?? 0) + 1;
  if (result.outcome === "unexpected" && t.unexpected.length < 10) {
    t.unexpected.push(`#${plan.index} ${plan.variant.name} (${plan.variant.kind}) "${plan.question}": ${result.detail ?? result.error}`);
  }
  if (result.outcome === "abandoned" && plan.variant.abandon?.stalls === true) t.stalled++;
  if (plan.feedback !== undefined && result.outcome === "completed") {
    t.feedback.sent++;
    if (result.feedbackFound === true) t.feedback.found++;
  }
}

/**
 * Runs the soak: `options.invocations` invocations of the demo agent (85 % normal, 10 % abandoned
 * mid-stream, 5 % failing; see {@link Fleet}) through one AgentWatchHandler with every feature on,
 * `options.concurrency` at a time, within `options.seconds`. Samples open runs and span ages all
 * along; with `options.heap`, pauses at 20 % and at the end to let abandoned runs be evicted and
 * measures the heap after GC.
 */
export async function runSoak(options: SoakOptions, hooks: SoakHooks = {}): Promise<SoakReport> {
  installContextManager();
  const consoleTally = new ConsoleTally(isGuardAbortLog);
  const sweepMs = sweepPeriodMs(options.ttlMs);
  const limitMs = options.ttlMs + sweepMs + SLACK_MS;
  const spans = new SpanLedger();
  const provider = soakTracerProvider(spans);
  const handler = createSoakHandler({ ttlMs: options.ttlMs, tracerProvider: provider });
  const ledger = new RunLedger(limitMs, options.ttlMs);
  const sampler = new OpenRunSampler(handler, ledger, spans, limitMs, SOAK_EVAL_CONCURRENCY);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let progressTimer: ReturnType<typeof setInterval> | undefined;
  consoleTally.install();
  try {
    const fleet = await Fleet.create(handler, options.seed);
    const random = seededRandom(options.seed);
    const start = performance.now();
    const deadline = start + options.seconds * 1000;
    const t: Tallies = {
      invocations: 0,
      outcomes: { completed: 0, failed: 0, abandoned: 0, unexpected: 0 },
      variants: {},
      failures: {},
      unexpected: [],
      stalled: 0,
      feedback: { sent: 0, found: 0 },
    };
    let stoppedAtTimeBound = false;
    const heap: HeapMark[] = [];

    loop.enable();
    sampler.begin();
    if (hooks.onProgress !== undefined) {
      const onProgress = hooks.onProgress;
      const progress = async () => {
        const evicted = (await handler.registry.getSingleMetric(METRIC.runsEvicted)?.get())?.values.reduce((n, v) => n + v.value, 0) ?? 0;
        onProgress({
          elapsedMs: performance.now() - start,
          invocations: t.invocations,
          runs: ledger.started,
          abandoned: t.outcomes.abandoned,
          failed: t.outcomes.failed,
          openRuns: handler.openRuns,
          bound: sampler.stats.bound,
          maxOpenRuns: sampler.stats.max,
          evicted,
          spansOpen: spans.openCount,
          heapUsedBytes: process.memoryUsage().heapUsed,
        });
      };
      progressTimer = setInterval(() => void progress(), hooks.progressEveryMs ?? 10_000);
    }

    let next = 0;
    const worker = async (limit: number) => {
      while (next < limit) {
        if (performance.now() >= deadline) {
          stoppedAtTimeBound = true;
          return;
        }
        const plan = fleet.plan(next++, random);
        t.invocations++;
        let result: InvocationResult;
        try {
          result = await runInvocation(plan, handler, ledger);
        } catch (error) {
          result = { outcome: "unexpected", detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
        }
        tally(t, plan, result);
        await yieldToTimers();
      }
    };

    const marks = options.heap ? [Math.max(1, Math.round(options.invocations * 0.2)), options.invocations] : [options.invocations];
    for (const mark of marks) {
      await Promise.all(Array.from({ length: options.concurrency }, () => worker(mark)));
      // Settle: evaluations done, then every abandoned run past the TTL and evicted by the sweep timer.
      await handler.evaluationsIdle();
      hooks.onNote?.(`${t.invocations} invocations: waiting ${(limitMs / 1000).toFixed(1)} s (TTL + sweep period + slack) for evictions`);
      await sleep(limitMs + 100);
      sampler.sample();
      if (options.heap)
        heap.push({ invocations: t.invocations, bytes: heapAfterGc(), series: (await snapshotMetrics(handler.registry)).series });
      if (stoppedAtTimeBound) break;
    }

    const metrics = await snapshotMetrics(handler.registry);
    return {
      ...t,
      options,
      elapsedMs: performance.now() - start,
      stoppedAtTimeBound,
      runs: ledger.started,
      openRuns: { ...sampler.stats, atEnd: handler.openRuns },
      evictions: {
        counted: metrics.evicted,
        neverEnded: { ...ledger.stale },
        endedPastTtl: ledger.endedPastTtl,
        leftAtSettle: { ...ledger.leftAtSettle },
        unknownStarts: ledger.unknownStarts,
        unknownEnds: ledger.unknownEnds,
      },
      spans: {
        started: spans.started,
        ended: spans.ended,
        evicted: spans.evicted,
        openAtEnd: spans.openCount,
        maxOpenMs: spans.maxOpenMs,
        maxOpenName: spans.maxOpenName,
      },
      ttlMs: options.ttlMs,
      sweepMs,
      limitMs,
      stallMs: Math.max(loop.max / 1e6, sampler.stats.maxLatenessMs),
      heap,
      console: { guardAborts: consoleTally.expected, other: consoleTally.other, otherSamples: consoleTally.otherSamples },
      metrics,
    };
  } finally {
    consoleTally.uninstall();
    sampler.stop();
    if (progressTimer !== undefined) clearInterval(progressTimer);
    loop.disable();
    handler.shutdown();
    await provider.shutdown();
  }
}
