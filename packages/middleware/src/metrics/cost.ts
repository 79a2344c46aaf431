import type { BudgetOptions } from "../cost/types.js";
import { BUCKETS, LABEL, METRIC } from "../semconv.js";
import type { Instruments } from "./instruments.js";
import type { Labels } from "./label-set-cache.js";
import type { Series } from "./series.js";
import type { CounterWrites, HistogramWrites } from "./series-writes.js";

/** The cost metrics: spend by model call and agent run, unpriced and estimated calls, budgets, run guards. */
export class CostMetrics {
  private readonly costUsd: CounterWrites;
  private readonly agentRunCost: HistogramWrites;
  private readonly unpricedCalls: CounterWrites;
  private readonly estimatedUsageCalls: CounterWrites;
  private readonly guardTrips: CounterWrites;
  private readonly toolRepeats: CounterWrites;
  private readonly limitTrips: CounterWrites;
  private readonly attributionLabels: readonly string[];

  constructor(
    instruments: Instruments,
    private readonly series: Series,
    options: { attributionLabels: readonly string[]; budgets: BudgetOptions },
  ) {
    this.attributionLabels = options.attributionLabels;
    this.costUsd = instruments.counterWrites({
      name: METRIC.costUsd,
      help: "USD spent on model calls, by agent, provider, model and run-metadata feature (and tenant / tier when opted in).",
      labelNames: [LABEL.agent, LABEL.provider, LABEL.model, LABEL.feature, ...options.attributionLabels],
    });
    this.agentRunCost = instruments.histogramWrites({
      name: METRIC.agentRunCost,
      help: "USD cost of whole agent runs.",
      labelNames: [LABEL.agent],
      buckets: BUCKETS.runCost,
    });
    this.unpricedCalls = instruments.counterWrites({
      name: METRIC.unpricedCalls,
      help: "Model calls with no known price (not counted in agentwatch_cost_usd_total): add the model to the handler's prices.",
      labelNames: [LABEL.provider, LABEL.model],
    });
    this.estimatedUsageCalls = instruments.counterWrites({
      name: METRIC.estimatedUsageCalls,
      help: "Model calls whose provider reported no token usage, so tokens were estimated with a tokenizer.",
      labelNames: [LABEL.provider, LABEL.model],
    });
    this.guardTrips = instruments.counterWrites({
      name: METRIC.guardTrips,
      help: "Run guards tripped (once per guard per run).",
      labelNames: [LABEL.agent, LABEL.guard],
    });
    this.limitTrips = instruments.counterWrites({
      name: METRIC.limitTrips,
      help: "Spend limits across runs tripped (a user's hour or a tenant's day over its USD limit), once per limit per run.",
      labelNames: [LABEL.agent, LABEL.limit],
    });
    this.toolRepeats = instruments.counterWrites({
      name: METRIC.toolRepeats,
      help: "Tool calls that repeat an earlier call of the same run (same tool, same arguments): the agent-loop signal.",
      labelNames: [LABEL.agent, LABEL.tool],
    });
    setBudgets(instruments, options.budgets);
  }

  /** A priced model call: its cost, attributed by run metadata (feature, tenant, tier). */
  call(labels: { agent: string; provider: string; model: string; attribution: Record<string, string> }, usd: number): void {
    const l: Labels = {
      [LABEL.agent]: labels.agent,
      [LABEL.provider]: labels.provider,
      [LABEL.model]: labels.model,
      [LABEL.feature]: labels.attribution.feature ?? "",
    };
    for (const name of this.attributionLabels) l[name] = labels.attribution[name] ?? "";
    this.series.count(this.costUsd, METRIC.costUsd, l, usd);
  }

  /** The cost of a whole agent run. */
  run(agent: string, usd: number): void {
    this.series.record(this.agentRunCost, METRIC.agentRunCost, { [LABEL.agent]: agent }, usd);
  }

  unpriced(labels: { provider: string; model: string }): void {
    this.series.count(this.unpricedCalls, METRIC.unpricedCalls, { [LABEL.provider]: labels.provider, [LABEL.model]: labels.model });
  }

  estimatedUsage(labels: { provider: string; model: string }): void {
    const l = { [LABEL.provider]: labels.provider, [LABEL.model]: labels.model };
    this.series.count(this.estimatedUsageCalls, METRIC.estimatedUsageCalls, l);
  }

  guardTrip(labels: { agent: string; guard: string }): void {
    this.series.count(this.guardTrips, METRIC.guardTrips, { [LABEL.agent]: labels.agent, [LABEL.guard]: labels.guard });
  }

  limitTrip(labels: { agent: string; limit: string }): void {
    this.series.count(this.limitTrips, METRIC.limitTrips, { [LABEL.agent]: labels.agent, [LABEL.limit]: labels.limit });
  }

  toolRepeat(labels: { agent: string; tool: string }): void {
    this.series.count(this.toolRepeats, METRIC.toolRepeats, { [LABEL.agent]: labels.agent, [LABEL.tool]: labels.tool });
  }
}

/** Budgets are configuration: set once, so alert rules can divide spend by them. */
function setBudgets(instruments: Instruments, budgets: BudgetOptions): void {
  const gauge = instruments.gauge({
    name: METRIC.budgetUsd,
    help: "Daily budget in USD by scope (global, agent, feature) and name, for spend-vs-budget alerts.",
    labelNames: [LABEL.scope, LABEL.name],
  });
  if (budgets.global !== undefined) gauge.set({ [LABEL.scope]: "global", [LABEL.name]: "global" }, budgets.global);
  for (const [name, usd] of Object.entries(budgets.agents ?? {})) gauge.set({ [LABEL.scope]: "agent", [LABEL.name]: name }, usd);
  for (const [name, usd] of Object.entries(budgets.features ?? {})) gauge.set({ [LABEL.scope]: "feature", [LABEL.name]: name }, usd);
}
