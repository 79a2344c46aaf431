// Reading OTLP JSON traces as Tempo's API (`/api/traces/<id>`: `{batches}` or `{trace: {resourceSpans}}`)
// and the OTLP file exporters (one ExportTraceServiceRequest `{resourceSpans}` per line) return them,
// into flat spans with plain attribute values.

/** One span, its attributes decoded. */
export interface TraceSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Start, in Unix nanoseconds (as a bigint: 19 digits do not fit a double). */
  start: bigint;
  attributes: Record<string, unknown>;
}

export class TraceFormatError extends Error {
  override readonly name = "TraceFormatError";
}

/** The spans of every trace in `text` (one JSON document, or JSON lines). */
export function parseOtlpJson(text: string, source = "trace"): TraceSpan[] {
  const documents: unknown[] = [];
  try {
    documents.push(JSON.parse(text));
  } catch {
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      try {
        documents.push(JSON.parse(line));
      } catch (error) {
        throw new TraceFormatError(
          `${source} line ${i + 1} is not JSON (${(error as Error).message}): give OTLP JSON, as Tempo's /api/traces/<id> or an OTLP file exporter writes it`,
        );
      }
    });
  }
  const spans: TraceSpan[] = [];
  for (const document of documents) {
    const resourceSpans = resourceSpansOf(document);
    if (resourceSpans === undefined) {
      throw new TraceFormatError(
        `${source} has no resourceSpans (nor Tempo's batches or trace.resourceSpans): give OTLP JSON, as Tempo's /api/traces/<id> or an OTLP file exporter writes it`,
      );
    }
    for (const rs of resourceSpans) {
      const scopes = array(field(rs, "scopeSpans") ?? field(rs, "instrumentationLibrarySpans"));
      for (const scope of scopes) for (const span of array(field(scope, "spans"))) spans.push(decodeSpan(span));
    }
  }
  return spans;
}

function resourceSpansOf(document: unknown): unknown[] | undefined {
  const direct = field(document, "resourceSpans") ?? field(document, "batches") ?? field(field(document, "trace"), "resourceSpans");
  return Array.isArray(direct) ? direct : undefined;
}

function decodeSpan(span: unknown): TraceSpan {
  const attributes: Record<string, unknown> = {};
  for (const kv of array(field(span, "attributes"))) {
    const key = field(kv, "key");
    if (typeof key === "string") attributes[key] = anyValue(field(kv, "value"));
  }
  const parent = str(field(span, "parentSpanId"));
  const start = str(field(span, "startTimeUnixNano")) ?? "0";
  return {
    traceId: str(field(span, "traceId")) ?? "",
    spanId: str(field(span, "spanId")) ?? "",
    parentSpanId: parent === undefined || parent === "" ? undefined : parent,
    name: str(field(span, "name")) ?? "",
    start: /^\d+$/.test(start) ? BigInt(start) : 0n,
    attributes,
  };
}

/** An OTLP AnyValue as a plain value. */
function anyValue(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  if ("doubleValue" in v) return Number(v.doubleValue);
  if ("arrayValue" in v) return array(field(v.arrayValue, "values")).map(anyValue);
  if ("kvlistValue" in v) {
    const out: Record<string, unknown> = {};
    for (const kv of array(field(v.kvlistValue, "values"))) {
      const key = field(kv, "key");
      if (typeof key === "string") out[key] = anyValue(field(kv, "value"));
    }
    return out;
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}
