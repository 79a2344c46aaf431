/** Agent internals: which node, tool, model call or retrieval is slow or failing, is the agent looping, and which traces show it. */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import { addLinks, agentVariable, ANNOTATION, datasourceVariable, finish, modelVariable, TITLE } from "../common.js";
import { Board, histogramHeatmap, timeSeries, traceSearch } from "../panels.js";
import { F, increase, METRIC, quantile, rate, share, sumBy } from "../promql.js";
import { leLabel, TRACE_THRESHOLDS } from "../slo.js";

/** TraceQL: root spans of agent runs of the selected agents. */
const AGENT_RUN = 'span.gen_ai.operation.name = "invoke_agent" && span.gen_ai.agent.name =~ "$agent"';

/** Per-second executions, error share and p95 latency of a duration histogram, by `label`. */
function rateErrorsLatency(what: string, metric: string, agent: string, label: string, extra: string[] = []) {
  const matchers = [agent, ...extra];
  const count = `${metric}_count`;
  return [
    timeSeries({
      title: `${what} per second`,
      description: `${what} finished per second, by ${label}.`,
      unit: "reqps",
      w: 8,
      stack: true,
      queries: [{ expr: sumBy([label], rate(count, matchers)), legend: `{{${label}}}` }],
    }),
    timeSeries({
      title: `${what}: error ratio`,
      description: `Share of ${what.toLowerCase()} that failed, by ${label}.`,
      unit: "percentunit",
      w: 8,
      min: 0,
      queries: [
        {
          expr: share(sumBy([label], rate(count, [...matchers, F.failed])), sumBy([label], rate(count, matchers))),
          legend: `{{${label}}}`,
        },
      ],
    }),
    timeSeries({
      title: `${what}: p95 latency`,
      description: `95th percentile duration of successful ${what.toLowerCase()}, by ${label}. Exemplars link to traces.`,
      unit: "s",
      w: 8,
      queries: [{ expr: quantile(0.95, metric, [...matchers, F.ok], [label]), legend: `{{${label}}}`, exemplar: true }],
    }),
  ];
}

