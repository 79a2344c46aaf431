import { type Span, type SpanContext, SpanStatusCode } from "@opentelemetry/api";

import { isResumeCommand } from "../langchain/commands.js";
import { isInterruptKind } from "../langchain/error-info.js";
import { ATTR, EVENT, LINK_TYPE } from "../semconv.js";
import { nowMs } from "../util/clock.js";
import type { RunOutcome } from "./lifecycle.js";
import type { RunRecord } from "./run-record.js";

/** How long an interrupted run waits for its resume to link to it: a person may answer the next day. */
export const RESUME_LINK_TTL_MS = 24 * 60 * 60_000;

/**
 * Human-in-the-loop interrupts on the root span, and the link from a resume to what it resumes.
 *
 * A run paused by an interrupt (`interrupt()`, `NodeInterrupt`) ends its root `invoke_agent` span
 * OK with `agentwatch.interrupted=true` and an `agentwatch.interrupted` event, and its span
 * context is kept by thread (`gen_ai.conversation.id`). The run that resumes it
 * (`new Command({ resume })` on the same thread) says `agentwatch.resumed=true` and, if the
 * interrupted run ended in this process, links to its root span (`agentwatch.link.type=resumes`).
 * Only span contexts are kept (no span, no state), at most `maxEntries` of them (the oldest go
 * first) and for {@link RESUME_LINK_TTL_MS}; a resume takes its entry out. Across processes or
 * replicas there is no link: both traces carry the same `gen_ai.conversation.id` (README).
 */
export class InterruptLinks {
  /** Thread id → the interrupted root span and when it ended; in insertion order, so the oldest come first. */
  private readonly byThread = new Map<string, { context: SpanContext; atMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number = RESUME_LINK_TTL_MS,
  ) {}

  /** A root run started with `inputs`: a resume is marked and linked to the run it resumes, when that ended here. */
  rootStarted(run: RunRecord, inputs: unknown): void {
    const span = run.span;
    if (span === undefined || !isResumeCommand(inputs)) return;
    span.setAttribute(ATTR.resumed, true);
    const thread = run.root.conversationId;
    const interrupted = thread === undefined ? undefined : this.take(thread, nowMs());
    if (interrupted !== undefined) span.addLink({ context: interrupted, attributes: { [ATTR.linkType]: LINK_TYPE.resumes } });
  }

  /** A root run is ending (its span still open): an interrupted one is marked and remembered for its resume. */
  rootClosing(run: RunRecord, span: Span, outcome: RunOutcome): void {
    if (!run.root.interrupted && !isInterruptKind(outcome.controlFlow)) return;
    span.setAttribute(ATTR.interrupted, true);
    span.setStatus({ code: SpanStatusCode.OK });
    span.addEvent(EVENT.interrupted, outcome.endMs);
    const thread = run.root.conversationId;
    if (thread !== undefined) this.remember(thread, span.spanContext(), outcome.endMs);
  }

  private remember(thread: string, context: SpanContext, atMs: number): void {
    this.byThread.delete(thread);
    this.byThread.set(thread, { context: { traceId: context.traceId, spanId: context.spanId, traceFlags: context.traceFlags }, atMs });
    for (const [key, entry] of this.byThread) {
      if (this.byThread.size <= this.maxEntries && atMs - entry.atMs <= this.ttlMs) break;
      this.byThread.delete(key);
    }
  }

  private take(thread: string, now: number): SpanContext | undefined {
    const entry = this.byThread.get(thread);
    if (entry === undefined) return undefined;
    this.byThread.delete(thread);
    return now - entry.atMs <= this.ttlMs ? entry.context : undefined;
  }
}
