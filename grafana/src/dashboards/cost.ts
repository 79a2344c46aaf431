/** Agent cost: where the money goes (agent, model, feature), against the daily budgets, per run, and what the prompt cache saves. */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import {
  addLinks,
  agentVariable,
  ANNOTATION,
  cacheSavingVariable,
  datasourceVariable,
  featureVariable,
  finish,
  modelVariable,
  TITLE,
} from "../common.js";
import { barGauge, Board, histogramHeatmap, instantTable, singleStat, timeSeries } from "../panels.js";
import { F, increase, METRIC, quantile, RANGE, rate, share, sumBy } from "../promql.js";

const COST = [F.agent, F.model, F.feature];
const TOKENS = [F.genAiAgent, F.genAiModel];
const perHour = (expr: string) => `${expr} * 3600`;
/** Spend over the last 24 hours per `label`, divided by that scope's daily budget (README "Cost and budgets"). */
const budgetShare = (label: "agent" | "feature") =>
  `${sumBy([label], increase(METRIC.cost, [F.agent, F.model, F.feature], "1d"))} / on (${label}) group_left () label_replace(max by (name) (${METRIC.budget}{scope="${label}"}), "${label}", "$1", "name", "(.*)")`;
const CACHE_READ = [...TOKENS, 'part="cache_read"'];
const cacheRead = (window: string) => increase(METRIC.tokenParts, CACHE_READ, window);
const BUDGET_LEVELS = [
  { value: 0.5, color: "yellow" },
  { value: 0.8, color: "orange" },
  { value: 1, color: "red" },
];

