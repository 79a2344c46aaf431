/** Cost alerts: runaway spend and unpriced models (short); daily budgets, spend per hour and the prompt cache (long). */
import type { Severity } from "../config.js";
import { after, chatLabels, constant, counter, weekThen } from "./series.js";
import type { AreaTests } from "./types.js";

const budgetSeries = (): Record<string, string> => {
  const steps = 2 * 96; // two days of 15-minute samples
  const perDay = (usd: number) => counter([[usd / 96, steps]]);
  return {
    'agentwatch_cost_usd_total{agent="loud",provider="openai",model="gpt-4.1",feature="orders"}': perDay(11),
    'agentwatch_cost_usd_total{agent="calm",provider="openai",model="gpt-4.1",feature="search"}': perDay(39),
    'agentwatch_budget_usd{scope="global",name="global"}': constant(80, steps),
    'agentwatch_budget_usd{scope="agent",name="loud"}': constant(10, steps),
    'agentwatch_budget_usd{scope="agent",name="calm"}': constant(50, steps),
    'agentwatch_budget_usd{scope="agent",name="unused"}': constant(5, steps),
    'agentwatch_budget_usd{scope="feature",name="orders"}': constant(20, steps),
    'agentwatch_budget_usd{scope="feature",name="search"}': constant(50, steps),
  };
};

const budgetAlert = (
  severity: Severity,
  threshold: string,
  scope: string,
  budget: string,
  percent: string,
  extra: Record<string, string> = {},
) => ({
  labels: { severity, threshold: `${threshold}%`, scope, budget, ...extra },
  description: `${scope} budget ${budget}: ${percent}% of the daily budget spent in the last 1d (alert at ${threshold}%).`,
});

