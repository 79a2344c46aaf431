import type { GuardName } from "./types.js";

/**
 * Thrown into an agent run by a run guard with `action: "abort"`, before the run's next model or
 * tool call executes. Carries which limit was exceeded, by how much, and the root run's id.
 */
export class AgentBudgetExceededError extends Error {
  override readonly name = "AgentBudgetExceededError";

  constructor(
    readonly guard: GuardName,
    readonly limit: number,
    readonly observed: number,
    readonly runId: string,
  ) {
    super(`agentwatch: run ${runId} exceeded its ${guard} limit (${observed} > ${limit})`);
  }
}