export function costDashboard(): dashboard.Dashboard {
  const board = new Board(
    "cost",
    TITLE.cost,
    "Spend of model calls priced from their token usage (agentwatch_cost_usd_total): by agent, model and feature, against the daily budgets (agentwatch_budget_usd), per run, by token type, and the prompt cache's savings.",
    ["cost"],
  );
  board.builder
    .withVariable(datasourceVariable())
    .withVariable(agentVariable())
    .withVariable(modelVariable())
    .withVariable(featureVariable())
    .withVariable(cacheSavingVariable())
    .annotation(ANNOTATION.alerts())
    .annotation(ANNOTATION.incidents());
  addLinks(board, "cost");

  board.row("Spend").add(
    singleStat({
      title: "Spend, last 24 h",
      description: "USD spent on model calls over the last 24 hours (rolling), for the selected agents, models and features.",
      unit: "currencyUSD",
      decimals: 2,
      queries: [{ expr: sumBy([], increase(METRIC.cost, COST, "1d")), instant: true }],
    }),
    singleStat({
      title: "Spend rate",
      description: "USD per hour at the rate of the last hour.",
      unit: "currencyUSD",
      decimals: 2,
      graph: true,
      queries: [{ expr: perHour(sumBy([], rate(METRIC.cost, COST, "1h"))) }],
    }),
    singleStat({
      title: "Spend in the time range",
      description: "USD spent over the dashboard's time range.",
      unit: "currencyUSD",
      decimals: 2,
      queries: [{ expr: sumBy([], increase(METRIC.cost, COST)), instant: true }],
    }),
    singleStat({
      title: "Global daily budget spent",
      description:
        'Spend of the last 24 hours over the global daily budget (agentwatch_budget_usd{scope="global"}), as the AgentDailyBudget alerts see it (recording rule scope:agentwatch_budget_spent:ratio_increase1d). Alerts at 50 %, 80 % and 100 %.',
      unit: "percentunit",
      decimals: 1,
      thresholds: BUDGET_LEVELS,
      queries: [{ expr: 'max(scope:agentwatch_budget_spent:ratio_increase1d{scope="global"})', instant: true }],
    }),
    singleStat({
      title: "p95 cost per run",
      description: "95th percentile USD cost of a whole agent run over the last hour (agentwatch_agent_run_cost_usd).",
      unit: "currencyUSD",
      decimals: 4,
      queries: [{ expr: quantile(0.95, METRIC.runCost, [F.agent], [], "1h") }],
    }),
    singleStat({
      title: "Unpriced model calls",
      description:
        "Model calls in the time range whose model has no known price: their cost is missing from every panel here. Add the model to the handler's `prices`.",
      unit: "short",
      decimals: 0,
      thresholds: [{ value: 1, color: "red" }],
      queries: [{ expr: `${sumBy([], increase(METRIC.unpriced, [F.model]))} or vector(0)`, instant: true }],
    }),
  );

  board.row("Spend by agent, model and feature").add(
    timeSeries({
      title: "USD per hour by agent",
      description: "Spend rate of each agent, in USD per hour.",
      unit: "currencyUSD",
      w: 8,
      stack: true,
      legendTable: true,
      queries: [{ expr: perHour(sumBy(["agent"], rate(METRIC.cost, COST))), legend: "{{agent}}" }],
    }),
    timeSeries({
      title: "USD per hour by model",
      description: "Spend rate of each provider and model, in USD per hour.",
      unit: "currencyUSD",
      w: 8,
      stack: true,
      legendTable: true,
      queries: [{ expr: perHour(sumBy(["provider", "model"], rate(METRIC.cost, COST))), legend: "{{provider}} {{model}}" }],
    }),
    timeSeries({
      title: "USD per hour by feature",
      description: "Spend rate of each feature (run metadata `feature`; `(none)` when a run names none), in USD per hour.",
      unit: "currencyUSD",
      w: 8,
      stack: true,
      legendTable: true,
      queries: [
        {
          expr: `label_replace(${perHour(sumBy(["feature"], rate(METRIC.cost, COST)))}, "feature", "(none)", "feature", "")`,
          legend: "{{feature}}",
        },
      ],
    }),
    timeSeries({
      title: "Spend per day by agent",
      description:
        "USD spent by each agent over the preceding 24 hours, at each point in time: the daily spend a daily budget is compared with.",
      unit: "currencyUSD",
      queries: [{ expr: sumBy(["agent"], increase(METRIC.cost, COST, "1d")), legend: "{{agent}}" }],
    }),
    barGauge({
      title: "Spend, last 24 h, by model",
      description: "USD spent on each provider and model over the last 24 hours.",
      unit: "currencyUSD",
      decimals: 2,
      queries: [{ expr: sumBy(["provider", "model"], increase(METRIC.cost, COST, "1d")), legend: "{{provider}} {{model}}", instant: true }],
    }),
  );

  board.row("Budgets").add(
    timeSeries({
      title: "Budget burn (global)",
      description: 'Rolling 24-hour spend of all agents against the global daily budget (agentwatch_budget_usd{scope="global"}).',
      unit: "currencyUSD",
      w: 8,
      queries: [
        { expr: sumBy([], increase(METRIC.cost, [], "1d")), legend: "spent, last 24 h" },
        { expr: `max(${METRIC.budget}{scope="global"})`, legend: "daily budget" },
      ],
    }),
    barGauge({
      title: "Daily budget spent by agent",
      description:
        'Spend of each agent over the last 24 hours as a share of its daily budget (agentwatch_budget_usd{scope="agent"}). Agents without a budget are not listed.',
      unit: "percentunit",
      w: 8,
      min: 0,
      max: 1,
      thresholds: BUDGET_LEVELS,
      queries: [{ expr: budgetShare("agent"), legend: "{{agent}}", instant: true }],
    }),
    barGauge({
      title: "Daily budget spent by feature",
      description:
        'Spend of each feature over the last 24 hours as a share of its daily budget (agentwatch_budget_usd{scope="feature"}). Features without a budget are not listed.',
      unit: "percentunit",
      w: 8,
      min: 0,
      max: 1,
      thresholds: BUDGET_LEVELS,
      queries: [{ expr: budgetShare("feature"), legend: "{{feature}}", instant: true }],
    }),
  );

  board.row("Cost per run").add(
    timeSeries({
      title: "Cost per run",
      description: "p50, p95 and p99 USD cost of whole agent runs (agentwatch_agent_run_cost_usd): a runaway agent moves p99 first.",
      unit: "currencyUSD",
      w: 8,
      queries: [0.5, 0.95, 0.99].map((q) => ({ expr: quantile(q, METRIC.runCost, [F.agent]), legend: `p${Math.round(q * 100)}` })),
    }),
    histogramHeatmap({
      title: "Cost per run distribution",
      description: "Agent runs per second in each cost bucket.",
      unit: "currencyUSD",
      w: 8,
      queries: [{ expr: sumBy(["le"], rate(`${METRIC.runCost}_bucket`, [F.agent])) }],
    }),
    timeSeries({
      title: "Model calls per run",
      description: "p50 and p95 model calls per agent run (agentwatch_run_llm_calls): more calls per run means more cost per run.",
      unit: "short",
      w: 8,
      queries: [0.5, 0.95].map((q) => ({ expr: quantile(q, METRIC.runLlmCalls, [F.agent]), legend: `p${Math.round(q * 100)}` })),
    }),
  );

  board.row("Tokens and the prompt cache").add(
    timeSeries({
      title: "Tokens per second by type",
      description:
        "Token throughput: input and output (gen_ai_client_token_usage), and the parts of them (agentwatch_token_usage_parts_total): cache_read and cache_write are parts of input, reasoning is part of output, already counted there: do not stack or add them.",
      unit: "suffix: tok/s",
      w: 8,
      queries: [
        { expr: sumBy(["gen_ai_token_type"], rate(`${METRIC.tokens}_sum`, TOKENS)), legend: "{{gen_ai_token_type}}" },
        { expr: sumBy(["part"], rate(METRIC.tokenParts, TOKENS)), legend: "{{part}} (part)" },
      ],
    }),
    timeSeries({
      title: "Input and output tokens per second by model",
      description: "Input and output token throughput of each requested model.",
      unit: "suffix: tok/s",
      w: 8,
      queries: [
        {
          expr: sumBy(
            ["gen_ai_request_model", "gen_ai_token_type"],
            rate(`${METRIC.tokens}_sum`, [...TOKENS, 'gen_ai_token_type=~"input|output"']),
          ),
          legend: "{{gen_ai_request_model}} {{gen_ai_token_type}}",
        },
      ],
    }),
    timeSeries({
      title: "Prompt-cache hit ratio by model",
      description:
        "Share of input tokens read from the provider's prompt cache (billed at the cache-read price). A drop to 0 is a cache-miss incident.",
      unit: "percentunit",
      w: 8,
      min: 0,
      queries: [
        {
          expr: share(
            sumBy(["gen_ai_request_model"], rate(METRIC.tokenParts, CACHE_READ)),
            sumBy(["gen_ai_request_model"], rate(`${METRIC.tokens}_sum`, [...TOKENS, 'gen_ai_token_type="input"'])),
          ),
          legend: "{{gen_ai_request_model}}",
        },
      ],
    }),
    singleStat({
      title: "Estimated cache savings in the time range",
      description:
        "Cache-read tokens in the time range × the price gap in the 'Cache saving' variable (input minus cache-read price, USD per million tokens). An estimate: set the gap of your model.",
      unit: "currencyUSD",
      decimals: 4,
      w: 8,
      queries: [{ expr: `${sumBy([], cacheRead(RANGE))} * $cache_saving_usd_per_mtok / 1e6`, instant: true }],
    }),
    timeSeries({
      title: "Estimated cache savings per hour",
      description: "Cache-read tokens per hour × the 'Cache saving' price gap: USD per hour the prompt cache saves (an estimate).",
      unit: "currencyUSD",
      w: 8,
      queries: [
        {
          expr: `${perHour(sumBy(["gen_ai_request_model"], rate(METRIC.tokenParts, CACHE_READ)))} * $cache_saving_usd_per_mtok / 1e6`,
          legend: "{{gen_ai_request_model}}",
        },
      ],
    }),
    instantTable({
      title: "Unpriced and estimated-usage calls",
      description:
        "Model calls in the time range with no known price (not in any cost panel) and calls whose token usage was estimated with a tokenizer because the provider reported none, by provider and model.",
      unit: "short",
      w: 8,
      queries: [
        { expr: sumBy(["provider", "model"], increase(METRIC.unpriced, [F.model])), legend: "unpriced calls" },
        { expr: sumBy(["provider", "model"], increase(METRIC.estimatedUsage, [F.model])), legend: "estimated-usage calls" },
      ],
    }),
  );

  return finish(board);
}