export const costTests: AreaTests = {
  short: [
    {
      name: "AgentSpendLimitTripped: any spend-limit trip in 10 minutes; info for a user's hourly limit, warning for a tenant's daily one",
      interval: "1m",
      series: {
        'agentwatch_limit_trips_total{agent="loud",limit="user_usd_per_hour"}': after(5, counter([[1, 25]], 1)),
        'agentwatch_limit_trips_total{agent="calm",limit="tenant_usd_per_day"}': constant(3, 30),
        'agentwatch_limit_trips_total{agent="shop",limit="tenant_usd_per_day"}': after(14, constant(2, 16)),
      },
      alerts: [
        {
          at: "20m",
          alert: "AgentSpendLimitTripped",
          fires: [
            {
              labels: { severity: "info", agent: "loud", limit: "user_usd_per_hour" },
              description: "loud: the user_usd_per_hour spend limit tripped in 10 runs in the last 10m.",
            },
            {
              labels: { severity: "warning", agent: "shop", limit: "tenant_usd_per_day" },
              description: "shop: the tenant_usd_per_day spend limit tripped in 2 runs in the last 10m.",
            },
          ],
          quiet: "calm's trips are older than 10 minutes",
        },
      ],
    },
    {
      name: "AgentUserSpendLimitPersistent: the per-user limit trips in every 10 minutes for an hour",
      interval: "1m",
      series: {
        // A script at the cap: a trip a minute for the whole 90 minutes.
        'agentwatch_limit_trips_total{agent="loud",limit="user_usd_per_hour"}': counter([[1, 90]]),
        // Users at the cap now and then: trips for 40 minutes, a 15-minute break, then again.
        'agentwatch_limit_trips_total{agent="gappy",limit="user_usd_per_hour"}': counter([
          [1, 40],
          [0, 15],
          [1, 35],
        ]),
        // A tenant at its daily cap trips all day long: that is AgentSpendLimitTripped's, not this alert's.
        'agentwatch_limit_trips_total{agent="shop",limit="tenant_usd_per_day"}': counter([[1, 90]]),
      },
      alerts: [
        { at: "55m", alert: "AgentUserSpendLimitPersistent", fires: [], quiet: "loud's trips are 55 minutes old, under an hour" },
        {
          at: "80m",
          alert: "AgentUserSpendLimitPersistent",
          fires: [
            {
              labels: { severity: "warning", agent: "loud", limit: "user_usd_per_hour" },
              description:
                "loud: the user_usd_per_hour spend limit tripped in every 10m for over 1h, now 60 runs per hour: a script, a leaked key or a retry loop spending at a user's cap.",
            },
          ],
          quiet: "gappy had a 15-minute break in its trips; shop's are a tenant limit",
        },
      ],
    },
    {
      name: "AgentRunawaySpend: more than 5 USD in 10 minutes",
      interval: "1m",
      series: {
        'agentwatch_cost_usd_total{agent="loud",provider="openai",model="gpt-4.1",feature="orders"}': counter([[0.6, 30]]),
        'agentwatch_cost_usd_total{agent="calm",provider="openai",model="gpt-4.1",feature="orders"}': counter([[0.45, 30]]),
      },
      alerts: [
        {
          at: "20m",
          alert: "AgentRunawaySpend",
          fires: [{ labels: { severity: "critical", agent: "loud" }, description: "loud spent 6.00 USD in the last 10m (limit 5 USD)." }],
          quiet: "calm spent 4.5 USD in 10 minutes",
        },
      ],
    },
    {
      name: "AgentUnpricedModel: calls of models with no price, including a model first seen inside the window",
      interval: "1m",
      series: {
        'agentwatch_unpriced_calls_total{provider="acme",model="mystery-1"}': counter([[1, 90]]),
        'agentwatch_unpriced_calls_total{provider="acme",model="brand-new"}': after(61, constant(3, 29)),
        'agentwatch_unpriced_calls_total{provider="acme",model="old-1"}': constant(5, 90),
      },
      alerts: [
        {
          at: "90m",
          alert: "AgentUnpricedModel",
          fires: [
            {
              labels: { severity: "warning", provider: "acme", model: "brand-new" },
              description: "acme/brand-new: 3 calls in the last 1h had no price; add the model to the handler's prices.",
            },
            {
              labels: { severity: "warning", provider: "acme", model: "mystery-1" },
              description: "acme/mystery-1: 60 calls in the last 1h had no price; add the model to the handler's prices.",
            },
          ],
          quiet: "old-1 had unpriced calls more than an hour ago and none since",
        },
      ],
    },
  ],
  long: [
    {
      name: "AgentDailyBudget: 50/80/100% of the global, agent and feature budgets over the last day",
      interval: "15m",
      series: budgetSeries(),
      alerts: [
        {
          at: "48h",
          alert: "AgentDailyBudget",
          fires: [
            budgetAlert("info", "50", "global", "global", "62.5"),
            budgetAlert("info", "50", "agent", "calm", "78", { agent: "calm" }),
            budgetAlert("info", "50", "agent", "loud", "110", { agent: "loud" }),
            budgetAlert("info", "50", "feature", "orders", "55", { feature: "orders" }),
            budgetAlert("info", "50", "feature", "search", "78", { feature: "search" }),
            budgetAlert("warning", "80", "agent", "loud", "110", { agent: "loud" }),
            budgetAlert("critical", "100", "agent", "loud", "110", { agent: "loud" }),
          ],
          quiet: "calm's 78% is under the 80% warning; the unused agent's budget has no spend",
        },
      ],
    },
    {
      name: "AgentCostPerHourHigh: USD per hour more than 3x the 7-day average, and above 1 USD/h",
      interval: "15m",
      series: {
        'agentwatch_cost_usd_total{agent="loud",provider="openai",model="gpt-4.1",feature="orders"}': weekThen(0.25, 1),
        'agentwatch_cost_usd_total{agent="calm",provider="openai",model="gpt-4.1",feature="orders"}': weekThen(0.25, 0.625),
        'agentwatch_cost_usd_total{agent="tiny",provider="openai",model="gpt-4.1",feature="orders"}': weekThen(0.025, 0.125),
      },
      alerts: [
        { at: "168h", alert: "AgentCostPerHourHigh", fires: [], quiet: "a week of steady spend" },
        {
          at: "170h",
          alert: "AgentCostPerHourHigh",
          fires: [
            {
              labels: { severity: "warning", agent: "loud" },
              description: "loud spends 4.00 USD per hour (over the last 1h), more than 3x its average of the 7d before.",
            },
          ],
          quiet: "calm rose 2.5x; tiny rose 5x but spends 0.5 USD/h, under the floor",
        },
      ],
    },
    {
      name: "AgentPromptCacheHitRatioLow: cache reads fall under 5% of input tokens where they used to be 10% or more",
      interval: "15m",
      series: {
        [`gen_ai_client_token_usage_sum{${chatLabels("loud")},gen_ai_token_type="input"}`]: weekThen(1000, 1000),
        [`agentwatch_token_usage_parts_total{${chatLabels("loud")},part="cache_read"}`]: weekThen(300, 20),
        [`gen_ai_client_token_usage_sum{${chatLabels("calm")},gen_ai_token_type="input"}`]: weekThen(1000, 1000),
        [`agentwatch_token_usage_parts_total{${chatLabels("calm")},part="cache_read"}`]: weekThen(300, 60),
        [`gen_ai_client_token_usage_sum{${chatLabels("nocache", "llama3")},gen_ai_token_type="input"}`]: weekThen(1000, 1000),
      },
      alerts: [
        {
          at: "170h",
          alert: "AgentPromptCacheHitRatioLow",
          fires: [
            {
              labels: { severity: "info", agent: "loud", provider: "openai", model: "gpt-4o" },
              description:
                "loud on openai/gpt-4o: only 2% of input tokens were cache reads over the last 1h (below 5%; it was at least 10% before).",
            },
          ],
          quiet: "calm still reads 6% from cache; llama3 never had cache reads",
        },
      ],
    },
  ],
};
