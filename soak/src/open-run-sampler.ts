import type { AgentWatchHandler } from "@agentwatch/middleware";

import type { RunLedger } from "./run-ledger.js";
import type { SpanLedger } from "./span-ledger.js";

/** What the sampler saw. */
export interface OpenRunSamples {
  /** Largest `handler.openRuns` sampled. */
  max: number;
  samples: number;
  /** Samples where `handler.openRuns` exceeded the bound. */
  violations: number;
  firstViolation?: string;
  /** The bound at the last sample. */
  bound: number;
  /** Samples that found a span open longer than the limit. */
  overdueSpanSamples: number;
  /** Longest a sample came late: the process could not run (blocked, or not scheduled) that long. */
  maxLatenessMs: number;
}

/**
 * Samples `handler.openRuns` every `everyMs` against what LangChain really has open: agentwatch may
 * hold only runs LangChain has not ended and that are younger than `limitMs` (TTL + sweep period +
 * slack), plus `allowance` runs outside the ledger (the LLM judge's calls). It also checks that no
 * span has been open longer than `limitMs`. A late sample (the process did not run) extends both by
 * its lateness: no sweep can run while the process does not.
 */
export class OpenRunSampler {
  readonly stats: OpenRunSamples = { max: 0, samples: 0, violations: 0, bound: 0, overdueSpanSamples: 0, maxLatenessMs: 0 };
  private timer: ReturnType<typeof setInterval> | undefined;
  private last = performance.now();
  private readonly start = performance.now();

  constructor(
    private readonly handler: AgentWatchHandler,
    private readonly ledger: RunLedger,
    private readonly spans: SpanLedger,
    private readonly limitMs: number,
    private readonly allowance: number,
    private readonly everyMs = 100,
  ) {}

  begin(): void {
    this.last = performance.now();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  sample(): void {
    const now = performance.now();
    const lateness = Math.max(0, now - this.last - this.everyMs);
    this.last = now;
    const s = this.stats;
    s.maxLatenessMs = Math.max(s.maxLatenessMs, lateness);
    this.ledger.sweep(lateness);
    const open = this.handler.openRuns;
    s.bound = this.ledger.liveOpen + this.allowance;
    s.samples++;
    s.max = Math.max(s.max, open);
    if (open > s.bound) {
      s.violations++;
      s.firstViolation ??= `${open} open runs > bound ${s.bound} at ${((now - this.start) / 1000).toFixed(1)} s`;
    }
    if (this.spans.scan(this.limitMs + lateness) > 0) s.overdueSpanSamples++;
  }
}
