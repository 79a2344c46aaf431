// The canary metrics, on the registry the prober is given (never prom-client's global one). Names
// in CANARY_METRIC (packages/middleware/src/semconv.ts); `canary` is a case id of a small
// configured set, `agent` the one probed, so every label is bounded.

import { CANARY_METRIC, LABEL, type MetricsRegistry } from "@agentwatch/middleware";
import { Counter, Gauge } from "prom-client";

import type { CanaryResult } from "./types.js";

const OUTCOMES = ["pass", "fail", "error"] as const;

/** A metric already in `registry` under `name` (a second prober on one registry), else a new one from `make`. */
function reuse<T>(registry: MetricsRegistry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export class CanaryMetrics {
  private readonly checks: Counter<string>;
  private readonly score: Gauge<string>;
  private readonly lastSuccess: Gauge<string>;
  private readonly consecutive: Gauge<string>;
  private readonly failures = new Map<string, number>();

  constructor(
    registry: MetricsRegistry,
    private readonly agent: string,
    canaries: readonly string[],
    expectedGapSeconds: number,
  ) {
    const registers = [registry];
    const pair = [LABEL.agent, "canary"];
    this.checks = reuse(
      registry,
      CANARY_METRIC.checks,
      () =>
        new Counter({
          name: CANARY_METRIC.checks,
          help: "Canary checks finished, by outcome (pass, fail: a wrong answer, error: no answer)",
          labelNames: [...pair, LABEL.outcome],
          registers,
        }),
    );
    this.score = reuse(
      registry,
      CANARY_METRIC.score,
      () => new Gauge({ name: CANARY_METRIC.score, help: "The last canary check's score, 0..1", labelNames: pair, registers }),
    );
    this.lastSuccess = reuse(
      registry,
      CANARY_METRIC.lastSuccess,
      () =>
        new Gauge({
          name: CANARY_METRIC.lastSuccess,
          help: "When the canary case last passed, Unix seconds",
          labelNames: pair,
          registers,
        }),
    );
    this.consecutive = reuse(
      registry,
      CANARY_METRIC.consecutiveFailures,
      () =>
        new Gauge({
          name: CANARY_METRIC.consecutiveFailures,
          help: "Canary checks in a row that did not pass (fail or error); 0 after a pass",
          labelNames: pair,
          registers,
        }),
    );
    const interval = reuse(
      registry,
      CANARY_METRIC.interval,
      () =>
        new Gauge({
          name: CANARY_METRIC.interval,
          help: "The longest expected time between two checks of a canary case (interval + jitter), seconds",
          labelNames: [LABEL.agent],
          registers,
        }),
    );
    interval.set({ [LABEL.agent]: agent }, expectedGapSeconds);
    // Every series exists from the start, so the first failure is an increase and "no checks" is visible.
    for (const canary of canaries) {
      for (const outcome of OUTCOMES) this.checks.inc({ [LABEL.agent]: agent, canary, [LABEL.outcome]: outcome }, 0);
      this.consecutive.set({ [LABEL.agent]: agent, canary }, 0);
    }
  }

  /** Records one finished check. */
  record(result: CanaryResult, now: Date = new Date()): void {
    const labels = { [LABEL.agent]: this.agent, canary: result.canary };
    this.checks.inc({ ...labels, [LABEL.outcome]: result.outcome });
    this.score.set(labels, result.score);
    const failures = result.outcome === "pass" ? 0 : (this.failures.get(result.canary) ?? 0) + 1;
    this.failures.set(result.canary, failures);
    this.consecutive.set(labels, failures);
    if (result.outcome === "pass") this.lastSuccess.set(labels, now.getTime() / 1000);
  }
}
