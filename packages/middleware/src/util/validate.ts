/** What is wrong with a value, and how to fix it: the second half of every error agentwatch throws for bad input. */
export interface Complaint {
  problem: string;
  fix: string;
}

/**
 * The one way agentwatch rejects bad input: a TypeError that names what was wrong, the problem
 * and the fix, e.g. `agentwatch: option "runTtlMs" must be a positive integer, got -1; pass e.g. 900000`.
 */
export function fail(subject: string, { problem, fix }: Complaint): never {
  throw new TypeError(`agentwatch: ${subject} ${problem}; ${fix}`);
}

/** The subject of an error about an option: `option "field"`. */
export function option(field: string): string {
  return `option "${field}"`;
}

/** `value` if it is a positive integer (or undefined: then `fallback`); otherwise fails with `fix`. */
export function positiveInt(subject: string, value: unknown, how: { fallback: number; fix: string }): number;
export function positiveInt(subject: string, value: unknown, how: { fallback: undefined; fix: string }): number | undefined;
export function positiveInt(
  subject: string,
  value: unknown,
  { fallback, fix }: { fallback: number | undefined; fix: string },
): number | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    fail(subject, { problem: `must be a positive integer, got ${JSON.stringify(value)}`, fix });
  }
  return value;
}

/** `value` if it is a positive finite number; otherwise fails. */
export function positiveNumber(subject: string, value: unknown, { example }: { example: string }): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(subject, { problem: `must be a positive number, got ${JSON.stringify(value)}`, fix: `pass e.g. ${example}` });
  }
  return value;
}

/** `value` as a plain object; otherwise fails with `fix`. */
export function record(subject: string, value: unknown, { fix }: { fix: string }): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(subject, { problem: "must be an object", fix });
  return value as Record<string, unknown>;
}
