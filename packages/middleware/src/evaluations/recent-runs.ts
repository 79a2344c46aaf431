import type { SpanContext } from "@opentelemetry/api";

import type { EvaluationSample } from "./types.js";

/** What a score or feedback needs of a run: its root span context and its metric labels. */
export interface RunRef {
  spanContext: SpanContext;
  agent: string;
  promptVersion: string;
  /** The run-metadata `feature` ("" when none). */
  feature: string;
}

/** What is kept of a finished root run so scores and feedback can reach its trace later. */
export interface FinishedRun extends RunRef {
  runId: string;
  /** Question, answer and retrieved documents, kept only when online evaluation is on. */
  sample?: EvaluationSample;
  /** Whether a guardrail flagged or blocked something in the run. */
  flagged: boolean;
  /** Synthetic traffic (a canary probe): never sampled for online evaluation, and feedback on it is refused. */
  synthetic?: boolean;
  /** Whether online evaluation already ran (or was queued) for it. */
  evaluated: boolean;
}

/**
 * Recently finished root runs by run id and trace id, bounded: the oldest is forgotten past
 * `capacity` (a Map keeps insertion order).
 */
export class RecentRuns {
  private readonly byRun = new Map<string, FinishedRun>();
  private readonly byTrace = new Map<string, FinishedRun>();

  constructor(private readonly capacity: number) {}

  add(run: FinishedRun): void {
    this.byRun.set(run.runId, run);
    this.byTrace.set(run.spanContext.traceId, run);
    while (this.byRun.size > this.capacity) {
      const [oldestId, oldest] = this.byRun.entries().next().value as [string, FinishedRun];
      this.byRun.delete(oldestId);
      if (this.byTrace.get(oldest.spanContext.traceId) === oldest) this.byTrace.delete(oldest.spanContext.traceId);
    }
  }

  find(ref: { runId?: string; traceId?: string }): FinishedRun | undefined {
    if (ref.runId !== undefined) return this.byRun.get(ref.runId);
    if (ref.traceId !== undefined) return this.byTrace.get(ref.traceId.toLowerCase());
    return undefined;
  }
}
