/**
 * Validation of Grafana Faro's transport payload (what `@grafana/faro-web-sdk`'s fetch transport
 * POSTs to a collector): `{ meta, events?, exceptions?, logs?, measurements?, traces? }`.
 * Only the fields this server reads or relies on are checked; unknown fields are ignored, as
 * Grafana Alloy's faro.receiver ignores them.
 */

/** A payload is refused; `field` names the first bad field (`events[2].attributes.rating`). */
export class FaroPayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "FaroPayloadError";
  }
}

export interface FaroTraceContext {
  trace_id: string;
  span_id: string;
}

export interface FaroEvent {
  name: string;
  timestamp: string;
  domain?: string;
  attributes: Record<string, string>;
  trace?: FaroTraceContext;
}

export interface FaroException {
  type: string;
  value: string;
  timestamp: string;
  stacktrace?: { frames: Record<string, unknown>[] };
  context?: Record<string, string>;
  trace?: FaroTraceContext;
}

export interface FaroLog {
  message: string;
  level: string;
  timestamp: string;
  context?: Record<string, string>;
  trace?: FaroTraceContext;
}

export interface FaroMeasurement {
  type: string;
  values: Record<string, number>;
  timestamp: string;
  context?: Record<string, string>;
  trace?: FaroTraceContext;
}

/** A validated Faro payload; absent lists are empty. */
export interface FaroPayload {
  meta: Record<string, unknown>;
  events: FaroEvent[];
  exceptions: FaroException[];
  logs: FaroLog[];
  measurements: FaroMeasurement[];
  traces?: { resourceSpans: Record<string, unknown>[] };
}

/** At most this many items in each list of one payload (Faro batches 50 by default). */
export const MAX_FARO_ITEMS = 1000;
const MAX_NAME = 256;

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function object(value: unknown, field: string, what = "a JSON object"): Obj {
  if (!isObject(value)) throw new FaroPayloadError(field, `${field} must be ${what}, got ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === "object" ? "an object" : `the ${typeof value} ${String(value)}`}`;
}

function string(o: Obj, key: string, field: string, options: { max?: number; nonEmpty?: boolean } = {}): string {
  const v = o[key];
  const f = `${field}.${key}`;
  if (typeof v !== "string") throw new FaroPayloadError(f, `${f} must be a string, got ${v === undefined ? "nothing" : describe(v)}`);
  if (options.nonEmpty && v.trim() === "") throw new FaroPayloadError(f, `${f} must not be empty`);
  if (options.max !== undefined && v.length > options.max)
    throw new FaroPayloadError(f, `${f} is ${v.length} characters; at most ${options.max}`);
  return v;
}

function optionalString(o: Obj, key: string, field: string): string | undefined {
  return o[key] === undefined ? undefined : string(o, key, field);
}

function timestamp(o: Obj, field: string): string {
  const ts = string(o, "timestamp", field);
  if (Number.isNaN(Date.parse(ts)))
    throw new FaroPayloadError(`${field}.timestamp`, `${field}.timestamp must be an ISO 8601 date, got ${describe(ts)}`);
  return ts;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  const o = object(value, field, "an object of string values");
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== "string")
      throw new FaroPayloadError(`${field}.${k}`, `${field}.${k} must be a string (Faro sends string values), got ${describe(v)}`);
  }
  return o as Record<string, string>;
}

function optionalStringMap(o: Obj, key: string, field: string): Record<string, string> | undefined {
  return o[key] === undefined || o[key] === null ? undefined : stringMap(o[key], `${field}.${key}`);
}

function traceContext(o: Obj, field: string): FaroTraceContext | undefined {
  if (o.trace === undefined || o.trace === null) return undefined;
  const t = object(o.trace, `${field}.trace`);
  return { trace_id: string(t, "trace_id", `${field}.trace`), span_id: string(t, "span_id", `${field}.trace`) };
}

