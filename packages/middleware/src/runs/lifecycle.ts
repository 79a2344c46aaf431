import { type Attributes, type Span, type SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";

import { boundAttributes } from "../content/capture.js";
import { controlFlowKind, errorMessage, exceptionOf, isControlFlow } from "../langchain/error-info.js";
import { clipText } from "../langchain/values.js";
import { ATTR, EVENT } from "../semconv.js";
import { nowMs } from "../util/clock.js";
import { cancellationOf, noteNodeEnd } from "./cancellation.js";
import { contextStorageRegistered, currentExecution, enterContext, restoreContext, startingContext } from "./context-activation.js";
import { childContextOf, parentContextOf, placeOf, type StartPlace } from "./parenting.js";
import { type RootState, type RunDetails, type RunKind, RunRecord } from "./run-record.js";
import { RunStore } from "./run-store.js";
import { checkSetUp } from "./setup-warnings.js";

/** How a run ended, as its kind's hooks see it. */
export interface RunOutcome {
  /** The error it ended with; undefined for success and for LangGraph control flow. */
  error: unknown;
  /** The error's low-cardinality type; "" unless `error` is set. */
  errorType: string;
  /** The LangGraph control flow that ended it (an interrupt, a parent command), which is not an error. */
  controlFlow: string | undefined;
  /** The control-flow error itself (a `ParentCommand` carries its handoff's command); undefined otherwise. */
  signal: unknown;
  /** The caller cancelled it (runs/cancellation.ts): not an error, and in no duration histogram. */
  cancelled: boolean;
  endMs: number;
  seconds: number;
  /** The run's outputs, on success. */
  outputs: unknown;
}

/** What a run kind adds to the common lifecycle. Every hook is optional. */
export interface RunKindHooks {
  /** Before the span ends: the kind's last attributes. */
  closing?(run: RunRecord, span: Span, outcome: RunOutcome): void;
  /** After the span ended: the kind's metrics and follow-ups. */
  closed?(run: RunRecord, span: Span, outcome: RunOutcome): void;
  /** The run never ended and was evicted (its span already ended as evicted). */
  evicted?(run: RunRecord): void;
}

/** A span to open for a run. */
export interface OpenRun {
  id: string;
  kind: RunKind;
  name: string;
  root: RootState;
  details: RunDetails;
  parent: RunRecord | undefined;
  spanName: string;
  spanKind: SpanKind;
  attributes: Attributes;
  /** Make the span active in the current async execution (see runs/context-activation.ts). */
  activate: boolean;
}

/** Settings of the lifecycle. */
export interface LifecycleSettings {
  runTtlMs: number;
  maxOpenRuns: number;
  /** Spans are made active only when LangChain awaits the callbacks (else the end would restore too late). */
  awaitCallbacks: boolean;
  /** Counts one evicted run. */
  onEvicted: () => void;
  /** Counts one cancelled run (runs/cancellation.ts `countCancellation`). */
  onCancelled: (run: RunRecord) => void;
}

/**
 * The lifecycle every run shares, whatever its kind (as LangChain's BaseTracer splits its
 * lifecycle from per-kind hooks): start (ids, parent, span, activation), finish (unregister,
 * restore the context), end (status, error or control flow, span end) and eviction of runs that
 * never end. What a kind adds comes from its {@link RunKindHooks}.
 */
export class RunLifecycle {
  readonly runs: RunStore<RunRecord>;
  private readonly hooks = new Map<RunKind, RunKindHooks>();

  constructor(
    readonly tracer: Tracer,
    private readonly settings: LifecycleSettings,
  ) {
    this.runs = new RunStore<RunRecord>(settings.runTtlMs, settings.maxOpenRuns, (run, now) => this.evict(run, now), nowMs);
  }

  /** Registers what `kinds` add to the lifecycle. */
  on(kinds: readonly RunKind[], hooks: RunKindHooks): void {
    for (const kind of kinds) this.hooks.set(kind, hooks);
  }

  /** Where a starting run goes, or undefined to ignore it (see runs/parenting.ts). */
  place(runId: unknown, parentRunId: unknown): StartPlace | undefined {
    return placeOf(this.runs, runId, parentRunId);
  }

  /** Tracks a run without a span of its own (a collapsed one). */
  track(id: string, run: RunRecord): void {
    this.runs.add(id, run);
  }

  /** Starts a run's span under its parent's and tracks the run. */
  open(spec: OpenRun): RunRecord {
    const startMs = nowMs();
    const { root, parent } = spec;
    const span = this.tracer.startSpan(
      clipText(spec.spanName),
      { kind: spec.spanKind, attributes: boundAttributes(spec.attributes), startTime: startMs },
      parentContextOf(parent, root),
    );
    if (parent === undefined) checkSetUp(span, contextStorageRegistered());
    const run = new RunRecord(spec.kind, spec.name, startMs, root, span, span, parent, spec.details);
    if (parent === undefined && spec.kind === "agent") root.span = span;
    if (spec.activate && this.settings.awaitCallbacks) {
      const execution = currentExecution();
      const previous = startingContext(execution);
      if (enterContext(childContextOf(run), previous, run.agent, root, execution)) run.restore = previous;
    }
    this.runs.add(spec.id, run);
    return run;
  }

  /** The open run `runId`, if tracked. */
  get(runId: unknown): RunRecord | undefined {
    return this.runs.get(runId);
  }

  /** Stops tracking an ending run (of `expected` kind, if given) and returns it; undefined if unknown. */
  finish(runId: unknown, expected?: RunKind): RunRecord | undefined {
    const run = this.runs.get(runId);
    if (run === undefined) return undefined;
    if (expected !== undefined && run.kind !== expected) return undefined;
    this.runs.delete(runId as string);
    // Awaited callbacks run in the ending run's own async context: put back what was active before
    // the run's span was entered, so nothing that settles after it (the caller's await) inherits it.
    if (run.restore !== undefined) restoreContext(run.restore);
    return run;
  }

  /**
   * Runs `body`, which reads an ended run's output and ends the run. The output can be anything
   * (a getter that throws, a Proxy): if reading it fails, the run is ended all the same, without
   * it, and the error goes on to the callback guard. A span is never left open.
   */
  ending(run: RunRecord, body: () => void): void {
    try {
      body();
    } catch (error) {
      if (run.span?.isRecording() === true) this.end(run, undefined);
      throw error;
    }
  }

  /** Ends a finished run: `error` undefined means success; LangGraph control flow ends it OK with an event; a cancellation UNSET with one. */
  end(run: RunRecord, error: unknown, outputs?: unknown): void {
    const span = run.span;
    if (span === undefined) return;
    const endMs = nowMs();
    const outcome: RunOutcome = {
      error: undefined,
      errorType: "",
      controlFlow: undefined,
      signal: undefined,
      cancelled: false,
      endMs,
      seconds: Math.max(0, (endMs - run.startMs) / 1000),
      outputs: error === undefined ? outputs : undefined,
    };
    if (error !== undefined && isControlFlow(error)) {
      outcome.controlFlow = controlFlowKind(error);
      outcome.signal = error;
      span.addEvent(EVENT.controlFlow, { [ATTR.controlFlow]: outcome.controlFlow }, endMs);
      span.setAttribute(ATTR.controlFlow, outcome.controlFlow);
      span.setStatus({ code: SpanStatusCode.OK });
    } else if (error !== undefined) {
      const ending = cancellationOf(run, error);
      if (ending.cancelled) {
        // Status stays UNSET: the OTel API spec reserves OK for an explicit success set by the
        // app (instrumentation SHOULD NOT set it), and a cancellation is not a failure either.
        outcome.cancelled = true;
        span.setAttribute(ATTR.cancelled, true);
        span.addEvent(EVENT.cancelled, { [ATTR.cancellationReason]: errorMessage(error) }, endMs);
      } else {
        outcome.error = error;
        outcome.errorType = ending.errorType;
        span.recordException(exceptionOf(error, outcome.errorType), endMs);
        span.setAttribute(ATTR.errorType, outcome.errorType);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      }
    }
    noteNodeEnd(run, outcome.errorType);
    if (outcome.cancelled) this.settings.onCancelled(run);
    const hooks = this.hooks.get(run.kind);
    hooks?.closing?.(run, span, outcome);
    span.end(endMs);
    hooks?.closed?.(run, span, outcome);
  }

  /** Stops and ends a model or tool call that a run guard aborts, with the guard's error. */
  abort(runId: unknown): Error | undefined {
    const run = this.runs.get(runId);
    const error = run?.root.abort;
    if (run === undefined || error === undefined || (run.kind !== "llm" && run.kind !== "tool")) return undefined;
    this.finish(runId);
    this.end(run, error);
    return error;
  }

  /** Stops the periodic TTL sweep. */
  close(): void {
    this.runs.close();
  }

  private evict(run: RunRecord, now: number): void {
    this.settings.onEvicted();
    if (run.span !== undefined) {
      run.span.setAttribute(ATTR.evicted, true);
      run.span.end(now);
    }
    this.hooks.get(run.kind)?.evicted?.(run);
  }
}
