import type { SpendLimitName } from "./types.js";

/**
 * Thrown into an agent run when its user's or tenant's spend window is over a spend limit
 * (`guards.perUserUsdPerHour`, `guards.perTenantUsdPerDay`) with `action: "abort"`, before the
 * run's next model or tool call executes. Carries the limit, the window's total as this replica
 * saw it, whose window it is (the run metadata's `user_id` or `tenant_id`) and the root run's id.
 */
export class AgentSpendLimitExceededError extends Error {
  override readonly name = "AgentSpendLimitExceededError";

  constructor(
    readonly limit: SpendLimitName,
    readonly limitUsd: number,
    readonly observedUsd: number,
    /** The `user_id` or `tenant_id` whose window is over. */
    readonly subject: string,
    readonly runId: string,
  ) {
    super(
      `agentwatch: run ${runId} stopped: ${limit === "user_usd_per_hour" ? "user" : "tenant"} ${JSON.stringify(subject)} ` +
        `spent ${observedUsd.toFixed(4)} USD of its ${limitUsd} USD ${limit === "user_usd_per_hour" ? "per hour" : "per day"}`,
    );
  }
}
