import type { Counter } from "prom-client";

import { LABEL, METRIC } from "../semconv.js";
import type { Instruments } from "./instruments.js";
import type { MetricLabel } from "./label-limiter.js";

/** agentwatch's own health: errors in its callbacks, evicted runs, label overflow, open runs. */
export class SelfMetrics {
  private readonly handlerErrors: Counter;
  private readonly runsEvicted: Counter;
  private readonly labelOverflows: Counter;
  private readonly storeErrors: Counter;

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
    this.storeErrors = instruments.counter({
      name: METRIC.sharedStoreErrors,
      help: "Shared-store (Redis) commands that failed, timed out or were skipped while it was down; the local fallback answered them.",
      labelNames: [LABEL.operation],
    });
    // Several handlers may share one registry: the gauge reports the sum over all of them.
    instruments.summedGauge({ name: METRIC.openRuns, help: "Runs agentwatch is tracking that have not ended yet." }, options.openRuns);
  }

  /** A callback or hook of agentwatch threw (caught by the guard). */
  handlerError(callback: string): void {
    this.handlerErrors.inc({ [LABEL.callback]: callback });
  }

  /** A shared-store command failed and was answered by the local fallback. */
  storeError(operation: string): void {
    this.storeErrors.inc({ [LABEL.operation]: operation });
  }

  evicted(count = 1): void {
    this.runsEvicted.inc(count);
  }

  /** A label value of `metric` collapsed into `other`. */
  labelOverflow(at: MetricLabel): void {
    this.labelOverflows.inc({ [LABEL.metric]: at.metric, [LABEL.label]: at.label });
  }
}
