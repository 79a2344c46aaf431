/** agentwatch's own health alerts: callback errors, evicted runs, label overflow, the scrape target, span export. */
import { after, constant, counter } from "./series.js";
import type { AreaTests } from "./types.js";

export const healthTests: AreaTests = {
  short: [
    {
      name: "AgentWatchHandlerErrors: errors in agentwatch callbacks, including a counter that just appeared",
      interval: "1m",
      series: {
        'agentwatch_handler_errors_total{job="agentwatch",instance="a:3000",callback="handleLLMEnd"}': after(5, counter([[1, 25]], 1)),
        'agentwatch_handler_errors_total{job="agentwatch",instance="a:3000",callback="handleToolEnd"}': constant(2, 30),
        'agentwatch_handler_errors_total{job="agentwatch",instance="b:3000",callback="handleChainEnd"}': after(15, constant(2, 15)),
      },
      alerts: [
        {
          at: "20m",
          alert: "AgentWatchHandlerErrors",
          fires: [
            {
              labels: { severity: "warning", job: "agentwatch", instance: "a:3000", callback: "handleLLMEnd" },
              description: "a:3000: 10 errors in agentwatch callback handleLLMEnd in the last 10m.",
            },
            {
              labels: { severity: "warning", job: "agentwatch", instance: "b:3000", callback: "handleChainEnd" },
              description: "b:3000: 2 errors in agentwatch callback handleChainEnd in the last 10m.",
            },
          ],
          quiet: "handleToolEnd's errors are older than 10 minutes",
        },
      ],
    },
    {
      name: "AgentWatchRunsEvicted: runs evicted in the last 30 minutes",
      interval: "1m",
      series: {
        'agentwatch_runs_evicted_total{job="agentwatch",instance="a:3000"}': counter([
          [0, 10],
          [1, 30],
        ]),
        'agentwatch_runs_evicted_total{job="agentwatch",instance="b:3000"}': constant(0, 40),
      },
      alerts: [
        {
          at: "40m",
          alert: "AgentWatchRunsEvicted",
          fires: [
            {
              labels: { severity: "warning", job: "agentwatch", instance: "a:3000" },
              description: "a:3000: 30 runs were evicted in the last 30m (never ended within the run TTL, or over the open-run cap).",
            },
          ],
          quiet: "b evicted nothing",
        },
      ],
    },
    {
      name: "AgentWatchLabelOverflow: label values collapsed into other",
      interval: "1m",
      series: {
        'agentwatch_label_values_overflow_total{job="agentwatch",instance="a:3000",metric="agentwatch_cost_usd_total",label="feature"}':
          counter([[2, 40]]),
        'agentwatch_label_values_overflow_total{job="agentwatch",instance="a:3000",metric="agentwatch_node_duration_seconds",label="node"}':
          constant(7, 40),
      },
      alerts: [
        {
          at: "40m",
          alert: "AgentWatchLabelOverflow",
          fires: [
            {
              labels: { severity: "info", job: "agentwatch", instance: "a:3000", metric: "agentwatch_cost_usd_total", label: "feature" },
              description: 'a:3000: 60 values of label feature on agentwatch_cost_usd_total collapsed into "other" in the last 30m.',
            },
          ],
          quiet: "node overflowed more than 30 minutes ago",
        },
      ],
    },
    {
      name: "AgentWatchTargetDown: the agent's /metrics unreachable for 5 minutes",
      interval: "1m",
      series: {
        'up{job="agentwatch",instance="a:3000"}': `${constant(1, 5)} ${constant(0, 19)}`,
        'up{job="agentwatch",instance="b:3000"}': `${constant(1, 5)} ${constant(0, 2)} ${constant(1, 16)}`,
        'up{job="prometheus",instance="localhost:9090"}': constant(0, 25),
      },
      alerts: [
        {
          at: "25m",
          alert: "AgentWatchTargetDown",
          fires: [
            {
              labels: { severity: "critical", job: "agentwatch", instance: "a:3000" },
              description: "a:3000 (job agentwatch) has not answered Prometheus's scrapes for 5m: the agent is down or its /metrics fails.",
            },
          ],
          quiet: "b was down for 3 minutes; the prometheus job is not an agent",
        },
      ],
    },
    {
      name: "AgentWatchSpansDropped: spans dropped by a full span processor for 10 minutes; a short burst stays quiet",
      interval: "1m",
      series: {
        'agentwatch_spans_dropped_total{job="agentwatch",instance="a:3000"}': counter([
          [0, 10],
          [20, 30],
        ]),
        'agentwatch_spans_dropped_total{job="agentwatch",instance="b:3000"}': counter([
          [0, 10],
          [50, 3],
          [0, 27],
        ]),
        'agentwatch_spans_dropped_total{job="agentwatch",instance="c:3000"}': constant(0, 40),
      },
      alerts: [
        { at: "19m", alert: "AgentWatchSpansDropped", fires: [], quiet: "pending: a drops since 11m, for 8 of the 10 minutes" },
        {
          at: "40m",
          alert: "AgentWatchSpansDropped",
          fires: [
            {
              labels: { severity: "warning", job: "agentwatch", instance: "a:3000" },
              description:
                "a:3000: 100 spans dropped in the last 5m, and spans dropped in every 5m for 10m: queued and in-flight spans reached maxQueueSize (the exporter is slower than spans are made, or failing).",
            },
          ],
          quiet: "b dropped 150 spans in a 3-minute burst, long ago; c dropped none",
        },
      ],
    },
    {
      name: "AgentWatchSpanExportFailing (failing): most spans fail to export for 10 minutes, with the top reason",
      interval: "1m",
      series: {
        'agentwatch_spans_exported_total{job="agentwatch",instance="a:3000"}': counter([
          [100, 10],
          [10, 30],
        ]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="connection_refused"}': counter([
          [0, 10],
          [60, 30],
        ]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="timeout"}': counter([
          [0, 10],
          [30, 30],
        ]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="http_5xx"}': constant(0, 40),
        // b: 40 % of its spans fail, under the threshold.
        'agentwatch_spans_exported_total{job="agentwatch",instance="b:3000"}': counter([[60, 40]]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="b:3000",reason="http_5xx"}': counter([[40, 40]]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="b:3000",reason="timeout"}': constant(0, 40),
        // c: every export failed for 4 minutes (a collector restart), then recovered.
        'agentwatch_spans_exported_total{job="agentwatch",instance="c:3000"}': counter([
          [100, 30],
          [0, 4],
          [100, 6],
        ]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="c:3000",reason="connection_refused"}': counter([
          [0, 30],
          [100, 4],
          [0, 6],
        ]),
      },
      alerts: [
        {
          at: "19m",
          alert: "AgentWatchSpanExportFailing",
          fires: [],
          quiet: "pending: most of a's spans fail since 13m, for 6 of the 10 minutes",
        },
        {
          at: "40m",
          alert: "AgentWatchSpanExportFailing",
          fires: [
            {
              labels: { severity: "warning", symptom: "failing", job: "agentwatch", instance: "a:3000" },
              description:
                "a:3000: 90% of spans failed to export over the last 5m (threshold 50%), most of them as connection_refused: those traces are lost.",
            },
          ],
          quiet: "b fails 40% of its spans; c failed every export for 4 minutes only (a collector restart)",
        },
      ],
    },
    {
      name: "AgentWatchSpanExportFailing (stalled): spans wait on an exporter that never reports back",
      interval: "1m",
      series: {
        // a: exports stop finishing at 5m; 512 spans stay handed to the exporter.
        'agentwatch_spans_export_pending{job="agentwatch",instance="a:3000"}': `${constant(0, 4)} ${constant(512, 35)}`,
        'agentwatch_spans_exported_total{job="agentwatch",instance="a:3000"}': `${counter([[100, 5]])} ${constant(500, 34)}`,
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="a:3000",reason="timeout"}': constant(0, 40),
        // b: a slow exporter, always busy, but its exports finish.
        'agentwatch_spans_export_pending{job="agentwatch",instance="b:3000"}': constant(512, 40),
        'agentwatch_spans_exported_total{job="agentwatch",instance="b:3000"}': counter([[50, 40]]),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="b:3000",reason="timeout"}': constant(0, 40),
        // c: idle, nothing to export.
        'agentwatch_spans_export_pending{job="agentwatch",instance="c:3000"}': constant(0, 40),
        'agentwatch_spans_exported_total{job="agentwatch",instance="c:3000"}': constant(900, 40),
        'agentwatch_spans_export_failed_total{job="agentwatch",instance="c:3000",reason="timeout"}': constant(3, 40),
      },
      alerts: [
        {
          at: "18m",
          alert: "AgentWatchSpanExportFailing",
          fires: [],
          quiet: "pending: no export of a finished since 5m, and spans waited all of the last 10 minutes since 15m",
        },
        {
          at: "30m",
          alert: "AgentWatchSpanExportFailing",
          fires: [
            {
              labels: { severity: "warning", symptom: "stalled", job: "agentwatch", instance: "a:3000" },
              description:
                "a:3000: no span export finished (none exported, none failed) in the last 10m while at least 512 spans waited on the exporter: it never reports back.",
            },
          ],
          quiet: "b's exports are slow but finish; c is idle",
        },
      ],
    },
  ],
  long: [],
};
