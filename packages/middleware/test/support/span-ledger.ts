import type { Context } from "@opentelemetry/api";
import { BasicTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

import { installContextManager } from "./otel.js";

/**
 * A span processor that keeps every span a provider started, and which of them have not ended:
 * what a leak test needs (the in-memory exporter only ever sees ended spans).
 */
export class SpanLedger implements SpanProcessor {
  /** Spans started and not (yet) ended. */
  readonly open = new Set<ReadableSpan>();
  /** Ended spans, in end order. */
  readonly ended: ReadableSpan[] = [];
  started = 0;

  onStart(span: Span, _parentContext: Context): void {
    this.started++;
    this.open.add(span);
  }

  onEnd(span: ReadableSpan): void {
    this.open.delete(span);
    this.ended.push(span);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A private tracer provider whose spans are all kept in a {@link SpanLedger}. */
export function ledgerTracing(): { provider: BasicTracerProvider; ledger: SpanLedger } {
  installContextManager();
  const ledger = new SpanLedger();
  return { provider: new BasicTracerProvider({ spanProcessors: [ledger] }), ledger };
}
