/** Agent overview and SLOs: is the agent up, fast and correct right now, and how much error budget is left? */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import { addLinks, agentVariable, ANNOTATION, datasourceVariable, finish, modelVariable, TITLE } from "../common.js";
import { Board, histogramHeatmap, instantTable, singleStat, timeSeries } from "../panels.js";
import { F, METRIC, okLabel, quantile, RATE, rate, share, sumBy } from "../promql.js";
import { BURN_RATE_WINDOWS, leLabel, PAGING_BURN_RATES, SLO, SLO_PERIOD, TIME_BETWEEN_TOKENS } from "../slo.js";
import { DASHBOARD_UID, HOST_URL } from "../stack.js";

const RUNS_COUNT = `${METRIC.runs}_count`;
const RUNS_BUCKET = `${METRIC.runs}_bucket`;
const LATENCY_LE = leLabel(SLO.latency.thresholdSeconds);
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** Share of agent runs that failed over `window`. */
const errorRatio = (window: string, by: string[] = []) =>
  share(sumBy(by, rate(RUNS_COUNT, [F.genAiAgent, F.failed], window)), sumBy(by, rate(RUNS_COUNT, [F.genAiAgent], window)));

/** Share of successful runs slower than the latency SLO threshold over `window`. */
const slowRatio = (window: string) =>
  `(1 - ${sumBy([], rate(RUNS_BUCKET, [F.genAiAgent, F.ok, `le="${LATENCY_LE}"`], window))} / ${sumBy([], rate(RUNS_COUNT, [F.genAiAgent, F.ok], window))})`;

const errorBudget = (target: number) => Math.round((1 - target) * 1e6) / 1e6;

