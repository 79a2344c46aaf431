/**
 * The one place agentwatch uses a private OpenTelemetry API.
 *
 * LangChain gives callback handlers no way to wrap a tool, node or model body in
 * `context.with(...)`. To make the span of a run active inside that body (so that user spans and
 * instrumented HTTP / SDK spans nest under it), the synchronous start hook enters the span's
 * context into the current async execution with `AsyncLocalStorage#enterWith` on the storage of
 * OpenTelemetry's `AsyncLocalStorageContextManager`. LangChain calls the hook after the run's
 * own first `await`, so the context stays inside that run and never reaches its caller.
 * Without that context manager (none registered, or another kind) this does nothing.
 */
import { type Context, context } from "@opentelemetry/api";

interface EnterableStorage {
  enterWith(store: unknown): void;
  getStore(): unknown;
}

function storage(): EnterableStorage | undefined {
  const api = context as unknown as { _getContextManager?: () => unknown };
  const manager = api._getContextManager?.() as { _asyncLocalStorage?: Partial<EnterableStorage> } | undefined;
  const als = manager?._asyncLocalStorage;
  return typeof als?.enterWith === "function" && typeof als.getStore === "function" ? (als as EnterableStorage) : undefined;
}

/** Makes `ctx` the active context for the rest of the current async execution. Returns whether it could. */
export function enterContext(ctx: Context): boolean {
  const als = storage();
  if (als === undefined) return false;
  als.enterWith(ctx);
  return true;
}
