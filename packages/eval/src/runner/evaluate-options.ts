import { BadInputError } from "../bad-input-error.js";
import type { EvaluateOptions } from "./types.js";

const positiveInteger = (name: string, flag: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new BadInputError(`${flag} must be a whole number of at least 1 (got ${value}); e.g. ${flag} ${fallback}`);
  return value;
};

/** {@link EvaluateOptions} with defaults, checked; a bad value is a {@link BadInputError} naming the flag. */
export function resolveEvaluateOptions(options: EvaluateOptions) {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new BadInputError(`--confidence must be between 0 and 1 (got ${confidence}); e.g. 0.95`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new BadInputError(`--seed must be a whole number (got ${seed}); e.g. --seed 1`);
  return {
    samples: positiveInteger("samples", "--samples", options.samples, 1),
    concurrency: positiveInteger("concurrency", "--concurrency", options.concurrency, 4),
    resamples: positiveInteger("resamples", "--resamples", options.resamples, 2000),
    timeoutMs: positiveInteger("timeoutMs", "--timeout", options.timeoutMs, 120_000),
    confidence,
    seed,
  };
}
