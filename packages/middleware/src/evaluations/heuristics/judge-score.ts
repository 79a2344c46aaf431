/**
 * Maps a judge's raw score to 0..1, or undefined when it is not a finite number in range.
 * - `max` 100 (or a percentage): n / 100, for 0 ≤ n ≤ 100.
 * - another stated `max` ≥ 2 (`4/5`, `8 out of 10`): (n - 1) / (max - 1) for 1 ≤ n ≤ max, and 0 for n = 0.
 * - no stated scale: a number in [0, 1) is already 0..1; 1..5 is the 1-5 scale judges are asked for,
 *   mapped as (n - 1) / 4 (so a bare `1` is the worst score, not the best; write `1.0` with
 *   `decimal` set to mean 1 on a 0..1 scale). Larger numbers without a scale are ambiguous: undefined.
 */
export function normalizeJudgeScore(n: number, max?: number, decimal = false): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (max !== undefined) {
    if (!Number.isFinite(max) || max < 2 || n > max) return undefined;
    if (max === 100) return n / 100;
    if (n === 0) return 0;
    return n < 1 ? undefined : (n - 1) / (max - 1);
  }
  if (n < 1 || (n === 1 && decimal)) return n;
  return n <= 5 ? (n - 1) / 4 : undefined;
}
