import { describe, expect, it } from "vitest";

import { faroFeedback, FaroPayloadError, frontendErrorKind, MAX_FARO_ITEMS, parseFaroPayload } from "../src/faro-payload.js";

const ts = "2026-01-02T03:04:05.678Z";
const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const meta = { app: { name: "acme-support-chat", version: "0.1.0" }, session: { id: "s1" }, sdk: { name: "faro-web-sdk" } };

/** A payload as Faro's fetch transport sends it. */
const faroPayload = () => ({
  meta,
  events: [
    { name: "session_start", domain: "browser", timestamp: ts, attributes: {} },
    {
      name: "feedback",
      domain: "browser",
      timestamp: ts,
      attributes: { trace_id: traceId, rating: "down" },
      trace: { trace_id: traceId, span_id: "00f067aa0ba902b7" },
    },
  ],
  exceptions: [
    {
      type: "TypeError",
      value: "x is undefined",
      timestamp: ts,
      stacktrace: { frames: [{ filename: "chat-page.js", function: "f", lineno: 1 }] },
    },
  ],
  logs: [{ message: "hello", level: "info", timestamp: ts, context: { a: "b" } }],
  measurements: [{ type: "web-vitals", values: { lcp: 120.5 }, timestamp: ts }],
  traces: { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [] }] },
});

function refused(body: unknown): FaroPayloadError {
  try {
    faroFeedback(parseFaroPayload(body));
  } catch (error) {
    if (error instanceof FaroPayloadError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe("Faro payload validation", () => {
  it("accepts Faro's transport body and reads its feedback events", () => {
    const payload = parseFaroPayload(faroPayload());
    expect(payload.events.map((e) => e.name)).toEqual(["session_start", "feedback"]);
    expect(payload.exceptions[0]?.type).toBe("TypeError");
    expect(payload.traces?.resourceSpans).toHaveLength(1);
    expect(faroFeedback(payload)).toEqual([{ traceId, score: 0, alreadyRecorded: false }]);
  });

  it("accepts a payload with only meta, and ignores unknown fields", () => {
    const payload = parseFaroPayload({ meta: {}, somethingNew: [1] });
    expect(payload).toEqual({ meta: {}, events: [], exceptions: [], logs: [], measurements: [] });
  });

  it("reads score, comment and already_recorded from feedback events", () => {
    const payload = parseFaroPayload({
      meta,
      events: [
        { name: "feedback", timestamp: ts, attributes: { trace_id: traceId.toUpperCase(), score: "0.75", comment: "ok" } },
        { name: "feedback", timestamp: ts, attributes: { trace_id: traceId, rating: "up", already_recorded: "true" } },
      ],
    });
    expect(faroFeedback(payload)).toEqual([
      { traceId, score: 0.75, comment: "ok", alreadyRecorded: false },
      { traceId, score: 1, alreadyRecorded: true },
    ]);
  });

  const cases: [string, (p: ReturnType<typeof faroPayload>) => unknown, string][] = [
    ["a string body", () => "hello", "body"],
    ["an array body", () => [faroPayload()], "body"],
    ["null", () => null, "body"],
    ["no meta", ({ meta: _meta, ...rest }) => rest, "meta"],
    ["meta as a string", (p) => ({ ...p, meta: "m" }), "meta"],
    ["meta.app not an object", (p) => ({ ...p, meta: { app: 1 } }), "meta.app"],
    ["meta.session.id not a string", (p) => ({ ...p, meta: { session: { id: 7 } } }), "meta.session.id"],
    ["events as an object", (p) => ({ ...p, events: { name: "x" } }), "events"],
    ["an event that is not an object", (p) => ({ ...p, events: [p.events[0], "feedback"] }), "events[1]"],
    ["an event without a name", (p) => ({ ...p, events: [{ timestamp: ts }] }), "events[0].name"],
    ["an event with a bad timestamp", (p) => ({ ...p, events: [{ name: "x", timestamp: "yesterday" }] }), "events[0].timestamp"],
    ["a non-string attribute", (p) => ({ ...p, events: [{ name: "x", timestamp: ts, attributes: { n: 1 } }] }), "events[0].attributes.n"],
    ["a bad trace context", (p) => ({ ...p, events: [{ name: "x", timestamp: ts, trace: { trace_id: 1 } }] }), "events[0].trace.trace_id"],
    ["too many events", (p) => ({ ...p, events: Array.from({ length: MAX_FARO_ITEMS + 1 }, () => p.events[0]) }), "events"],
    ["an exception without a type", (p) => ({ ...p, exceptions: [{ value: "v", timestamp: ts }] }), "exceptions[0].type"],
    [
      "an exception with frames not a list",
      (p) => ({ ...p, exceptions: [{ type: "Error", value: "v", timestamp: ts, stacktrace: { frames: {} } }] }),
      "exceptions[0].stacktrace.frames",
    ],
    ["a log with a numeric message", (p) => ({ ...p, logs: [{ message: 5, level: "info", timestamp: ts }] }), "logs[0].message"],
    [
      "a measurement with a string value",
      (p) => ({ ...p, measurements: [{ type: "t", values: { lcp: "fast" }, timestamp: ts }] }),
      "measurements[0].values.lcp",
    ],
    ["traces as a list", (p) => ({ ...p, traces: [] }), "traces"],
    ["traces.resourceSpans not a list", (p) => ({ ...p, traces: { resourceSpans: {} } }), "traces.resourceSpans"],
    [
      "feedback without a trace id",
      (p) => ({ ...p, events: [{ name: "feedback", timestamp: ts, attributes: { rating: "up" } }] }),
      "events[0].attributes.trace_id",
    ],
    [
      "feedback with a short trace id",
      (p) => ({ ...p, events: [{ name: "feedback", timestamp: ts, attributes: { trace_id: "abc", rating: "up" } }] }),
      "events[0].attributes.trace_id",
    ],
    [
      "feedback with an unknown rating",
      (p) => ({ ...p, events: [{ name: "feedback", timestamp: ts, attributes: { trace_id: traceId, rating: "meh" } }] }),
      "events[0].attributes.rating",
    ],
    [
      "feedback with a score out of range",
      (p) => ({ ...p, events: [{ name: "feedback", timestamp: ts, attributes: { trace_id: traceId, score: "2" } }] }),
      "events[0].attributes.score",
    ],
  ];
  it.each(cases)("refuses %s, naming %s", (_what, make, field) => {
    const error = refused(make(faroPayload()));
    expect(error.field).toBe(field);
    expect(error.message).toContain(field === "body" ? "JSON object" : field);
  });

  it("bounds the error kind label", () => {
    expect(frontendErrorKind("TypeError")).toBe("TypeError");
    expect(frontendErrorKind("UnhandledRejection")).toBe("UnhandledRejection");
    expect(frontendErrorKind("MyVeryOwnError-1234")).toBe("other");
  });
});
