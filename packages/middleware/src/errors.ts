/** LangGraph errors that are control flow (bubble-up signals), not failures. */
const CONTROL_FLOW_NAMES = new Set(["GraphInterrupt", "NodeInterrupt", "ParentCommand", "GraphBubbleUp", "GraphDrained"]);

/** Whether `error` is LangGraph control flow: an interrupt (human in the loop), a parent command, ... */
export function isControlFlow(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { is_bubble_up?: unknown; name?: unknown };
  return e.is_bubble_up === true || (typeof e.name === "string" && CONTROL_FLOW_NAMES.has(e.name));
}

/** The control-flow kind of `error` (its class name), for span events. */
export function controlFlowKind(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : "GraphBubbleUp";
}

const SHORT_TOKEN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A low-cardinality `error.type`: an HTTP status, else a short error code (`ECONNRESET`,
 * `rate_limit_exceeded`), else the error's class name, else `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (typeof error !== "object" || error === null) return typeof error === "string" ? "Error" : "_OTHER";
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
  const message = error instanceof Error ? error.message : typeof error === "string" ? error : "error";
  return message.length > 512 ? `${message.slice(0, 512)}…` : message;
}
