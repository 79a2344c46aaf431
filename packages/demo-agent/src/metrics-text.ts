/** One sample line of a Prometheus / OpenMetrics text exposition. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseValue(token: string | undefined): number {
  if (token === undefined) return Number.NaN;
  if (token === "+Inf") return Number.POSITIVE_INFINITY;
  if (token === "-Inf") return Number.NEGATIVE_INFINITY;
  return Number(token);
}

/**
 * Parses the samples of a Prometheus or OpenMetrics text exposition (what `GET /metrics` serves).
 * Comments (`# HELP`, `# TYPE`, `# EOF`), timestamps and exemplars are skipped; a line that is not
 * a sample throws, naming the line.
 */
export function parseMetricsText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const [n, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (name === undefined) throw new Error(`metrics line ${n + 1} is not a sample: ${line}`);
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === "{") {
      i++;
      while (line[i] !== "}") {
        const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i))?.[0];
        if (key === undefined || line[i + key.length] !== "=" || line[i + key.length + 1] !== '"') {
          throw new Error(`metrics line ${n + 1} has a bad label at column ${i + 1}: ${line}`);
        }
        i += key.length + 2;
        let value = "";
        while (line[i] !== '"') {
          if (i >= line.length) throw new Error(`metrics line ${n + 1} has an unterminated label value: ${line}`);
          if (line[i] === "\\") {
            const next = line[i + 1];
            value += next === "n" ? "\n" : (next ?? "");
            i += 2;
          } else {
            value += line[i];
            i++;
          }
        }
        labels[key] = value;
        i++;
        if (line[i] === ",") i++;
      }
      i++;
    }
    const [valueToken] = line.slice(i).trim().split(/\s+/);
    const value = parseValue(valueToken);
    if (Number.isNaN(value) && valueToken !== "NaN") throw new Error(`metrics line ${n + 1} has no numeric value: ${line}`);
    samples.push({ name, labels, value });
  }
  return samples;
}

/** A label matcher: the exact value, or a pattern the value must match in full. */
export type LabelMatch = Record<string, string | RegExp>;

function matches(labels: Record<string, string>, match: LabelMatch): boolean {
  return Object.entries(match).every(([key, want]) => {
    const got = labels[key] ?? "";
    return typeof want === "string" ? got === want : new RegExp(`^(?:${want.source})$`, want.flags).test(got);
  });
}

/** The samples called `name` whose labels match `match`. */
export function selectSamples(samples: readonly MetricSample[], name: string, match: LabelMatch = {}): MetricSample[] {
  return samples.filter((s) => s.name === name && matches(s.labels, match));
}

/** The sum of the samples called `name` whose labels match `match` (0 when there are none). */
export function sumSamples(samples: readonly MetricSample[], name: string, match: LabelMatch = {}): number {
  return selectSamples(samples, name, match).reduce((sum, s) => sum + s.value, 0);
}
