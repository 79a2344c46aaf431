import { ATTR } from "@agentwatch/middleware";
import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/**
 * A span processor that watches how long spans stay open, by the wall clock (`performance.now()`
 * when the SDK starts and ends them, not the timestamps the handler writes on them).
 */
export class SpanLedger implements SpanProcessor {
  started = 0;
  ended = 0;
  /** Spans ended by eviction (`agentwatch.run.evicted`). */
  evicted = 0;
  /** The longest any span was open, whether it has ended or not (as of the last {@link scan}). */
  maxOpenMs = 0;
  /** Name of that span. */
  maxOpenName = "";
  /** Open spans by span id, in start order, with their wall-clock start. */
  private readonly open = new Map<string, { startMs: number; name: string }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  get openCount(): number {
    return this.open.size;
  }

  onStart(span: Span, _parentContext: Context): void {
    this.started++;
    this.open.set(span.spanContext().spanId, { startMs: this.now(), name: span.name });
  }

  onEnd(span: ReadableSpan): void {
    const id = span.spanContext().spanId;
    const entry = this.open.get(id);
    this.ended++;
    if (span.attributes[ATTR.evicted] === true) this.evicted++;
    if (entry === undefined) return;
    this.open.delete(id);
    this.observe(this.now() - entry.startMs, entry.name);
  }

  /** Takes the age of the oldest open span into {@link maxOpenMs}; returns the spans open longer than `limitMs`. */
  scan(limitMs: number): number {
    const now = this.now();
    let overdue = 0;
    for (const entry of this.open.values()) {
      const age = now - entry.startMs;
      if (overdue === 0) this.observe(age, entry.name);
      if (age <= limitMs) break;
      overdue++;
    }
    return overdue;
  }

  private observe(ms: number, name: string): void {
    if (ms <= this.maxOpenMs) return;
    this.maxOpenMs = ms;
    this.maxOpenName = name;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
