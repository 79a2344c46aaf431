// The canary prober: a small set of known-answer cases asked on a schedule (interval plus jitter,
// one round at a time, never overlapping), their results as metrics on the app's registry.

import { forbiddenContentEvaluator } from "../evaluators/forbidden-content.js";
import { regexPatternsEvaluator } from "../evaluators/regex-patterns.js";
import { requiredFactsEvaluator } from "../evaluators/required-facts.js";
import type { CaseEvaluator } from "../evaluators/types.js";
import type { EvalCase } from "../types.js";
import { CanaryMetrics } from "./canary-metrics.js";
import { type CanarySettings, canarySettings } from "./canary-options.js";
import { type Ask, asker, checkCase } from "./check-case.js";
import type { CanaryOptions, CanaryResult } from "./types.js";

/**
 * Runs canary cases against an agent, in process or over HTTP, marking the traffic synthetic.
 * `start()` schedules rounds: the first after `firstDelayMs`, each next one `intervalMs` (plus up
 * to `jitterMs`) after the previous round ended, so rounds never overlap; `stop()` cancels the
 * next round and resolves when the running one (if any) has ended. `runOnce()` runs one round now.
 */
export class CanaryProber {
  private readonly settings: CanarySettings;
  private readonly cases: readonly EvalCase[];
  private readonly evaluators: readonly CaseEvaluator[];
  private readonly ask: Ask;
  private readonly metrics: CanaryMetrics;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CanaryResult[]> | undefined;
  private stopped = true;

  constructor(private readonly options: CanaryOptions) {
    this.settings = canarySettings(options);
    this.cases = [...options.cases];
    this.evaluators = options.evaluators ?? [requiredFactsEvaluator(), regexPatternsEvaluator(), forbiddenContentEvaluator()];
    this.ask = asker(options.target);
    this.random = options.random ?? Math.random;
    const gapSeconds = (this.settings.intervalMs + this.settings.jitterMs + this.settings.timeoutMs * this.cases.length) / 1000;
    this.metrics = new CanaryMetrics(
      options.registry,
      options.agent,
      this.cases.map((c) => c.id),
      gapSeconds,
    );
  }

  /** Whether rounds are scheduled. */
  get started(): boolean {
    return !this.stopped;
  }

  /** Schedules rounds until {@link stop}. Calling it again while started does nothing. */
  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.schedule(this.settings.firstDelayMs);
    return this;
  }

  /** Stops scheduling; resolves once a round under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Runs one round now (every case, one after the other), or joins the round under way. */
  runOnce(): Promise<CanaryResult[]> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce().finally(() => this.schedule(this.settings.intervalMs + this.random() * this.settings.jitterMs));
    }, delayMs);
    // The prober alone never keeps a process alive.
    this.timer.unref();
  }

  private async round(): Promise<CanaryResult[]> {
    const results: CanaryResult[] = [];
    // One case at a time: canaries must not add a burst of load to the agent they watch.
    for (const evalCase of this.cases) {
      const result = await checkCase(this.ask, evalCase, this.evaluators, this.settings.timeoutMs);
      this.metrics.record(result);
      try {
        this.options.onCheck?.(result);
      } catch {
        // A logging hook must not stop the canaries.
      }
      results.push(result);
    }
    return results;
  }
}
