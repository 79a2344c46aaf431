import type { Counter } from "prom-client";

import { LABEL, METRIC } from "../semconv.js";
import type { Instruments } from "./instruments.js";
import type { MetricLabel } from "./label-limiter.js";

/** agentwatch's own health: errors in its callbacks, evicted runs, label overflow, open runs. */
export class SelfMetrics {
  private readonly handlerErrors: Counter;
  private readonly runsEvicted: Counter;
  private readonly labelOverflows: Counter;

  constructor(instruments: Instruments, options: { openRuns: () => number }) {
    this.handlerErrors = instruments.counter({
      name: METRIC.handlerErrors,
      help: "Errors inside agentwatch's own callbacks and hooks, caught before they reached the agent.",
      labelNames: [LABEL.callback],
    });
    this.runsEvicted = instruments.counter({
      name: METRIC.runsEvicted,
      help: "Runs that never ended (abandoned streams, crashed nodes) and were evicted after the TTL or the open-run cap.",
    });
    this.labelOverflows = instruments.counter({
      name: METRIC.labelOverflow,
      help: "Label values collapsed into 'other' because a label reached its distinct-value cap.",
      labelNames: [LABEL.metric, LABEL.label],
    });
    // Several handlers may share one registry: the gauge reports the sum over all of them.
    instruments.summedGauge({ name: METRIC.openRuns, help: "Runs agentwatch is tracking that have not ended yet." }, options.openRuns);
  }

  /** A callback or hook of agentwatch threw (caught by the guard). */
  handlerError(callback: string): void {
    this.handlerErrors.inc({ [LABEL.callback]: callback });
  }

  evicted(count = 1): void {
    this.runsEvicted.inc(count);
  }

  /** A label value of `metric` collapsed into `other`. */
  labelOverflow(at: MetricLabel): void {
    this.labelOverflows.inc({ [LABEL.metric]: at.metric, [LABEL.label]: at.label });
  }
}
