import { readFileSync } from "node:fs";

import type { SharedStore } from "../state/types.js";
import type { DriftBaseline, DriftReferenceValues, DriftSignal } from "./types.js";
import { withTimeout } from "./with-timeout.js";

/** A signal's reference and where it came from. */
export interface Reference {
  values: DriftReferenceValues;
  createdMs: number;
  /** From a baseline: never replaced. */
  frozen: boolean;
}

interface Stored {
  createdMs: number;
  values: DriftReferenceValues;
}

/** The store key of one agent's signal reference. */
export function referenceKey(agent: string, signal: DriftSignal): string {
  return `agentwatch:drift:reference:${agent}:${signal}`;
}

/**
 * The reference windows, per agent and signal. How a reference is chosen: a committed baseline
 * wins (frozen); else the one in the shared store (so it survives restarts and is the same on
 * every replica); else the first full current window becomes it and is written to the store. A
 * learned reference older than `maxAgeMs` is replaced by the next full window. Store calls have a
 * timeout; a failure is reported and the signal waits for the next check.
 */
export class References {
  private readonly known = new Map<string, Reference>();
  private readonly looked = new Set<string>();

  constructor(
    private readonly store: SharedStore,
    private readonly options: { maxAgeMs: number; timeoutMs: number; onStoreError: (error: unknown) => void },
    baseline: DriftBaseline | undefined,
  ) {
    for (const [agent, signals] of Object.entries(baseline?.agents ?? {})) {
      for (const [signal, values] of Object.entries(signals)) {
        if (values !== undefined) this.known.set(key(agent, signal as DriftSignal), { values, createdMs: 0, frozen: true });
      }
    }
  }

  /** The reference of `agent`'s `signal`, reading the store once per process (then after each failure). */
  async get(agent: string, signal: DriftSignal): Promise<Reference | undefined> {
    const k = key(agent, signal);
    const known = this.known.get(k);
    if (known !== undefined || this.looked.has(k)) return known;
    try {
      const stored = await withTimeout(
        this.store.getJson<Stored>(referenceKey(agent, signal)),
        this.options.timeoutMs,
        "drift reference read",
      );
      this.looked.add(k);
      if (stored !== undefined && Array.isArray(stored.values) && typeof stored.createdMs === "number") {
        const ref = { values: stored.values, createdMs: stored.createdMs, frozen: false };
        this.known.set(k, ref);
        return ref;
      }
    } catch (error) {
      this.options.onStoreError(error);
    }
    return undefined;
  }

  /** Whether a full current window should become the reference now. */
  wants(ref: Reference | undefined, nowMs: number): boolean {
    return ref === undefined || (!ref.frozen && nowMs - ref.createdMs > this.options.maxAgeMs);
  }

  /** Makes `values` the reference (in this process at once, in the store when it answers). */
  async adopt(agent: string, signal: DriftSignal, values: DriftReferenceValues, nowMs: number): Promise<void> {
    this.known.set(key(agent, signal), { values, createdMs: nowMs, frozen: false });
    try {
      await withTimeout(
        this.store.setJson(referenceKey(agent, signal), { createdMs: nowMs, values } satisfies Stored, 2 * this.options.maxAgeMs),
        this.options.timeoutMs,
        "drift reference write",
      );
    } catch (error) {
      this.options.onStoreError(error);
    }
  }

  /** Every reference known in this process, as a baseline file holds them. */
  baseline(): DriftBaseline {
    const out: DriftBaseline = { version: 1, agents: {} };
    for (const [k, ref] of this.known) {
      const [agent, signal] = k.split("\u0000") as [string, DriftSignal];
      (out.agents[agent] ??= {})[signal] = ref.values;
    }
    return out;
  }
}

function key(agent: string, signal: DriftSignal): string {
  return `${agent}\u0000${signal}`;
}

/** Reads a baseline file or object; throws a TypeError naming the field and the fix. */
export function loadBaseline(baseline: DriftBaseline | string, field: string): DriftBaseline {
  let value: unknown = baseline;
  if (typeof baseline === "string") {
    try {
      value = JSON.parse(readFileSync(baseline, "utf8")) as unknown;
    } catch (error) {
      throw new TypeError(
        `agentwatch: option "${field}" could not be read as a JSON baseline (${(error as Error).message}); pass the path of a file written from handler.driftBaseline()`,
        { cause: error },
      );
    }
  }
  const b = value as Partial<DriftBaseline> | null;
  if (typeof b !== "object" || b === null || b.version !== 1 || typeof b.agents !== "object" || b.agents === null) {
    throw new TypeError(`agentwatch: option "${field}" must be { version: 1, agents: { ... } }; write it from handler.driftBaseline()`);
  }
  for (const [agent, signals] of Object.entries(b.agents)) {
    for (const [signal, values] of Object.entries(signals ?? {})) {
      if (!SIGNALS.includes(signal as DriftSignal) || !Array.isArray(values))
        throw new TypeError(
          `agentwatch: option "${field}.agents.${agent}.${signal}" must be a list of observations of one of ${SIGNALS.join(", ")}; write the file from handler.driftBaseline()`,
        );
    }
  }
  return b as DriftBaseline;
}

export const SIGNALS: readonly DriftSignal[] = [
  "query_embedding",
  "answer_length",
  "output_tokens",
  "finish_length",
  "finish_content_filter",
  "refusal",
];
