import type { BudgetOptions } from "../cost/types.js";
import type { DriftResult } from "../drift/types.js";
import { OutcomeMetrics } from "../outcomes/metrics.js";
import { AgentMetrics } from "./agents.js";
import { CostMetrics } from "./cost.js";
import { DriftMetrics } from "./drift.js";
import { Instruments } from "./instruments.js";
import { OperationMetrics } from "./operations.js";
import { QualityMetrics } from "./quality.js";
import { SelfMetrics } from "./self.js";
import { Series } from "./series.js";
import type { MetricsRegistry } from "./types.js";

/**
 * A handler's metric instruments, registered in one registry and grouped by family
 * (`metrics.agents.tool(...)`). Every label value passes the label limiter; duration histograms
 * carry trace/span exemplars when the registry serves OpenMetrics. Several handlers may share a
 * registry: they share its instruments, and {@link close} takes one handler's part of the shared
 * gauges out again.
 */
export class AgentWatchMetrics {
  /** GenAI client operations: duration, tokens, streamed chunk timing. */
  readonly operations: OperationMetrics;
  /** Agent runs, LangGraph nodes and interrupts, tools, retrievals. */
  readonly agents: AgentMetrics;
  /** Spend, unpriced and estimated calls, budgets, run guards. */
  readonly cost: CostMetrics;
  /** Model responses, prompts, evaluations, feedback, guardrails. */
  readonly quality: QualityMetrics;
  /** agentwatch's own health. */
  readonly self: SelfMetrics;
  /** Conversation outcomes and turns (outcomes/). */
  readonly outcomes: OutcomeMetrics;
  private readonly instruments: Instruments;

  constructor(
    registry: MetricsRegistry,
    options: {
      maxLabelValues: number;
      agentDurationBuckets: readonly number[];
      openRuns: () => number;
      attributionLabels: readonly string[];
      budgets: BudgetOptions;
      promptVersionLabel: boolean;
      semconvDrafts?: boolean;
    },
  ) {
    const instruments = (this.instruments = new Instruments(registry));
    const series = new Series({
      maxLabelValues: options.maxLabelValues,
      exemplars: instruments.openMetrics,
      onOverflow: (at) => this.self.labelOverflow(at),
    });
    // Families register in this order, which is the order of the exposition.
    this.operations = new OperationMetrics(instruments, series, {
      promptVersionLabel: options.promptVersionLabel,
      semconvDrafts: options.semconvDrafts ?? false,
    });
    this.agents = new AgentMetrics(instruments, series, { agentDurationBuckets: options.agentDurationBuckets });
    this.cost = new CostMetrics(instruments, series, { attributionLabels: options.attributionLabels, budgets: options.budgets });
    this.quality = new QualityMetrics(instruments, series);
    this.self = new SelfMetrics(instruments, { openRuns: options.openRuns });
    this.outcomes = new OutcomeMetrics(instruments, series);
  }

  /** Registers the drift gauges, which read `results` at each scrape. */
  drift(results: () => readonly DriftResult[]): void {
    new DriftMetrics(this.instruments, results);
  }

  /** Takes this handler's open runs and prompts out of the registry's shared gauges; its counts stay. Idempotent. */
  close(): void {
    this.instruments.close();
  }
}
