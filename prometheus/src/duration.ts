/** Prometheus durations: parse, format, and divide by a time-compression factor. */

const UNITS = [
  ["y", 365 * 24 * 3600 * 1000],
  ["w", 7 * 24 * 3600 * 1000],
  ["d", 24 * 3600 * 1000],
  ["h", 3600 * 1000],
  ["m", 60 * 1000],
  ["s", 1000],
  ["ms", 1],
] as const;

const UNIT_MS: Record<string, number> = Object.fromEntries(UNITS);

/** Milliseconds of a Prometheus duration such as "5m", "1h30m", "7d" or "500ms". @throws on anything else. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)];
  if (text === "" || parts.map((p) => p[0]).join("") !== text) {
    throw new Error(`not a Prometheus duration: ${JSON.stringify(text)} (write e.g. "5m", "1h30m", "7d")`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] as number), 0);
}

/** A duration in milliseconds as Prometheus writes it: days, hours, minutes, seconds, ms ("3d", "1h12m", "500ms"); 0 is "0s". */
export function formatDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`a duration must be a whole number of milliseconds >= 0, got ${ms}`);
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of UNITS) {
    if (unit === "y" || unit === "w") continue; // "7d" reads better than "1w", and Prometheus accepts both
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * How rule durations are written: `timeScale` 1 is production; a copy for a test divides every
 * window, offset and `for` by `timeScale` (rounded to whole milliseconds, at least 1 ms unless 0).
 */
export class Timing {
  constructor(readonly timeScale = 1) {
    if (!(Number.isFinite(timeScale) && timeScale >= 1)) throw new Error(`timeScale must be a number >= 1, got ${timeScale}`);
  }

  /** The duration `d` (production value) as this timing writes it. */
  d(d: string): string {
    const ms = parseDuration(d);
    if (this.timeScale === 1) return formatDuration(ms);
    return formatDuration(ms === 0 ? 0 : Math.max(1, Math.round(ms / this.timeScale)));
  }
}
