import { InvalidArgumentError } from "commander";

import type { TrajectoryMode } from "../evaluators/types.js";

/** A commander parser for a whole number of at least `min`. */
export const wholeNumber =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`must be a whole number of at least ${min}, e.g. ${Math.max(min, 1) === 1 ? "4" : min}`);
    }
    return n;
  };

/** A commander parser for a comma-separated list: "a,b , c" → ["a", "b", "c"]. */
export const list = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** A commander parser for a tool-trajectory mode. */
export const trajectoryMode = (value: string): TrajectoryMode => {
  if (value === "exact" || value === "subsequence" || value === "set") return value;
  throw new InvalidArgumentError('must be "exact", "subsequence" or "set", e.g. --trajectory subsequence');
};
