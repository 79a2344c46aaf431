/** Cost: spend per hour, runaway spend, daily budgets, unpriced models and the prompt cache. */
import { DASHBOARD, SEVERITY, THRESHOLDS as T } from "../config.js";
import { num, sumBy } from "../promql.js";
import { COST, recentIncrease, type RuleContext, TOKENS } from "./context.js";
import type { AlertRule, AreaRules, RecordingRule } from "./types.js";

/** The `agentwatch-cost` recording rules and the `agentwatch-cost-alerts`. */
export function costRules(c: RuleContext): AreaRules {
  const { d, w, baseline, alert } = c;
  const costWindow = T.costPerHour.window;
  const budgetWindow = T.budget.window;
  const byName = (scope: string, label: string) =>
    `label_replace(max by (name) (agentwatch_budget_usd{scope="${scope}"}) > 0, "${label}", "$1", "name", "(.*)")`;
  const costRecording: RecordingRule[] = [
    {
      record: `agent_model:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`,
      expr: `${sumBy(["agent", "provider", "model"], `rate(${COST}[${d(costWindow)}])`)} * 3600`,
    },
    {
      record: `agent:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`,
      expr: `${sumBy(["agent"], `rate(${COST}[${d(costWindow)}])`)} * 3600`,
    },
    {
      record: `feature:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`,
      expr: `${sumBy(["feature"], `rate(${COST}[${d(costWindow)}])`)} * 3600`,
    },
    {
      record: `agent:agentwatch_cost_usd:increase${w(T.runawaySpend.window)}`,
      expr: sumBy(["agent"], `increase(${COST}[${d(T.runawaySpend.window)}])`),
    },
    // The README's "Cost and budgets" queries, with a guard against a zero budget. `max` keeps one budget series when replicas expose it.
    {
      record: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)}`,
      expr: `sum(increase(${COST}[${d(budgetWindow)}])) / (max(agentwatch_budget_usd{scope="global"}) > 0)`,
      labels: { scope: "global", budget: "global" },
    },
    {
      record: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)}`,
      expr: `label_replace(${sumBy(["agent"], `increase(${COST}[${d(budgetWindow)}])`)} / on (agent) group_left () ${byName("agent", "agent")}, "budget", "$1", "agent", "(.*)")`,
      labels: { scope: "agent" },
    },
    {
      record: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)}`,
      expr: `label_replace(${sumBy(["feature"], `increase(${COST}[${d(budgetWindow)}])`)} / on (feature) group_left () ${byName("feature", "feature")}, "budget", "$1", "feature", "(.*)")`,
      labels: { scope: "feature" },
    },
  ];

  const costPerHour = `agent:agentwatch_cost_usd_per_hour:rate${w(costWindow)}`;
  const costAlerts: AlertRule[] = [
    alert({
      alert: "AgentCostPerHourHigh",
      expr: `${costPerHour} > ${num(T.costPerHour.floorUsdPerHour)}\nand\n${costPerHour} > ${num(T.costPerHour.multiplier)} * ${baseline(costPerHour, T.costPerHour.baseline)}`,
      for: T.costPerHour.for,
      severity: SEVERITY.warning,
      summary: "Agent spend per hour is more than 3 times its 7-day average",
      description: `{{ $labels.agent }} spends {{ $value | printf "%.2f" }} USD per hour (over the last ${d(costWindow)}), more than ${num(T.costPerHour.multiplier)}x its average of the ${d(T.costPerHour.baseline)} before.`,
      dashboard: DASHBOARD.cost,
    }),
    // One rule per limit: its severity is the limit's (config.ts).
    ...T.limitTrips.severities.map(({ limit, severity }) =>
      alert({
        alert: "AgentSpendLimitTripped",
        expr: recentIncrease(`agentwatch_limit_trips_total{limit="${limit}"}`, ["agent", "limit"], d(T.limitTrips.window), "> 0"),
        for: T.limitTrips.for,
        severity,
        summary: "Runs of a user or tenant over its spend limit were stopped (or flagged)",
        description: `{{ $labels.agent }}: the {{ $labels.limit }} spend limit tripped in {{ $value | humanize }} runs in the last ${d(T.limitTrips.window)}.`,
        dashboard: DASHBOARD.cost,
      }),
    ),
    alert({
      alert: "AgentUserSpendLimitPersistent",
      expr: `${sumBy(["agent", "limit"], `rate(agentwatch_limit_trips_total{limit="user_usd_per_hour"}[${d(T.userLimitPersistent.window)}])`)} * 3600 > 0`,
      for: T.userLimitPersistent.for,
      severity: SEVERITY.warning,
      summary: "The per-user spend limit keeps tripping: something spends at a user's cap hour after hour",
      description: `{{ $labels.agent }}: the user_usd_per_hour spend limit tripped in every ${d(T.userLimitPersistent.window)} for over ${d(T.userLimitPersistent.for)}, now {{ $value | humanize }} runs per hour: a script, a leaked key or a retry loop spending at a user's cap.`,
      dashboard: DASHBOARD.cost,
    }),
    alert({
      alert: "AgentRunawaySpend",
      expr: `agent:agentwatch_cost_usd:increase${w(T.runawaySpend.window)} > ${num(T.runawaySpend.usd)}`,
      for: T.runawaySpend.for,
      severity: SEVERITY.critical,
      summary: "An agent spent more than the runaway limit within minutes",
      description: `{{ $labels.agent }} spent {{ $value | printf "%.2f" }} USD in the last ${d(T.runawaySpend.window)} (limit ${num(T.runawaySpend.usd)} USD).`,
      dashboard: DASHBOARD.cost,
    }),
    ...T.budget.levels.map((level) =>
      alert({
        alert: "AgentDailyBudget",
        expr: `scope:agentwatch_budget_spent:ratio_increase${w(budgetWindow)} >= ${num(level.share)}`,
        for: T.budget.for,
        severity: level.severity,
        labels: { threshold: `${num(level.share * 100)}%` },
        summary: `Spend reached ${num(level.share * 100)}% of a daily budget`,
        description: `{{ $labels.scope }} budget {{ $labels.budget }}: {{ $value | humanizePercentage }} of the daily budget spent in the last ${d(budgetWindow)} (alert at ${num(level.share * 100)}%).`,
        dashboard: DASHBOARD.cost,
        vars: [],
      }),
    ),
    alert({
      alert: "AgentUnpricedModel",
      expr: recentIncrease("agentwatch_unpriced_calls_total", ["provider", "model"], d(T.unpriced.window), "> 0"),
      for: T.unpriced.for,
      severity: SEVERITY.warning,
      summary: "Model calls have no known price, so cost metrics and budgets miss them",
      description: `{{ $labels.provider }}/{{ $labels.model }}: {{ $value | humanize }} calls in the last ${d(T.unpriced.window)} had no price; add the model to the handler's prices.`,
      dashboard: DASHBOARD.cost,
      vars: [],
    }),
    alert({
      alert: "AgentPromptCacheHitRatioLow",
      expr: `agent_model:${TOKENS}_cache_read_per_input:ratio_rate${w(T.cacheHit.window)} < ${num(T.cacheHit.ratio)}\nand on (agent, provider, model)\n${baseline(`agent_model:${TOKENS}_cache_read_per_input:ratio_rate${w(T.cacheHit.window)}`, T.cacheHit.baseline)} >= ${num(T.cacheHit.baselineRatio)}`,
      for: T.cacheHit.for,
      severity: SEVERITY.info,
      summary: "The prompt cache stopped hitting",
      description: `{{ $labels.agent }} on {{ $labels.provider }}/{{ $labels.model }}: only {{ $value | humanizePercentage }} of input tokens were cache reads over the last ${d(T.cacheHit.window)} (below ${num(T.cacheHit.ratio * 100)}%; it was at least ${num(T.cacheHit.baselineRatio * 100)}% before).`,
      dashboard: DASHBOARD.cost,
      vars: ["agent", "model"],
    }),
  ];

  return {
    recording: { name: "agentwatch-cost", rules: costRecording },
    alerting: { name: "agentwatch-cost-alerts", rules: costAlerts },
  };
}