export function internalsDashboard(): dashboard.Dashboard {
  const board = new Board(
    "internals",
    TITLE.internals,
    "Inside the agent: LangGraph nodes, tools, model and retrieval calls (rate, errors, latency), retrieval quality, tool and model calls per run, loops and guard trips, and Tempo searches for slow, failed and expensive runs.",
    ["internals", "traces"],
  );
  board.builder
    .withVariable(datasourceVariable())
    .withVariable(agentVariable())
    .withVariable(modelVariable())
    .annotation(ANNOTATION.incidents());
  addLinks(board, "internals");

  board.row("Graph nodes").add(...rateErrorsLatency("Node executions", METRIC.nodes, F.agent, "node"));
  board.row("Tools").add(...rateErrorsLatency("Tool calls", METRIC.tools, F.genAiAgent, "gen_ai_tool_name"));
  board.row("Model, embeddings and retrieval calls").add(
    ...rateErrorsLatency("Model and retrieval calls", METRIC.ops, F.genAiAgent, "gen_ai_operation_name", [F.genAiModel]),
    timeSeries({
      title: "Throttled calls (HTTP 429) by provider",
      description:
        "Share of model, embeddings and retrieval calls the provider rate limited (error_type 429), by agent and provider, retried or not: a retry that absorbs a 429 leaves the run error rate untouched, not this. AgentProviderThrottled fires above 10 % for 10 minutes.",
      unit: "percentunit",
      w: 12,
      min: 0,
      queries: [
        {
          expr: share(
            sumBy(["gen_ai_agent_name", "gen_ai_provider_name"], rate(`${METRIC.ops}_count`, [F.genAiAgent, 'error_type="429"'])),
            sumBy(["gen_ai_agent_name", "gen_ai_provider_name"], rate(`${METRIC.ops}_count`, [F.genAiAgent])),
          ),
          legend: "{{gen_ai_agent_name}} {{gen_ai_provider_name}}",
        },
      ],
    }),
    timeSeries({
      title: "Model retries and fallbacks per second",
      description:
        "Failed model calls that were retried (the same model called again: withRetry, modelRetryMiddleware, a node calling again) and failed calls replaced by another model (withFallbacks, modelFallbackMiddleware), by the failed call's error_type. A chat model's own maxRetries is not seen.",
      unit: "reqps",
      w: 12,
      stack: true,
      queries: [
        {
          expr: sumBy(["agent", "model", "error_type"], rate(METRIC.modelRetries, [F.agent, F.model])),
          legend: "retry {{agent}} {{model}} {{error_type}}",
        },
        {
          expr: sumBy(["agent", "from_model", "to_model", "error_type"], rate(METRIC.modelFallbacks, [F.agent])),
          legend: "fallback {{agent}} {{from_model}} → {{to_model}} {{error_type}}",
        },
      ],
    }),
  );

  board.row("Retrieval quality").add(
    timeSeries({
      title: "Documents per retrieval",
      description: "p50 and p95 documents each retrieval returned, by data source.",
      unit: "short",
      w: 8,
      queries: [0.5, 0.95].map((q) => ({
        expr: quantile(q, METRIC.retrievalDocuments, [F.agent], ["gen_ai_data_source_id"]),
        legend: `{{gen_ai_data_source_id}} p${Math.round(q * 100)}`,
      })),
    }),
    timeSeries({
      title: "Best document score",
      description:
        "Median and 10th percentile relevance score of the best document of each retrieval, by data source. Near 0: the index returns irrelevant documents.",
      unit: "none",
      decimals: 2,
      w: 8,
      min: 0,
      max: 1,
      queries: [
        {
          expr: quantile(0.5, METRIC.retrievalTopScore, [F.agent], ["gen_ai_data_source_id"]),
          legend: "{{gen_ai_data_source_id}} median",
        },
        { expr: quantile(0.1, METRIC.retrievalTopScore, [F.agent], ["gen_ai_data_source_id"]), legend: "{{gen_ai_data_source_id}} p10" },
      ],
    }),
    timeSeries({
      title: "Empty and low-score retrievals",
      description: "Share of retrievals that returned no document, and share whose best document scored at most 0.2.",
      unit: "percentunit",
      w: 8,
      min: 0,
      queries: [
        {
          expr: `${sumBy([], rate(`${METRIC.retrievalDocuments}_bucket`, [F.agent, `le="${leLabel(0)}"`]))} / ${sumBy([], rate(`${METRIC.retrievalDocuments}_count`, [F.agent]))}`,
          legend: "no document",
        },
        {
          expr: `${sumBy([], rate(`${METRIC.retrievalTopScore}_bucket`, [F.agent, `le="${leLabel(0.2)}"`]))} / ${sumBy([], rate(`${METRIC.retrievalTopScore}_count`, [F.agent]))}`,
          legend: "best score ≤ 0.2",
        },
      ],
    }),
  );

  board.row("Agent loop: calls per run, repeats and guards").add(
    timeSeries({
      title: "Tool calls per run",
      description: "p50 and p95 tool calls per agent run (agentwatch_run_tool_calls). A loop pushes p95 to the recursion limit.",
      unit: "short",
      w: 8,
      queries: [0.5, 0.95].map((q) => ({ expr: quantile(q, METRIC.runToolCalls, [F.agent]), legend: `p${Math.round(q * 100)}` })),
    }),
    histogramHeatmap({
      title: "Tool calls per run distribution",
      description: "Agent runs per second by the number of tool calls they made.",
      unit: "short",
      w: 8,
      queries: [{ expr: sumBy(["le"], rate(`${METRIC.runToolCalls}_bucket`, [F.agent])) }],
    }),
    timeSeries({
      title: "Repeated tool calls (loops)",
      description:
        "Tool calls in the last 10 minutes that repeated an earlier call of the same run with the same arguments, by agent and tool: the agent-loop signal.",
      unit: "short",
      w: 8,
      queries: [{ expr: sumBy(["agent", "tool"], increase(METRIC.toolRepeats, [F.agent], "10m")), legend: "{{agent}} {{tool}}" }],
    }),
    timeSeries({
      title: "Guard trips",
      description:
        "Run guards (cost, tokens, model calls, tool calls, repeated tool calls) tripped in the last 10 minutes, by agent and guard. With action abort, each trip stopped a run.",
      unit: "short",
      w: 8,
      queries: [{ expr: sumBy(["agent", "guard"], increase(METRIC.guardTrips, [F.agent], "10m")), legend: "{{agent}} {{guard}}" }],
    }),
    timeSeries({
      title: "Model calls per run",
      description: "p50 and p95 model calls per agent run (agentwatch_run_llm_calls).",
      unit: "short",
      w: 8,
      queries: [0.5, 0.95].map((q) => ({ expr: quantile(q, METRIC.runLlmCalls, [F.agent]), legend: `p${Math.round(q * 100)}` })),
    }),
    timeSeries({
      title: "Human-in-the-loop interrupts",
      description:
        "Runs paused by a human-in-the-loop interrupt (LangGraph interrupt(), NodeInterrupt) in the last 10 minutes, by agent and the node that interrupted. Not errors; handoffs are beside it.",
      unit: "short",
      w: 8,
      queries: [{ expr: sumBy(["agent", "node"], increase(METRIC.interrupts, [F.agent], "10m")), legend: "{{agent}} {{node}}" }],
    }),
    timeSeries({
      title: "Handoffs",
      description:
        "Control handed from one LangGraph node to another in the last 10 minutes (a returned Command goto; a supervisor expert's ParentCommand to the parent graph), by agent, from and to. Not interrupts, not errors.",
      unit: "short",
      w: 8,
      queries: [
        { expr: sumBy(["agent", "from", "to"], increase(METRIC.handoffs, [F.agent], "10m")), legend: "{{agent}} {{from}} → {{to}}" },
      ],
    }),
  );

  board.row("Traces (Tempo)").add(
    traceSearch({
      title: `Slow agent runs (> ${TRACE_THRESHOLDS.slowRunSeconds} s)`,
      description: `Agent runs slower than the latency SLO threshold (${TRACE_THRESHOLDS.slowRunSeconds} s) in the time range, newest first: open one to see which step took the time.`,
      traceql: `{ ${AGENT_RUN} && duration > ${TRACE_THRESHOLDS.slowRunSeconds}s }`,
    }),
    traceSearch({
      title: "Failed agent runs",
      description: "Agent runs that ended with an error status: the failing span carries error.type and an exception event.",
      traceql: `{ ${AGENT_RUN} && status = error }`,
    }),
    traceSearch({
      title: `Expensive agent runs (> $${TRACE_THRESHOLDS.expensiveRunUsd})`,
      description: `Agent runs whose model calls cost more than ${TRACE_THRESHOLDS.expensiveRunUsd} USD (agentwatch.cost.usd on the root span).`,
      traceql: `{ ${AGENT_RUN} && span.agentwatch.cost.usd > ${TRACE_THRESHOLDS.expensiveRunUsd} }`,
    }),
    traceSearch({
      title: "Failed tool and model calls",
      description: "Tool executions and model calls that failed, with the run they belong to.",
      traceql: `{ ${AGENT_RUN} } >> { span.gen_ai.operation.name =~ "execute_tool|chat" && status = error }`,
    }),
  );

  return finish(board);
}
