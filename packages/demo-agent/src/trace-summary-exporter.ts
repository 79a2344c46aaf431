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
function note(span: ReadableSpan): string {
  const a = span.attributes;
  const parts: string[] = [];
  if (a["gen_ai.usage.input_tokens"] !== undefined)
    parts.push(`tokens ${a["gen_ai.usage.input_tokens"]}→${a["gen_ai.usage.output_tokens"]}`);
  if (a["gen_ai.response.time_to_first_chunk"] !== undefined)
    parts.push(`ttft ${Math.round(Number(a["gen_ai.response.time_to_first_chunk"]) * 1000)}ms`);
  if (a["agentwatch.retrieval.document_count"] !== undefined) parts.push(`${a["agentwatch.retrieval.document_count"]} docs`);
  if (a["error.type"] !== undefined) parts.push(`ERROR ${a["error.type"]}`);
  if (a["agentwatch.control_flow"] !== undefined) parts.push(`${a["agentwatch.control_flow"]}`);
  return parts.length > 0 ? `  (${parts.join(", ")})` : "";
}

/**
 * Prints each finished trace as an indented tree, one line a span, once its root span ends: the
 * demo's default when no OTLP endpoint is configured, so traces are visible at once.
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
        this.print(traceId, list, span);
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
    const walk = (s: ReadableSpan, depth: number) => {
      this.write(`${"  ".repeat(depth + 1)}${s.name}  ${ms(s).toFixed(1)}ms${note(s)}`);
      for (const c of (children.get(s.spanContext().spanId) ?? []).sort((a, b) => startOf(a) - startOf(b))) walk(c, depth + 1);
    };
    walk(root, 0);
  }
}