export function overviewDashboard(): dashboard.Dashboard {
  const board = new Board(
    "overview",
    TITLE.overview,
    `Agent runs: traffic, errors, latency, time to first token and between tokens, and the SLOs (${pct(SLO.latency.target)} of successful runs within ${SLO.latency.thresholdSeconds} s, ${pct(SLO.availability.target)} of runs without an error, over ${SLO.periodDays} days) with their error budgets and burn rates.`,
    ["slo", "overview"],
  );
  board.builder
    .withVariable(datasourceVariable())
    .withVariable(agentVariable())
    .withVariable(modelVariable())
    .annotation(ANNOTATION.alerts())
    .annotation(ANNOTATION.incidents());
  addLinks(board, "overview");

  board.row("Now").add(
    singleStat({
      title: "Agent runs / s",
      description: "Agent runs (root invocations) finished per second, failed or not.",
      unit: "reqps",
      graph: true,
      queries: [{ expr: sumBy([], rate(RUNS_COUNT, [F.genAiAgent])) }],
    }),
    singleStat({
      title: "Error ratio",
      description: `Share of agent runs that ended with an error (error_type set). The availability SLO allows ${pct(1 - SLO.availability.target)}.`,
      unit: "percentunit",
      decimals: 2,
      graph: true,
      thresholds: [
        { value: errorBudget(SLO.availability.target), color: "orange" },
        { value: 0.05, color: "red" },
      ],
      queries: [{ expr: errorRatio(RATE) }],
    }),
    singleStat({
      title: "p95 run latency",
      description: `95th percentile duration of successful agent runs. The latency SLO threshold is ${SLO.latency.thresholdSeconds} s (for 99 % of runs).`,
      unit: "s",
      graph: true,
      thresholds: [
        { value: SLO.latency.thresholdSeconds / 2, color: "orange" },
        { value: SLO.latency.thresholdSeconds, color: "red" },
      ],
      queries: [{ expr: quantile(0.95, METRIC.runs, [F.genAiAgent, F.ok]) }],
    }),
    singleStat({
      title: "p95 time to first token",
      description:
        "95th percentile time from a streamed model call's request to its first chunk: what a chat user waits before text appears.",
      unit: "s",
      graph: true,
      thresholds: [
        { value: 1.28, color: "orange" },
        { value: 2.56, color: "red" },
      ],
      queries: [{ expr: quantile(0.95, METRIC.ttft, [F.genAiAgent, F.genAiModel]) }],
    }),
    singleStat({
      title: `Latency SLO (${SLO_PERIOD})`,
      description: `Share of successful agent runs over the last ${SLO.periodDays} days that finished within ${SLO.latency.thresholdSeconds} s (an exact histogram bucket). Target: ${pct(SLO.latency.target)}.`,
      unit: "percentunit",
      decimals: 3,
      baseColor: "red",
      thresholds: [{ value: SLO.latency.target, color: "green" }],
      queries: [{ expr: `1 - ${slowRatio(SLO_PERIOD)}`, instant: true }],
    }),
    singleStat({
      title: `Availability SLO (${SLO_PERIOD})`,
      description: `Share of agent runs over the last ${SLO.periodDays} days that ended without an error. Target: ${pct(SLO.availability.target)}.`,
      unit: "percentunit",
      decimals: 3,
      baseColor: "red",
      thresholds: [{ value: SLO.availability.target, color: "green" }],
      queries: [{ expr: `1 - ${errorRatio(SLO_PERIOD)}`, instant: true }],
    }),
  );

  board.row("Error budgets and burn rates").add(
    singleStat({
      title: "Latency error budget left",
      description: `Share of the ${SLO.periodDays}-day latency error budget (${pct(1 - SLO.latency.target)} of successful runs may be slower than ${SLO.latency.thresholdSeconds} s) not yet spent. Below 0: the SLO is missed.`,
      unit: "percentunit",
      decimals: 1,
      baseColor: "red",
      thresholds: [
        { value: 0, color: "orange" },
        { value: 0.25, color: "green" },
      ],
      h: 8,
      queries: [{ expr: `1 - ${slowRatio(SLO_PERIOD)} / ${errorBudget(SLO.latency.target)}`, instant: true }],
    }),
    singleStat({
      title: "Availability error budget left",
      description: `Share of the ${SLO.periodDays}-day availability error budget (${pct(1 - SLO.availability.target)} of runs may fail) not yet spent. Below 0: the SLO is missed.`,
      unit: "percentunit",
      decimals: 1,
      baseColor: "red",
      thresholds: [
        { value: 0, color: "orange" },
        { value: 0.25, color: "green" },
      ],
      h: 8,
      queries: [{ expr: `1 - ${errorRatio(SLO_PERIOD)} / ${errorBudget(SLO.availability.target)}`, instant: true }],
    }),
    timeSeries({
      title: "Latency burn rate",
      description: `How fast the latency error budget burns: the share of successful runs slower than ${SLO.latency.thresholdSeconds} s over each window, divided by the budget (${pct(1 - SLO.latency.target)}). 1 spends the budget in exactly ${SLO.periodDays} days; the dashed lines (${PAGING_BURN_RATES.join(" and ")}) are the paging burn rates.`,
      unit: "suffix:×",
      decimals: 1,
      w: 8,
      thresholdLines: true,
      thresholds: [
        { value: PAGING_BURN_RATES[1], color: "orange" },
        { value: PAGING_BURN_RATES[0], color: "red" },
      ],
      queries: BURN_RATE_WINDOWS.map((w) => ({ expr: `${slowRatio(w)} / ${errorBudget(SLO.latency.target)}`, legend: w })),
    }),
    timeSeries({
      title: "Availability burn rate",
      description: `How fast the availability error budget burns: the share of failed runs over each window, divided by the budget (${pct(1 - SLO.availability.target)}). 1 spends the budget in exactly ${SLO.periodDays} days; the dashed lines (${PAGING_BURN_RATES.join(" and ")}) are the paging burn rates.`,
      unit: "suffix:×",
      decimals: 1,
      w: 8,
      thresholdLines: true,
      thresholds: [
        { value: PAGING_BURN_RATES[1], color: "orange" },
        { value: PAGING_BURN_RATES[0], color: "red" },
      ],
      queries: BURN_RATE_WINDOWS.map((w) => ({ expr: `${errorRatio(w)} / ${errorBudget(SLO.availability.target)}`, legend: w })),
    }),
  );

  board.row("Traffic and errors").add(
    timeSeries({
      title: "Agent runs by outcome",
      description:
        "Agent runs per second by agent and outcome: ok, the error type (HTTP status, error code or class), or cancelled (the caller aborted or stopped reading: not an error, and in no SLO).",
      unit: "reqps",
      w: 8,
      stack: true,
      queries: [
        {
          expr: okLabel(sumBy(["gen_ai_agent_name", "error_type"], rate(RUNS_COUNT, [F.genAiAgent]))),
          legend: "{{gen_ai_agent_name}} {{error_type}}",
        },
        {
          expr: sumBy(["gen_ai_agent_name"], rate(METRIC.cancellations, [F.genAiAgent, 'gen_ai_operation_name="invoke_agent"'])),
          legend: "{{gen_ai_agent_name}} cancelled",
        },
      ],
    }),
    timeSeries({
      title: "Error ratio by agent",
      description: `Share of each agent's runs that failed. Dashed: the availability budget (${pct(1 - SLO.availability.target)}) and 5 %.`,
      unit: "percentunit",
      w: 8,
      min: 0,
      thresholdLines: true,
      thresholds: [
        { value: errorBudget(SLO.availability.target), color: "orange" },
        { value: 0.05, color: "red" },
      ],
      queries: [{ expr: errorRatio(RATE, ["gen_ai_agent_name"]), legend: "{{gen_ai_agent_name}}" }],
    }),
    timeSeries({
      title: "Failed model calls by type",
      description:
        "Model (chat) calls per second that failed, by requested model and error type: 429 is the provider's rate limit, 5xx its outages.",
      unit: "reqps",
      w: 8,
      stack: true,
      links: [{ title: "Agent internals", url: `/d/${DASHBOARD_UID.internals}?\${__url_time_range}&\${agent:queryparam}` }],
      queries: [
        {
          expr: sumBy(["gen_ai_request_model", "error_type"], rate(`${METRIC.ops}_count`, [F.genAiAgent, F.genAiModel, F.failed])),
          legend: "{{gen_ai_request_model}} {{error_type}}",
        },
      ],
    }),
  );

  board.row("Latency").add(
    timeSeries({
      title: "Agent run latency",
      description: `p50, p95 and p99 duration of successful agent runs. Dots are exemplars: a click opens that run's trace in Tempo. Dashed: the SLO threshold (${SLO.latency.thresholdSeconds} s).`,
      unit: "s",
      thresholdLines: true,
      thresholds: [{ value: SLO.latency.thresholdSeconds, color: "red" }],
      queries: [0.5, 0.95, 0.99].map((q) => ({
        expr: quantile(q, METRIC.runs, [F.genAiAgent, F.ok]),
        legend: `p${Math.round(q * 100)}`,
        exemplar: q === 0.99,
      })),
    }),
    histogramHeatmap({
      title: "Agent run latency distribution",
      description:
        "Agent runs per second in each duration bucket (successful runs): bands show the shape a percentile hides, such as a second mode. Exemplars link to traces.",
      unit: "s",
      queries: [{ expr: sumBy(["le"], rate(RUNS_BUCKET, [F.genAiAgent, F.ok])), exemplar: true }],
    }),
    timeSeries({
      title: "Time to first token by model",
      description:
        "p50 and p95 time to the first streamed chunk of model calls, by requested model. Exemplars link to the model call's trace.",
      unit: "s",
      queries: [
        {
          expr: quantile(0.5, METRIC.ttft, [F.genAiAgent, F.genAiModel], ["gen_ai_request_model"]),
          legend: "{{gen_ai_request_model}} p50",
        },
        {
          expr: quantile(0.95, METRIC.ttft, [F.genAiAgent, F.genAiModel], ["gen_ai_request_model"]),
          legend: "{{gen_ai_request_model}} p95",
          exemplar: true,
        },
      ],
    }),
    timeSeries({
      title: "Model call latency by model",
      description: "p95 duration of successful chat and retrieval calls, by operation and requested model. Exemplars link to traces.",
      unit: "s",
      queries: [
        {
          expr: quantile(0.95, METRIC.ops, [F.genAiAgent, F.genAiModel, F.ok], ["gen_ai_operation_name", "gen_ai_request_model"]),
          legend: "{{gen_ai_operation_name}} {{gen_ai_request_model}}",
          exemplar: true,
        },
      ],
    }),
    timeSeries({
      title: "Time between tokens by model",
      description: `p50 and p${Math.round(TIME_BETWEEN_TOKENS.quantile * 100)} time between two streamed chunks of a model call (after the first chunk), by requested model: how smoothly an answer streams once it started. A p${Math.round(TIME_BETWEEN_TOKENS.quantile * 100)} far above the median is a stream that stalls mid-answer. Dashed: the AgentTimeBetweenTokensHigh threshold (${TIME_BETWEEN_TOKENS.thresholdSeconds} s).`,
      unit: "s",
      w: 24,
      thresholdLines: true,
      thresholds: [{ value: TIME_BETWEEN_TOKENS.thresholdSeconds, color: "red" }],
      queries: [0.5, TIME_BETWEEN_TOKENS.quantile].map((q) => ({
        expr: quantile(q, METRIC.tbt, [F.genAiAgent, F.genAiModel], ["gen_ai_request_model"]),
        legend: `{{gen_ai_request_model}} p${Math.round(q * 100)}`,
      })),
    }),
  );

  board.row("Alerts").add(
    instantTable({
      title: "Alerts firing and pending",
      description:
        "Prometheus alerts now firing or pending (the ALERTS series), with severity and agent. Runbook and dashboard links are in each alert's annotations: open Alertmanager from the link above.",
      unit: "none",
      w: 24,
      h: 7,
      valueName: "series",
      links: [{ title: "Alertmanager", url: HOST_URL.alertmanager }],
      queries: [{ expr: 'count by (alertname, alertstate, severity, agent) (ALERTS{alertstate=~"firing|pending"})' }],
    }),
  );

  return finish(board);
}
