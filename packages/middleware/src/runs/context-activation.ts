/**
 * The one place agentwatch uses a private OpenTelemetry API.
 *
 * LangChain gives callback handlers no way to wrap a tool, node or model body in
 * `context.with(...)`. To make the span of a run active inside that body (so that user spans and
 * instrumented HTTP / SDK spans nest under it), the synchronous start hook enters the span's
 * context into the current async execution with `AsyncLocalStorage#enterWith` on the storage of
 * OpenTelemetry's `AsyncLocalStorageContextManager` (its private `_asyncLocalStorage`, reached
 * through the context API's private `_getContextManager`). LangChain calls the hook after the
 * run's own first `await`, so the entered context stays inside that run; the handler puts the
 * previous context back when the run ends. Two guards keep it from leaking:
 * - it never enters a context into the process's shared top-level execution (which is what
 *   promise continuations run in before Node's async hooks are enabled), and
 * - {@link enableContextTracking} turns the storage's async hooks on early, when the handler is
 *   made, so later executions get their own async resources.
 * Without that context manager (none registered, or another kind) this does nothing.
 */
import { executionAsyncId, executionAsyncResource } from "node:async_hooks";

import { type Context, context, createContextKey } from "@opentelemetry/api";

import { warnNoContextManager } from "./setup-warnings.js";

interface EnterableStorage {
  enterWith(store: unknown): void;
  getStore(): unknown;
}

/** The resource of the top-level execution, as seen when this module loaded. */
const TOP_LEVEL = executionAsyncResource();
const enabled = new WeakSet<EnterableStorage>();

function storage(): EnterableStorage | undefined {
  const api = context as unknown as { _getContextManager?: () => unknown };
  const manager = api._getContextManager?.() as { _asyncLocalStorage?: Partial<EnterableStorage> } | undefined;
  const als = manager?._asyncLocalStorage;
  return typeof als?.enterWith === "function" && typeof als.getStore === "function" ? (als as EnterableStorage) : undefined;
}

/** Whether `execution` (the current one's resource) is the process's shared top-level execution. */
function inSharedTopLevel(execution: object): boolean {
  return executionAsyncId() <= 1 || execution === TOP_LEVEL;
}

/** The resource of the current async execution (what {@link startingContext} and {@link enterContext} take). */
export const currentExecution: () => object = executionAsyncResource;

/** Whether the context manager this module needs (OpenTelemetry's AsyncLocalStorage one) is registered. */
export function contextStorageRegistered(): boolean {
  return storage() !== undefined;
}

/** Turns on the async hooks of the context storage (a no-op store change) so executions are tracked apart. */
export function enableContextTracking(): void {
  const als = storage();
  if (als === undefined || enabled.has(als)) return;
  als.enterWith(als.getStore());
  enabled.add(als);
}

/** What an entered context remembers: the context it replaced, the execution it was entered in, and the run's agent. */
interface Entry {
  previous: Context;
  execution: object;
  agent: string;
  /** The run's shared root state (opaque here). */
  root: unknown;
}

const ENTRY = createContextKey("agentwatch.entered");

/**
 * The context active where a run starts, minus contexts that sibling runs entered into this same
 * execution. LangChain starts some runs synchronously side by side (`batch`, parallel maps); the
 * first one's entered context is then active where the second starts, though the second is not
 * inside the first. Inside a run's body the execution differs, so real nesting is kept.
 */
export function startingContext(execution: object = executionAsyncResource()): Context {
  let ctx = context.active();
  for (
    let entry = ctx.getValue(ENTRY) as Entry | undefined;
    entry?.execution === execution;
    entry = ctx.getValue(ENTRY) as Entry | undefined
  ) {
    ctx = entry.previous;
  }
  return ctx;
}

/**
 * Makes `ctx` the active context for the rest of the current async execution (whose resource is
 * `execution`), remembering `previous` (what {@link startingContext} returned for it) for runs
 * started next to it. Returns whether it did.
 */
export function enterContext(ctx: Context, previous: Context, agent: string, root: unknown, execution: object): boolean {
  const als = storage();
  if (als === undefined) {
    warnNoContextManager();
    return false;
  }
  if (!enabled.has(als)) enableContextTracking();
  if (inSharedTopLevel(execution)) return false;
  const entry: Entry = { previous, execution, agent, root };
  als.enterWith(ctx.setValue(ENTRY, entry));
  return true;
}

/** Puts back a context that was active before a run's context was entered. */
export function restoreContext(ctx: Context): void {
  const als = storage();
  if (als !== undefined && !inSharedTopLevel(executionAsyncResource())) als.enterWith(ctx);
}

/** The agent of the run whose context is active, if agentwatch entered it. */
export function agentInContext(): string | undefined {
  return (context.active().getValue(ENTRY) as Entry | undefined)?.agent;
}

/** The root state of the run whose context is active, if agentwatch entered it. */
export function rootInContext(): unknown {
  return (context.active().getValue(ENTRY) as Entry | undefined)?.root;
}