function list<T>(body: Obj, key: string, item: (o: Obj, field: string) => T): T[] {
  const v = body[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new FaroPayloadError(key, `${key} must be an array, got ${describe(v)}`);
  if (v.length > MAX_FARO_ITEMS)
    throw new FaroPayloadError(key, `${key} has ${v.length} items; send at most ${MAX_FARO_ITEMS} per payload`);
  return v.map((entry, i) => item(object(entry, `${key}[${i}]`), `${key}[${i}]`));
}

function withOptional<T extends object>(value: T, optional: Record<string, unknown>): T {
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (value as Record<string, unknown>)[k] = v;
  return value;
}

/** Validates a parsed Faro payload; throws a {@link FaroPayloadError} naming the bad field. */
export function parseFaroPayload(body: unknown): FaroPayload {
  if (!isObject(body)) {
    throw new FaroPayloadError("body", `body must be a JSON object like Faro's {"meta": {...}, "events": [...]}, got ${describe(body)}`);
  }
  const meta = object(body.meta, "meta");
  if (meta.app !== undefined) object(meta.app, "meta.app");
  if (meta.session !== undefined) optionalString(object(meta.session, "meta.session"), "id", "meta.session");

  const events = list(body, "events", (o, f) =>
    withOptional<FaroEvent>(
      {
        name: string(o, "name", f, { nonEmpty: true, max: MAX_NAME }),
        timestamp: timestamp(o, f),
        attributes: optionalStringMap(o, "attributes", f) ?? {},
      },
      { domain: optionalString(o, "domain", f), trace: traceContext(o, f) },
    ),
  );
  const exceptions = list(body, "exceptions", (o, f) => {
    let stacktrace: FaroException["stacktrace"];
    if (o.stacktrace !== undefined && o.stacktrace !== null) {
      const st = object(o.stacktrace, `${f}.stacktrace`);
      if (!Array.isArray(st.frames)) throw new FaroPayloadError(`${f}.stacktrace.frames`, `${f}.stacktrace.frames must be an array`);
      stacktrace = { frames: st.frames.map((frame, i) => object(frame, `${f}.stacktrace.frames[${i}]`)) };
    }
    return withOptional<FaroException>(
      { type: string(o, "type", f, { max: MAX_NAME }), value: string(o, "value", f), timestamp: timestamp(o, f) },
      { stacktrace, context: optionalStringMap(o, "context", f), trace: traceContext(o, f) },
    );
  });
  const logs = list(body, "logs", (o, f) =>
    withOptional<FaroLog>(
      { message: string(o, "message", f), level: string(o, "level", f, { max: MAX_NAME }), timestamp: timestamp(o, f) },
      { context: optionalStringMap(o, "context", f), trace: traceContext(o, f) },
    ),
  );
  const measurements = list(body, "measurements", (o, f) => {
    const values = object(o.values, `${f}.values`, "an object of numbers");
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new FaroPayloadError(`${f}.values.${k}`, `${f}.values.${k} must be a finite number, got ${describe(v)}`);
    }
    return withOptional<FaroMeasurement>(
      { type: string(o, "type", f, { max: MAX_NAME }), values: values as Record<string, number>, timestamp: timestamp(o, f) },
      { context: optionalStringMap(o, "context", f), trace: traceContext(o, f) },
    );
  });
  const payload: FaroPayload = { meta, events, exceptions, logs, measurements };
  if (body.traces !== undefined) {
    const traces = object(body.traces, "traces", 'an OTLP JSON object like {"resourceSpans": [...]}');
    let resourceSpans: Record<string, unknown>[] = [];
    if (traces.resourceSpans !== undefined) {
      if (!Array.isArray(traces.resourceSpans)) throw new FaroPayloadError("traces.resourceSpans", "traces.resourceSpans must be an array");
      resourceSpans = traces.resourceSpans.map((r, i) => object(r, `traces.resourceSpans[${i}]`));
    }
    payload.traces = { resourceSpans };
  }
  return payload;
}

/** A `feedback` event of the chat page, ready for `handler.recordFeedback`. */
export interface FaroFeedback {
  traceId: string;
  score: number;
  comment?: string;
  /** The page's POST /feedback was accepted already: the event is telemetry, not to be counted again. */
  alreadyRecorded: boolean;
}

/** The name of the chat page's feedback event. */
export const FEEDBACK_EVENT = "feedback";
const TRACE_ID = /^[0-9a-f]{32}$/i;

/**
 * The payload's `feedback` events (attributes `trace_id`, `rating` "up" | "down" or `score`
 * "0".."1", optional `comment`, `already_recorded` "true"); throws a {@link FaroPayloadError}
 * naming the bad attribute.
 */
export function faroFeedback(payload: FaroPayload): FaroFeedback[] {
  const out: FaroFeedback[] = [];
  payload.events.forEach((event, i) => {
    if (event.name !== FEEDBACK_EVENT) return;
    const f = `events[${i}].attributes`;
    const a = event.attributes;
    if (a.trace_id === undefined || !TRACE_ID.test(a.trace_id)) {
      throw new FaroPayloadError(`${f}.trace_id`, `${f}.trace_id must be the answer's trace id: 32 hex characters`);
    }
    let score: number;
    if (a.score !== undefined) {
      score = a.score.trim() === "" ? Number.NaN : Number(a.score);
      if (!(score >= 0 && score <= 1)) throw new FaroPayloadError(`${f}.score`, `${f}.score must be a number from 0 (bad) to 1 (good)`);
    } else if (a.rating === "up" || a.rating === "down") {
      score = a.rating === "up" ? 1 : 0;
    } else {
      throw new FaroPayloadError(`${f}.rating`, `${f}.rating must be "up" or "down" (or send ${f}.score from 0 to 1)`);
    }
    if (a.comment !== undefined && a.comment.length > 1000)
      throw new FaroPayloadError(`${f}.comment`, `${f}.comment must be at most 1000 characters`);
    const feedback: FaroFeedback = { traceId: a.trace_id.toLowerCase(), score, alreadyRecorded: a.already_recorded === "true" };
    if (a.comment !== undefined) feedback.comment = a.comment;
    out.push(feedback);
  });
  return out;
}

const ERROR_KINDS = new Set([
  "Error",
  "TypeError",
  "ReferenceError",
  "SyntaxError",
  "RangeError",
  "URIError",
  "EvalError",
  "AggregateError",
  "DOMException",
  "SecurityError",
  "NetworkError",
  "AbortError",
  "ChatError",
  "UnhandledRejection",
]);

/** A bounded `kind` label for an exception's `type` (a browser can send any text): known error names, else "other". */
export function frontendErrorKind(type: string): string {
  return ERROR_KINDS.has(type) ? type : "other";
}
