import type { Counter, Histogram } from "prom-client";

import type { Instruments } from "../metrics/instruments.js";
import type { Series } from "../metrics/series.js";
import { BUCKETS, LABEL, METRIC } from "../semconv.js";
import type { StoreFailure } from "./store-calls.js";

/**
 * Conversation outcomes: one count per conversation when its outcome is decided, the turns it
 * took, and failures of the store that holds conversation state.
 */
export class OutcomeMetrics {
  private readonly outcomes: Counter;
  private readonly turns: Histogram;
  private readonly storeErrors: Counter;

  constructor(
    instruments: Instruments,
    private readonly series: Series,
  ) {
    this.outcomes = instruments.counter({
      name: METRIC.conversationOutcomes,
      help: "Conversations by agent and outcome, each counted once when its outcome is decided (the first decision wins).",
      labelNames: [LABEL.agent, LABEL.outcome],
    });
    this.turns = instruments.histogram({
      name: METRIC.conversationTurns,
      help: "Turns (root agent runs) per conversation, observed when its outcome is decided, by agent and outcome.",
      labelNames: [LABEL.agent, LABEL.outcome],
      buckets: BUCKETS.conversationTurns,
    });
    this.storeErrors = instruments.counter({
      name: METRIC.outcomeStoreErrors,
      help: "Calls to the conversation-state store that failed (error), took too long (timeout) or found no room (overflow); runs are never affected.",
      labelNames: [LABEL.reason],
    });
  }

  /** A conversation's outcome was decided, after `turns` turns. */
  decided(agent: string, outcome: string, turns: number): void {
    const labels = this.series.bound(METRIC.conversationOutcomes, { [LABEL.agent]: agent, [LABEL.outcome]: outcome });
    this.outcomes.inc(labels);
    this.turns.observe(labels, turns);
  }

  storeError(reason: StoreFailure): void {
    this.storeErrors.inc({ [LABEL.reason]: reason });
  }
}
