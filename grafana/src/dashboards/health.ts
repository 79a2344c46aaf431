/** agentwatch middleware health: can the metrics and traces be trusted? Scrapes, handler errors, open and evicted runs, label overflow, span export. */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import { addLinks, ANNOTATION, datasourceVariable, finish, jobVariable, TITLE } from "../common.js";
import { Board, singleStat, stateTimeline, timeSeries } from "../panels.js";
import { F, increase, METRIC, rate, sel, sumBy } from "../promql.js";

const JOB = [F.job];

export function healthDashboard(): dashboard.Dashboard {
  const board = new Board(
    "health",
    TITLE.health,
    "Whether the other dashboards and the traces can be trusted: scrape health of every target, errors inside agentwatch's own callbacks, runs that never ended, label values collapsed into 'other', and whether spans reach the tracing backend.",
    ["health", "middleware"],
  );
  board.builder.withVariable(datasourceVariable()).withVariable(jobVariable()).annotation(ANNOTATION.alerts());
  addLinks(board, "health");

  board.row("Now").add(
    singleStat({
      title: "Targets up",
      description: "Scrape targets Prometheus reached on its last scrape.",
      unit: "short",
      decimals: 0,
      queries: [{ expr: `sum(up${sel(...JOB)})`, instant: true }],
    }),
    singleStat({
      title: "Targets down",
      description: "Scrape targets Prometheus could not scrape on its last try: their metrics are missing from every dashboard.",
      unit: "short",
      decimals: 0,
      thresholds: [{ value: 1, color: "red" }],
      queries: [{ expr: `count(up${sel(...JOB)} == 0) or vector(0)`, instant: true }],
    }),
    singleStat({
      title: "Handler errors in the time range",
      description:
        "Errors inside agentwatch's callbacks and hooks (a throwing redact hook, a bad payload), caught before they reached the agent. Each one may have lost a span attribute or a metric.",
      unit: "short",
      decimals: 0,
      thresholds: [{ value: 1, color: "red" }],
      queries: [{ expr: `${sumBy([], increase(METRIC.handlerErrors, JOB))} or vector(0)`, instant: true }],
    }),
    singleStat({
      title: "Open runs",
      description:
        "Runs agentwatch is tracking that have not ended, across targets. Growing without traffic growing: runs that never end (abandoned streams).",
      unit: "short",
      decimals: 0,
      graph: true,
      queries: [{ expr: `sum(${METRIC.openRuns}${sel(...JOB)})` }],
    }),
    singleStat({
      title: "Runs evicted in the time range",
      description:
        "Runs that never ended and were evicted after runTtlMs or past maxOpenRuns: their spans ended with agentwatch.run.evicted=true.",
      unit: "short",
      decimals: 0,
      thresholds: [{ value: 1, color: "orange" }],
      queries: [{ expr: `${sumBy([], increase(METRIC.evicted, JOB))} or vector(0)`, instant: true }],
    }),
    singleStat({
      title: "Label values collapsed in the time range",
      description:
        "Label values that exceeded maxLabelValues and were recorded as 'other': the breakdowns by that label are incomplete. Raise the cap or bound the label.",
      unit: "short",
      decimals: 0,
      thresholds: [{ value: 1, color: "orange" }],
      queries: [{ expr: `${sumBy([], increase(METRIC.labelOverflow, JOB))} or vector(0)`, instant: true }],
    }),
  );

  board.row("Scrapes").add(
    stateTimeline({
      title: "Scrape health by target",
      description: "Whether each target (job, instance) was scraped successfully (the `up` series).",
      unit: "none",
      h: 7,
      baseColor: "red",
      states: { "0": { text: "down", color: "red" }, "1": { text: "up", color: "green" } },
      queries: [{ expr: `up${sel(...JOB)}`, legend: "{{job}} {{instance}}" }],
    }),
    timeSeries({
      title: "Scrape duration",
      description: "How long each scrape of each target took. Close to the scrape timeout: the target is slow to render /metrics.",
      unit: "s",
      queries: [{ expr: `scrape_duration_seconds${sel(...JOB)}`, legend: "{{job}} {{instance}}" }],
    }),
    timeSeries({
      title: "Samples per scrape",
      description: "Samples each scrape returned: a steady climb means growing label cardinality.",
      unit: "short",
      queries: [{ expr: `scrape_samples_scraped${sel(...JOB)}`, legend: "{{job}} {{instance}}" }],
    }),
  );

  board.row("agentwatch internals").add(
    timeSeries({
      title: "Handler errors by callback",
      description: "Errors inside agentwatch's callbacks per minute, by callback (handleLLMEnd, redact, ...).",
      unit: "cpm",
      w: 8,
      queries: [{ expr: `${sumBy(["callback"], rate(METRIC.handlerErrors, JOB))} * 60`, legend: "{{callback}}" }],
    }),
    timeSeries({
      title: "Open runs by target",
      description: "Runs started and not yet ended, per scraped instance.",
      unit: "short",
      w: 8,
      queries: [{ expr: `sum by (instance) (${METRIC.openRuns}${sel(...JOB)})`, legend: "{{instance}}" }],
    }),
    timeSeries({
      title: "Evictions and label overflow",
      description: "Runs evicted, and label values collapsed into 'other' by metric and label, in the last 10 minutes.",
      unit: "short",
      w: 8,
      queries: [
        { expr: sumBy(["instance"], increase(METRIC.evicted, JOB, "10m")), legend: "evicted {{instance}}" },
        { expr: sumBy(["metric", "label"], increase(METRIC.labelOverflow, JOB, "10m")), legend: "overflow {{metric}} {{label}}" },
      ],
    }),
  );

  const failed = sumBy(["instance"], rate(METRIC.spansFailed, JOB));
  board.row("Span export").add(
    timeSeries({
      title: "Spans exported, failed and dropped",
      description:
        "Spans per second through monitoredBatchSpanProcessor: exported, failed by reason (timeout, connection_refused, http_5xx, ...), and dropped because the processor was full. Failed and dropped spans never reach Tempo. Empty: the application does not use monitoredBatchSpanProcessor.",
      unit: "suffix: spans/s",
      w: 8,
      queries: [
        { expr: sumBy([], rate(METRIC.spansExported, JOB)), legend: "exported" },
        { expr: `${sumBy(["reason"], rate(METRIC.spansFailed, JOB))} > 0`, legend: "failed: {{reason}}" },
        { expr: sumBy([], rate(METRIC.spansDropped, JOB)), legend: "dropped" },
      ],
    }),
    timeSeries({
      title: "Span export failure ratio",
      description:
        "Share of the spans whose export finished that failed, per instance. AgentWatchSpanExportFailing fires above 50 % for 10 minutes.",
      unit: "percentunit",
      w: 8,
      min: 0,
      max: 1,
      queries: [{ expr: `${failed} / (${failed} + ${sumBy(["instance"], rate(METRIC.spansExported, JOB))})`, legend: "{{instance}}" }],
    }),
    timeSeries({
      title: "Span processor fill",
      description:
        "Spans queued for export and handed to the exporter without a result yet, against the capacity (maxQueueSize): at the capacity new spans are dropped. In flight staying up while nothing is exported: the exporter hangs.",
      unit: "short",
      w: 8,
      queries: [
        { expr: sumBy(["instance"], `${METRIC.spanQueue}${sel(...JOB)}`), legend: "queued {{instance}}" },
        { expr: sumBy(["instance"], `${METRIC.spansPending}${sel(...JOB)}`), legend: "in flight {{instance}}" },
        { expr: sumBy(["instance"], `${METRIC.spanQueueCapacity}${sel(...JOB)}`), legend: "capacity {{instance}}" },
      ],
    }),
  );

  return finish(board);
}
