import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

const MAX_PENDING_TRACES = 1000;

function ms(span: ReadableSpan): number {
  return span.duration[0] * 1000 + span.duration[1] / 1e6;
}

function startOf(span: ReadableSpan): number {
  return span.startTime[0] * 1e3 + span.startTime[1] / 1e6;
}

/** A short, human-readable note of the attributes that matter most on each kind of span. */
function note(span: ReadableSpan, causeType?: string): string {
  const a = span.attributes;
  const parts: string[] = [];
  const status = a["http.response.status_code"];
  if (typeof status === "number" && status >= 400) parts.push(`HTTP ${status}`);
  if (a["gen_ai.usage.input_tokens"] !== undefined)
    parts.push(`tokens ${a["gen_ai.usage.input_tokens"]}→${a["gen_ai.usage.output_tokens"]}`);
  if (a["gen_ai.response.time_to_first_chunk"] !== undefined)
    parts.push(`ttft ${Math.round(Number(a["gen_ai.response.time_to_first_chunk"]) * 1000)}ms`);
  if (a["agentwatch.retrieval.document_count"] !== undefined) parts.push(`${a["agentwatch.retrieval.document_count"]} docs`);
  if (a["error.type"] !== undefined) parts.push(`ERROR ${a["error.type"]}`);
  else if (causeType !== undefined) parts.push(`ERROR ${causeType}`);
  if (a["agentwatch.control_flow"] !== undefined) parts.push(`${a["agentwatch.control_flow"]}`);
  return parts.length > 0 ? `  (${parts.join(", ")})` : "";
}

/** The `error.type` of the first failed span of `spans` (in start order), if any. */
function firstErrorType(spans: readonly ReadableSpan[]): string | undefined {
  const failed = spans.filter((s) => s.attributes["error.type"] !== undefined).sort((a, b) => startOf(a) - startOf(b));
  return failed[0] === undefined ? undefined : String(failed[0].attributes["error.type"]);
}

/**
 * Prints each finished request's trace as an indented tree, one line a span, once its root span
 * ends: the demo's default when no OTLP endpoint is configured, so traces are visible at once.
 * Only traces rooted in a request (a SERVER span) are printed: work that is no request, such as
 * indexing the knowledge base at start-up, is left out. A failed span's line starts with ✗; the
 * root's line also says the HTTP status and the error type of the first failed span under it.
 */
export class TraceSummaryExporter implements SpanExporter {
  private readonly pending = new Map<string, ReadableSpan[]>();

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      const list = this.pending.get(traceId) ?? [];
      list.push(span);
      this.pending.set(traceId, list);
      if (span.parentSpanContext === undefined || span.parentSpanContext.isRemote) {
        this.pending.delete(traceId);
        if (span.kind === SpanKind.SERVER) this.print(traceId, list, span);
      }
    }
    while (this.pending.size > MAX_PENDING_TRACES) {
      const oldest = this.pending.keys().next().value as string;
      this.pending.delete(oldest);
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {
    this.pending.clear();
  }

  async forceFlush(): Promise<void> {}

  private print(traceId: string, spans: ReadableSpan[], root: ReadableSpan): void {
    const children = new Map<string, ReadableSpan[]>();
    for (const s of spans) {
      const parent = s.parentSpanContext?.spanId;
      if (parent === undefined || s === root) continue;
      const list = children.get(parent) ?? [];
      list.push(s);
      children.set(parent, list);
    }
    this.write(`trace ${traceId}`);
    const cause = root.status.code === SpanStatusCode.ERROR ? firstErrorType(spans) : undefined;
    const walk = (s: ReadableSpan, depth: number) => {
      const mark = s.status.code === SpanStatusCode.ERROR ? "✗ " : "";
      this.write(`${"  ".repeat(depth + 1)}${mark}${s.name}  ${ms(s).toFixed(1)}ms${note(s, s === root ? cause : undefined)}`);
      for (const c of (children.get(s.spanContext().spanId) ?? []).sort((a, b) => startOf(a) - startOf(b))) walk(c, depth + 1);
    };
    walk(root, 0);
  }
}
