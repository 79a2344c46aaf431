// Checking CanaryOptions: each error names the option and the fix (BadInputError).

import { BadInputError } from "../bad-input-error.js";
import type { CanaryOptions } from "./types.js";

/** The most canary cases a prober takes: `canary` is a metric label, so the set stays small. */
export const MAX_CANARIES = 20;

export interface CanarySettings {
  intervalMs: number;
  jitterMs: number;
  firstDelayMs: number;
  timeoutMs: number;
}

function duration(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new BadInputError(`canary option ${name} must be a number of milliseconds >= ${min} (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** The settings of `options` with their defaults. @throws BadInputError naming the option at fault. */
export function canarySettings(options: CanaryOptions): CanarySettings {
  if (typeof options.agent !== "string" || options.agent.trim() === "") {
    throw new BadInputError(
      'canary option agent must name the agent probed (the "agent" label of the canary metrics), e.g. "acme-support"',
    );
  }
  if (options.cases.length === 0) throw new BadInputError("canary option cases is empty: give at least one canary case");
  if (options.cases.length > MAX_CANARIES) {
    throw new BadInputError(
      `canary option cases has ${options.cases.length} cases; at most ${MAX_CANARIES} (each case id is a metric label): keep a few known-answer questions`,
    );
  }
  for (const c of options.cases) {
    if ((c.facts ?? []).length + (c.patterns ?? []).length + (c.forbidden ?? []).length === 0) {
      throw new BadInputError(`canary case ${JSON.stringify(c.id)} has nothing to check: add "facts", "patterns" or "forbidden"`);
    }
  }
  if (options.target.kind === "http") {
    try {
      const url = new URL(options.target.url);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    } catch {
      throw new BadInputError(
        `canary option target.url must be an http(s) URL such as http://127.0.0.1:3000/chat (got ${JSON.stringify(options.target.url)})`,
      );
    }
  }
  const intervalMs = duration("intervalMs", options.intervalMs, 60_000, 1);
  return {
    intervalMs,
    jitterMs: duration("jitterMs", options.jitterMs, Math.round(intervalMs / 10), 0),
    firstDelayMs: duration("firstDelayMs", options.firstDelayMs, 5_000, 0),
    timeoutMs: duration("timeoutMs", options.timeoutMs, 30_000, 1),
  };
}
