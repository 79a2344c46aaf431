import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

/**
 * An in-memory span exporter that keeps finished spans by trace id until the runner takes a
 * sample's trace, so memory stays bounded by the samples in flight, not the dataset.
 */
type ExportCallback = Parameters<SpanExporter["export"]>[1];

export class TraceStore implements SpanExporter {
  private readonly traces = new Map<string, ReadableSpan[]>();

  export(spans: ReadableSpan[], done: ExportCallback): void {
    for (const span of spans) {
      const id = span.spanContext().traceId;
      const list = this.traces.get(id);
      if (list === undefined) this.traces.set(id, [span]);
      else list.push(span);
    }
    done({ code: 0 });
  }

  /** The spans of one trace, forgotten here. */
  take(traceId: string): ReadableSpan[] {
    const spans = this.traces.get(traceId) ?? [];
    this.traces.delete(traceId);
    return spans;
  }

  async shutdown(): Promise<void> {
    this.traces.clear();
  }

  async forceFlush(): Promise<void> {}
}
