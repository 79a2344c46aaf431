import { MemoryStore } from "../state/memory-store.js";
import type { SharedStore } from "../state/types.js";
import { ksTest } from "./ks.js";
import { mmdTest } from "./mmd.js";
import { proportionTest } from "./proportions.js";
import { References } from "./references.js";
import { isRefusal } from "./refusal.js";
import type { DriftBaseline, DriftReferenceValues, DriftResult, DriftSignal } from "./types.js";
import { SlidingWindow } from "./window.js";

/** Drift settings with defaults filled in (options.ts). */
export interface ResolvedDriftOptions {
  windowSize: number;
  embeddingWindowSize: number;
  embeddingSampleRate: number;
  maxAgeMs: number;
  minSamples: number;
  intervalMs: number;
  permutations: number;
  seed: number;
  store: SharedStore | undefined;
  baseline: DriftBaseline | undefined;
  referenceMaxAgeMs: number;
  storeTimeoutMs: number;
}

/** Agents tracked at most (the `agent` label stays bounded); later agents are not watched. */
const MAX_AGENTS = 50;

type Windows = Map<DriftSignal, SlidingWindow<number | number[]>>;

/**
 * Drift detection: callbacks push observations into bounded windows (O(1), no statistics); a
 * timer (`intervalMs`, unref'd) runs the tests against the references and keeps the latest results
 * for the gauges. Nothing here throws into the host agent: `check` reports failures to `onError`.
 */
export class DriftMonitor {
  private readonly windows = new Map<string, Windows>();
  private readonly references: References;
  private readonly latest = new Map<string, DriftResult>();
  private readonly timer: NodeJS.Timeout;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedDriftOptions,
    private readonly hooks: { onError: (where: string, error: unknown) => void; random: () => number; now: () => number },
  ) {
    this.references = new References(
      options.store ?? new MemoryStore(),
      {
        maxAgeMs: options.referenceMaxAgeMs,
        timeoutMs: options.storeTimeoutMs,
        onStoreError: (error) => hooks.onError("drift_store", error),
      },
      options.baseline,
    );
    this.timer = setInterval(() => void this.check(), options.intervalMs);
    this.timer.unref();
  }

  /** A model answer: its length, output tokens, first finish reason. */
  observeAnswer(agent: string, answer: string, outputTokens: number | undefined, finishReason: string | undefined): void {
    const now = this.hooks.now();
    const w = this.windowsOf(agent);
    if (w === undefined) return;
    this.push(w, "answer_length", answer.length, now);
    if (outputTokens !== undefined) this.push(w, "output_tokens", outputTokens, now);
    this.push(w, "finish_length", finishReason === "length" ? 1 : 0, now);
    this.push(w, "finish_content_filter", finishReason === "content_filter" ? 1 : 0, now);
    this.push(w, "refusal", isRefusal(answer) ? 1 : 0, now);
  }

  /** A query vector from `embedQuery`, kept with probability `embeddingSampleRate`. */
  observeQuery(agent: string, vector: unknown): void {
    if (!Array.isArray(vector) || vector.length === 0 || typeof vector[0] !== "number") return;
    if (this.options.embeddingSampleRate < 1 && this.hooks.random() >= this.options.embeddingSampleRate) return;
    const w = this.windowsOf(agent);
    if (w !== undefined) this.push(w, "query_embedding", [...(vector as number[])], this.hooks.now());
  }

  /** The latest test of every agent and signal. */
  results(): DriftResult[] {
    return [...this.latest.values()];
  }

  /** Every reference known in this process, as a baseline file holds them. */
  baseline(): DriftBaseline {
    return this.references.baseline();
  }

  /** Runs the tests now (the timer calls this); concurrent calls share one run. Never rejects. */
  check(): Promise<void> {
    this.checking ??= this.runChecks()
      .catch((error: unknown) => this.hooks.onError("drift_check", error))
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async runChecks(): Promise<void> {
    const now = this.hooks.now();
    for (const [agent, windows] of this.windows) {
      for (const [signal, window] of windows) {
        const current = window.snapshot(now) as DriftReferenceValues;
        const ref = await this.references.get(agent, signal);
        if (current.length === window.capacity && this.references.wants(ref, now)) {
          await this.references.adopt(agent, signal, current, now);
          this.latest.delete(`${agent}\u0000${signal}`);
          continue;
        }
        if (ref === undefined || current.length < this.options.minSamples) continue;
        this.latest.set(`${agent}\u0000${signal}`, {
          agent,
          signal,
          ...this.test(signal, current, ref.values),
          currentSize: current.length,
          referenceSize: ref.values.length,
        });
      }
    }
  }

  private test(signal: DriftSignal, current: DriftReferenceValues, reference: DriftReferenceValues): { score: number; pValue: number } {
    if (signal === "query_embedding") {
      const r = mmdTest(current as number[][], reference as number[][], {
        permutations: this.options.permutations,
        seed: this.options.seed,
      });
      return { score: r.mmd2, pValue: r.pValue };
    }
    if (signal === "answer_length" || signal === "output_tokens") {
      const r = ksTest(current as number[], reference as number[]);
      return { score: r.d, pValue: r.pValue };
    }
    const r = proportionTest(current as number[], reference as number[]);
    return { score: r.difference, pValue: r.pValue };
  }

  private windowsOf(agent: string): Windows | undefined {
    let w = this.windows.get(agent);
    if (w === undefined) {
      if (this.windows.size >= MAX_AGENTS) return undefined;
      this.windows.set(agent, (w = new Map()));
    }
    return w;
  }

  private push(windows: Windows, signal: DriftSignal, value: number | number[], atMs: number): void {
    let w = windows.get(signal);
    if (w === undefined) {
      const size = signal === "query_embedding" ? this.options.embeddingWindowSize : this.options.windowSize;
      windows.set(signal, (w = new SlidingWindow(size, this.options.maxAgeMs)));
    }
    w.push(value, atMs);
  }
}
