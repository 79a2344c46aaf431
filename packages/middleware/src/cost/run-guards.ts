import { diag } from "@opentelemetry/api";

import { safeJson } from "../content/capture.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { RootState } from "../runs/run-record.js";
import { ATTR, EVENT } from "../semconv.js";
import { fnv1a } from "../util/hash.js";
import { AgentBudgetExceededError } from "./budget-exceeded-error.js";
import type { SpendLimits } from "./spend-limits.js";
import type { GuardName, RunGuardOptions } from "./types.js";

/** Distinct (tool, arguments) pairs remembered per run; later new pairs are not tracked. */
const MAX_TRACKED_CALLS = 1000;

/**
 * Per-run limits and the tool-loop signal. Checks run at model and tool starts (call counts,
 * repeats) and at model ends (tokens, cost); a breach trips its guard once per run.
 */
export class RunGuards {
  constructor(
    private readonly options: RunGuardOptions | undefined,
    private readonly metrics: AgentWatchMetrics,
    private readonly limits?: SpendLimits,
  ) {}

  /** Whether breaches stop runs (the handler then asks LangChain to raise its errors). */
  get aborts(): boolean {
    return this.options?.action === "abort";
  }

  llmStarted(root: RootState, calls: number): void {
    this.check(root, "llm_calls", this.options?.maxLlmCalls, calls);
    this.limits?.check(root);
  }

  /** A priced model call of the run cost `usd` (counted in its user's and tenant's spend windows). */
  spent(root: RootState, usd: number): void {
    this.limits?.spent(root, usd);
  }

  toolStarted(root: RootState, tool: string, input: unknown, calls: number): void {
    this.check(root, "tool_calls", this.options?.maxToolCalls, calls);
    const key = fnv1a(`${tool}\u0000${typeof input === "string" ? input : safeJson(input)}`);
    const seen = root.toolCallCounts.get(key);
    if (seen === undefined) {
      if (root.toolCallCounts.size < MAX_TRACKED_CALLS) root.toolCallCounts.set(key, 1);
      return;
    }
    root.toolCallCounts.set(key, seen + 1);
    this.metrics.cost.toolRepeat({ agent: root.agent, tool });
    this.check(root, "tool_repeats", this.options?.maxRepeatedToolCalls, seen + 1);
  }

  usageAdded(root: RootState): void {
    this.check(root, "tokens", this.options?.maxTokens, root.tokens);
    this.check(root, "cost", this.options?.maxCostUsd, root.costUsd);
  }

  private check(root: RootState, guard: GuardName, limit: number | undefined, observed: number): void {
    if (limit === undefined || observed <= limit || root.trips.has(guard)) return;
    root.trips.add(guard);
    const action = this.options?.action ?? "record";
    root.span?.addEvent(EVENT.guardTrip, {
      [ATTR.guardName]: guard,
      [ATTR.guardLimit]: limit,
      [ATTR.guardObserved]: observed,
      [ATTR.guardAction]: action,
    });
    this.metrics.cost.guardTrip({ agent: root.agent, guard });
    if (action === "abort" && root.abort === undefined) {
      root.abort = new AgentBudgetExceededError(guard, limit, observed, root.id);
      diag.debug(`agentwatch: ${root.abort.message}; its next model or tool call is stopped`);
    }
  }
}
