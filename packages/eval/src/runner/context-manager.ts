import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

let installed = false;

/**
 * Registers OpenTelemetry's AsyncLocalStorage context manager unless the process already has one
 * (an OTel Node SDK registers it): without one, concurrent samples could not keep their spans
 * in their own traces, and agentwatch could not make step spans active inside tools.
 */
export function ensureContextManager(): void {
  if (installed) return;
  installed = true;
  const manager = new AsyncLocalStorageContextManager();
  if (context.setGlobalContextManager(manager.enable())) return;
  manager.disable();
}
