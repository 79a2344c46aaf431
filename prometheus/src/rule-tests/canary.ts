/** Canary alerts: the same case failing twice in a row; a case that stopped passing without failing, or stopped being checked. */
import { constant, counter } from "./series.js";
import type { AreaTests } from "./types.js";

const at = (instance: string, agent: string, canary: string) =>
  `job="agentwatch",instance="${instance}",agent="${agent}",canary="${canary}"`;

export const canaryTests: AreaTests = {
  short: [
    {
      name: "AgentCanaryFailing: one case failing twice in a row; single misses between passes stay quiet",
      interval: "1m",
      series: {
        [`agentwatch_canary_consecutive_failures{${at("a:3000", "acme", "refund-policy")}}`]: "0 0 0 1 2 3 3",
        [`agentwatch_canary_consecutive_failures{${at("a:3000", "acme", "order-status")}}`]: "0 1 0 1 0 1 0",
        [`agentwatch_canary_consecutive_failures{${at("b:3000", "acme", "refund-policy")}}`]: constant(0, 6),
      },
      alerts: [
        { at: "3m", alert: "AgentCanaryFailing", fires: [], quiet: "refund-policy has failed once so far" },
        {
          at: "5m",
          alert: "AgentCanaryFailing",
          fires: [
            {
              labels: { severity: "critical", job: "agentwatch", instance: "a:3000", agent: "acme", canary: "refund-policy" },
              description: "acme on a:3000: canary refund-policy did not pass its last 3 checks (a wrong answer or no answer).",
            },
          ],
          quiet: "order-status misses once between passes; b passes",
        },
      ],
    },
    {
      name: "AgentCanaryStale (no_success): a case that last passed over 3 intervals ago without failing; passing and failing cases stay quiet",
      interval: "1m",
      series: {
        // Expected gap between checks: 120 s, so stale after 360 s without a pass.
        'agentwatch_canary_interval_seconds{job="agentwatch",instance="a:3000",agent="acme"}': constant(120, 20),
        // Passed at 60 s, then its checks stopped finishing.
        [`agentwatch_canary_last_success_timestamp_seconds{${at("a:3000", "acme", "stuck")}}`]: constant(60, 20),
        [`agentwatch_canary_consecutive_failures{${at("a:3000", "acme", "stuck")}}`]: constant(0, 20),
        // Passes every minute.
        [`agentwatch_canary_last_success_timestamp_seconds{${at("a:3000", "acme", "fine")}}`]: counter([[60, 20]]),
        [`agentwatch_canary_consecutive_failures{${at("a:3000", "acme", "fine")}}`]: constant(0, 20),
        // Passed at 60 s, failing since: AgentCanaryFailing's case, not a stale one.
        [`agentwatch_canary_last_success_timestamp_seconds{${at("a:3000", "acme", "wrong")}}`]: constant(60, 20),
        [`agentwatch_canary_consecutive_failures{${at("a:3000", "acme", "wrong")}}`]: counter([[1, 20]]),
      },
      alerts: [
        { at: "10m", alert: "AgentCanaryStale", fires: [], quiet: "pending: stuck is past 360 s since 7m, for 3 of the 5 minutes" },
        {
          at: "15m",
          alert: "AgentCanaryStale",
          fires: [
            {
              labels: { severity: "warning", symptom: "no_success", job: "agentwatch", instance: "a:3000", agent: "acme", canary: "stuck" },
              description:
                "acme on a:3000: canary stuck last passed 14m 0s ago, over 3 check intervals, without failing either: its checks do not finish.",
            },
          ],
          quiet: "fine passes every minute; wrong fails (AgentCanaryFailing says so)",
        },
      ],
    },
    {
      name: "AgentCanaryStale (no_checks): no check of a case finished in 30 minutes; a checked case stays quiet",
      interval: "1m",
      series: {
        // Checked every minute for 10 minutes, then never again.
        [`agentwatch_canary_checks_total{${at("a:3000", "acme", "idle")},outcome="pass"}`]: counter([
          [1, 10],
          [0, 40],
        ]),
        [`agentwatch_canary_checks_total{${at("a:3000", "acme", "idle")},outcome="fail"}`]: constant(0, 50),
        [`agentwatch_canary_checks_total{${at("a:3000", "acme", "busy")},outcome="pass"}`]: counter([[1, 50]]),
        [`agentwatch_canary_checks_total{${at("a:3000", "acme", "busy")},outcome="fail"}`]: constant(0, 50),
      },
      alerts: [
        { at: "43m", alert: "AgentCanaryStale", fires: [], quiet: "pending: idle's last check is 30 minutes old since 40m" },
        {
          at: "46m",
          alert: "AgentCanaryStale",
          fires: [
            {
              labels: { severity: "warning", symptom: "no_checks", job: "agentwatch", instance: "a:3000", agent: "acme", canary: "idle" },
              description: "acme on a:3000: no check of canary idle finished in the last 30m: the prober is stuck or stopped.",
            },
          ],
          quiet: "busy is checked every minute",
        },
      ],
    },
  ],
  long: [],
};
