import { lognormal, type Random } from "./prng.js";

/**
 * How long the scripted model takes, as distributions (all times in milliseconds):
 *
 * - time to first token = lognormal(median `ttftMedianMs`, σ `ttftSigma`) + `prefillMsPerInputToken` × input tokens;
 * - each further token = lognormal(median `perTokenMedianMs`, σ `perTokenSigma`), drawn per token.
 *
 * {@link REALISTIC_LATENCY} is shaped like a hosted small model: TTFT median 450 ms (p95 ≈ 800 ms,
 * p99 ≈ 1 s), 25 ms a token (≈ 40 tokens/s; p95 ≈ 38 ms), plus 0.02 ms of prefill per input token.
 */
export interface LatencyProfile {
  ttftMedianMs: number;
  ttftSigma: number;
  perTokenMedianMs: number;
  perTokenSigma: number;
  prefillMsPerInputToken: number;
}

/** The demo's default latency profile; see {@link LatencyProfile}. */
export const REALISTIC_LATENCY: Readonly<LatencyProfile> = Object.freeze({
  ttftMedianMs: 450,
  ttftSigma: 0.35,
  perTokenMedianMs: 25,
  perTokenSigma: 0.25,
  prefillMsPerInputToken: 0.02,
});

/** Throws a TypeError naming the field unless every number of `profile` is finite and not negative. */
export function checkLatencyProfile(profile: LatencyProfile, where = "latency"): void {
  for (const key of ["ttftMedianMs", "ttftSigma", "perTokenMedianMs", "perTokenSigma", "prefillMsPerInputToken"] as const) {
    const v = profile[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new TypeError(`${where}.${key} must be a finite number >= 0, got ${JSON.stringify(v)}`);
    }
  }
}

/** One time-to-first-token draw, in ms (before any speed factor or multiplier). */
export function sampleFirstTokenMs(profile: LatencyProfile, random: Random, inputTokens: number): number {
  return lognormal(random, profile.ttftMedianMs, profile.ttftSigma) + profile.prefillMsPerInputToken * Math.max(0, inputTokens);
}

/** One inter-token draw, in ms (before any speed factor). */
export function samplePerTokenMs(profile: LatencyProfile, random: Random): number {
  return lognormal(random, profile.perTokenMedianMs, profile.perTokenSigma);
}

/** Throws a TypeError naming `field` unless `speed` is a finite number > 0. */
export function checkSpeed(speed: number, field = "speed"): number {
  if (typeof speed !== "number" || !Number.isFinite(speed) || speed <= 0) {
    throw new TypeError(`${field} must be a number > 0 (e.g. 50 makes every delay 50 times shorter), got ${JSON.stringify(speed)}`);
  }
  return speed;
}
