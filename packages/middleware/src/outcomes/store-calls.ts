import { diag } from "@opentelemetry/api";

/** Why a store call gave no answer. */
export type StoreFailure = "error" | "timeout" | "overflow";

/** The answer of a store call that failed. */
export const FAILED: unique symbol = Symbol("store call failed");

/**
 * Calls to a `SharedStore` off the run's path: each one bounded in time, at most `maxPending` at
 * once (more are dropped), never rejecting. A failure is counted through `onFailure` and logged
 * once via OTel diag; the caller gets {@link FAILED} and carries on.
 */
export class StoreCalls {
  private pending = 0;
  private warned = false;
  /** Calls still waiting or running, so tests and shutdown can wait for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly settings: { timeoutMs: number; maxPending: number },
    private readonly onFailure: (reason: StoreFailure) => void,
  ) {}

  /** Runs `call`; resolves with its value, or FAILED when it threw, took too long or there was no room. */
  run<T>(call: () => Promise<T>): Promise<T | typeof FAILED> {
    if (this.pending >= this.settings.maxPending) {
      this.fail("overflow", undefined);
      return Promise.resolve(FAILED);
    }
    this.pending++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof FAILED>((resolve) => {
      timer = setTimeout(() => {
        this.fail("timeout", undefined);
        resolve(FAILED);
      }, this.settings.timeoutMs);
      timer.unref();
    });
    const attempt = (async () => {
      try {
        return await call();
      } catch (error) {
        this.fail("error", error);
        return FAILED;
      }
    })();
    const result = Promise.race([attempt, timeout]).finally(() => {
      clearTimeout(timer);
      this.pending--;
      this.inFlight.delete(result);
    });
    this.inFlight.add(result);
    return result;
  }

  /** Resolves when no call is waiting or running. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private fail(reason: StoreFailure, error: unknown): void {
    try {
      this.onFailure(reason);
      if (!this.warned) {
        this.warned = true;
        diag.warn(
          `agentwatch: a conversation-outcome store call failed (${reason}; logged once, counted in agentwatch_outcome_store_errors_total)`,
          error,
        );
      }
    } catch {
      // Never let the failure path throw.
    }
  }
}
