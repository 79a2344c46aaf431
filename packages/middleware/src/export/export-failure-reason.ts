import type { SpanExportFailureReason } from "./types.js";

/** Every value {@link exportFailureReason} returns: the `reason` label is bounded by this list. */
export const SPAN_EXPORT_FAILURE_REASONS: readonly SpanExportFailureReason[] = [
  "timeout",
  "connection_refused",
  "connection_error",
  "http_4xx",
  "http_5xx",
  "http_retryable",
  "concurrency_limit",
  "other",
];

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"]);

interface ErrorLike {
  code?: unknown;
  status?: unknown;
  name?: unknown;
  message?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/**
 * Why an export failed, as one of a fixed set of values, from the error an exporter reports
 * (shapes of the OTLP exporters: Node network error codes, `OTLPExporterError` with the HTTP
 * status as `code`, the messages of their request timeout, retry give-up and concurrency limit).
 */
export function exportFailureReason(error: unknown): SpanExportFailureReason {
  return reasonOf(error, 0);
}

function reasonOf(error: unknown, depth: number): SpanExportFailureReason {
  if (typeof error !== "object" || error === null || depth > 3) return "other";
  const e = error as ErrorLike;
  const status = typeof e.code === "number" ? e.code : e.status;
  if (typeof status === "number" && status >= 400 && status < 600) return status < 500 ? "http_4xx" : "http_5xx";
  if (e.code === "ECONNREFUSED") return "connection_refused";
  if (typeof e.code === "string" && TIMEOUT_CODES.has(e.code)) return "timeout";
  if (typeof e.code === "string" && CONNECTION_CODES.has(e.code)) return "connection_error";
  const message = typeof e.message === "string" ? e.message : "";
  if (e.name === "TimeoutError" || /\btimed? ?out\b|\btimeout\b/i.test(message)) return "timeout";
  if (/retryable status/i.test(message)) return "http_retryable";
  if (/concurren\w* (export )?limit/i.test(message)) return "concurrency_limit";
  // A connection to a host with several addresses fails with an AggregateError; fetch wraps its cause.
  const inner = Array.isArray(e.errors) && e.errors.length > 0 ? e.errors[0] : e.cause;
  return inner === undefined ? "other" : reasonOf(inner, depth + 1);
}
