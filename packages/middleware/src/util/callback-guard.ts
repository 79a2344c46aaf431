import { diag } from "@opentelemetry/api";

/**
 * Runs callback bodies so that no bug of ours reaches the host agent: an exception is caught,
 * counted through `onError`, and logged once per callback name through OpenTelemetry `diag`.
 */
export class Guard {
  private readonly logged = new Set<string>();

  constructor(private readonly onError: (callback: string) => void) {}

  /** Runs `fn`; returns its result, or `undefined` if it threw. */
  run<T>(callback: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.report(callback, error);
      return undefined;
    }
  }

  /** Counts and logs (once per callback name) an error caught elsewhere. */
  report(callback: string, error: unknown): void {
    try {
      this.onError(callback);
      if (!this.logged.has(callback)) {
        this.logged.add(callback);
        diag.error(`agentwatch: ${callback} failed (logged once, counted in agentwatch_handler_errors_total)`, error);
      }
    } catch {
      // The error path itself must never throw into the agent.
    }
  }
}
