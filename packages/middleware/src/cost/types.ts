/** A model's price in USD per 1M tokens. Parts left out are billed at the input (cache) or output (reasoning) rate. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** Daily budgets in USD. */
export interface BudgetOptions {
  /** All agents together. */
  global?: number;
  /** By agent name (`gen_ai.agent.name`). */
  agents?: Record<string, number>;
  /** By run metadata `feature`. */
  features?: Record<string, number>;
}

/** Run-metadata keys that may become cost labels. */
export type AttributionLabel = "tenant" | "tier";

/** What a run guard limits. */
export type GuardName = "cost" | "tokens" | "llm_calls" | "tool_calls" | "tool_repeats";

/** A spend limit across runs (and replicas): the `limit` label of `agentwatch_limit_trips_total`. */
export type SpendLimitName = "user_usd_per_hour" | "tenant_usd_per_day";

/** Per-run limits. A breach records a span event and `agentwatch_guard_trips_total{agent,guard}`. */
export interface RunGuardOptions {
  /**
   * `"abort"` stops the run with an {@link AgentBudgetExceededError} before its next model or tool
   * call executes; `"record"` only records the breach. Default: "record".
   */
  action?: "record" | "abort";
  /** USD spent by the run's model calls. */
  maxCostUsd?: number;
  /** Input + output tokens of the run's model calls. */
  maxTokens?: number;
  /** Model calls in the run. */
  maxLlmCalls?: number;
  /** Tool calls in the run. */
  maxToolCalls?: number;
  /** Calls of the same tool with the same arguments in the run (the classic agent loop). */
  maxRepeatedToolCalls?: number;
  /**
   * USD one user (run metadata `user_id`) may spend per clock hour, over all runs and, with a
   * shared store (Redis), all replicas. When the user's window is over it, the user's next model
   * call trips `user_usd_per_hour` (`agentwatch_limit_trips_total{agent,limit}`) and, with
   * `action: "abort"`, is stopped with an {@link AgentSpendLimitExceededError}. The check never
   * waits for the store: see the README's "Scaling out" for the bounded overshoot.
   */
  perUserUsdPerHour?: number;
  /** USD one tenant (run metadata `tenant_id`) may spend per UTC day; as `perUserUsdPerHour`. */
  perTenantUsdPerDay?: number;
}
