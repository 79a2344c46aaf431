// The gate and report flags of `agentwatch-eval run`, as commander gives them, checked into a
// GateFlags value; a bad flag is a GateFlagError naming the flag and the fix.

export class GateFlagError extends Error {
  override readonly name = "GateFlagError";
}

/** The raw values commander collects for the flags `addGateOptions` adds. */
export interface GateFlagValues {
  baseline?: string;
  writeBaseline?: boolean;
  maxDrop?: string;
  min?: string[];
  junit?: string;
  markdown?: string;
  json?: string;
  pushgateway?: string;
}

/** The checked flags. */
export interface GateFlags {
  baseline?: string;
  writeBaseline: boolean;
  maxDrop: number;
  minimum: Record<string, number>;
  junit?: string;
  markdown?: string;
  json?: string;
  pushgateway?: string;
}

/** Checks every flag; throws GateFlagError for the first bad one. */
export function parseGateFlags(values: GateFlagValues): GateFlags {
  const flags: GateFlags = { writeBaseline: values.writeBaseline === true, maxDrop: 0.05, minimum: {} };
  if (values.maxDrop !== undefined) flags.maxDrop = fraction(values.maxDrop);
  for (const pair of values.min ?? []) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(pair);
    const score = m === null ? NaN : Number(m[2]);
    if (m?.[1] === undefined || !Number.isFinite(score) || score < 0 || score > 1) {
      throw new GateFlagError(
        `--min must be evaluator=score with a score between 0 and 1, e.g. --min facts=0.8 (got ${JSON.stringify(pair)})`,
      );
    }
    if (flags.minimum[m[1]] !== undefined)
      throw new GateFlagError(`--min gives ${m[1]} twice (${flags.minimum[m[1]]} and ${score}): give each evaluator once`);
    flags.minimum[m[1]] = score;
  }
  if (values.baseline !== undefined) flags.baseline = path("--baseline", values.baseline, "FILE.json or DIR");
  if (flags.writeBaseline && flags.baseline === undefined) {
    throw new GateFlagError(
      "--write-baseline needs --baseline FILE|DIR to say where the baseline goes, e.g. --baseline eval/baselines --write-baseline",
    );
  }
  for (const key of ["junit", "markdown", "json"] as const) {
    const value = values[key];
    if (value !== undefined) flags[key] = path(`--${key}`, value, "FILE");
  }
  if (values.pushgateway !== undefined) flags.pushgateway = url(values.pushgateway);
  return flags;
}

function fraction(text: string): number {
  const value = text.trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new GateFlagError(`--max-drop must be a fraction between 0 and 1, e.g. 0.05 for 5 % (got ${JSON.stringify(text)})`);
  }
  return value;
}

function path(flag: string, value: string, what: string): string {
  if (value.trim() === "") throw new GateFlagError(`${flag} needs a ${what} (got an empty value)`);
  return value;
}

function url(text: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new GateFlagError(`--pushgateway must be an http(s) URL, e.g. http://127.0.0.1:9091 (got ${JSON.stringify(text)})`);
  }
  return text;
}
