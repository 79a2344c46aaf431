import { clipText, MAX_NAME_LENGTH } from "./values.js";

/** LangGraph errors that are control flow (bubble-up signals), not failures. */
const CONTROL_FLOW_NAMES = new Set(["GraphInterrupt", "NodeInterrupt", "ParentCommand", "GraphBubbleUp", "GraphDrained"]);

/**
 * `read(error)`, or `fallback` if reading throws. Errors come from anywhere: a getter that throws,
 * or a Proxy, must not stop a run's span from ending.
 */
function safely<T>(error: unknown, read: (e: unknown) => T, fallback: T): T {
  try {
    return read(error);
  } catch {
    return fallback;
  }
}

/** Whether `error` is LangGraph control flow: an interrupt (human in the loop), a parent command, ... */
export function isControlFlow(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return safely(
    error,
    (err) => {
      const e = err as { is_bubble_up?: unknown; name?: unknown };
      return e.is_bubble_up === true || (typeof e.name === "string" && CONTROL_FLOW_NAMES.has(e.name));
    },
    false,
  );
}

/**
 * Whether `error` says its run was cancelled (the caller aborted it), not that it failed: an
 * `AbortError` (what `AbortController.abort()` with no reason, a consumer that stops reading a
 * LangGraph stream, `fetch` and Node's own APIs reject with). A `TimeoutError` (a `timeout`,
 * `AbortSignal.timeout`, a step timeout) is the service's own deadline: a failure, not this.
 */
export function isCancellation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return safely(error, (e) => (e as { name?: unknown }).name === "AbortError", false);
}

/**
 * Whether `error` is the plain `Error("Abort")` LangGraph ends a graph run with when its signal
 * aborted, whatever the signal's reason (runs/cancellation.ts decides what it means).
 */
export function isLangGraphAbort(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return safely(
    error,
    (err) => {
      const e = err as { name?: unknown; message?: unknown };
      return e.name === "Error" && e.message === "Abort";
    },
    false,
  );
}

/** The control-flow kind of `error` (its class name), for span events. */
export function controlFlowKind(error: unknown): string {
  const name = safely(error, (e) => (e as { name?: unknown } | null)?.name, undefined);
  return typeof name === "string" && SHORT_TOKEN.test(name) ? name : "GraphBubbleUp";
}

const SHORT_TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The control-flow kinds that pause a run for a human (`interrupt()`, `NodeInterrupt`); a `ParentCommand` is a handoff, not one. */
const INTERRUPT_KINDS = new Set(["GraphInterrupt", "NodeInterrupt"]);

/** Whether a control-flow kind (see {@link controlFlowKind}) is a human-in-the-loop interrupt. */
export function isInterruptKind(kind: string | undefined): boolean {
  return kind !== undefined && INTERRUPT_KINDS.has(kind);
}

/**
 * A low-cardinality `error.type`: an HTTP status, else a short error code (`ECONNRESET`,
 * `rate_limit_exceeded`), else the error's class name, else `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (typeof error !== "object" || error === null) return typeof error === "string" ? "Error" : "_OTHER";
  return safely(error, readErrorType, "Error");
}

function readErrorType(error: unknown): string {
  const e = error as { status?: unknown; statusCode?: unknown; code?: unknown; name?: unknown; constructor?: { name?: unknown } };
  const status = e.status ?? e.statusCode;
  if (typeof status === "number" && status >= 400 && status < 600) return String(status);
  if (typeof e.code === "string" && SHORT_TOKEN.test(e.code)) return e.code;
  if (typeof e.name === "string" && e.name !== "Error" && SHORT_TOKEN.test(e.name)) return e.name;
  const ctor = e.constructor?.name;
  if (typeof ctor === "string" && ctor !== "Object" && SHORT_TOKEN.test(ctor)) return ctor;
  return "Error";
}

/** A message for span status, bounded in length. */
export function errorMessage(error: unknown): string {
  const message = safely(error, (e) => (e instanceof Error ? e.message : e), undefined);
  return typeof message === "string" ? clipText(message, MAX_MESSAGE_LENGTH) : "error";
}

const MAX_MESSAGE_LENGTH = 512;
const MAX_STACK_LENGTH = 4096;

/**
 * `error` as the exception a span records (`exception.type`, `.message`, `.stacktrace`), read
 * once, safely, and bounded in length: an error message can quote a whole prompt.
 */
export function exceptionOf(error: unknown, type: string): { name: string; message: string; stack?: string } {
  const exception: { name: string; message: string; stack?: string } = { name: type, message: errorMessage(error) };
  if (!safely(error, (e) => e instanceof Error, false)) return exception;
  const e = error as Error & { code?: unknown };
  // OpenTelemetry's own recordException takes the type from `code`, else `name`: keep that.
  const name = safely(e, () => (e.code ? String(e.code) : e.name), undefined);
  if (typeof name === "string" && name !== "") exception.name = clipText(name, MAX_NAME_LENGTH);
  const stack = safely(e, () => e.stack, undefined);
  if (typeof stack === "string") exception.stack = clipText(stack, MAX_STACK_LENGTH);
  return exception;
}
