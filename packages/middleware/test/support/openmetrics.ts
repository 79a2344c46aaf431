/**
 * A strict parser for the OpenMetrics / Prometheus text exposition, for tests: every line must be
 * a comment (# HELP / # TYPE / # UNIT / # EOF) or a sample `name{labels} value [# {exemplar} value [ts]]`.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar?: { labels: Record<string, string>; value: number };
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseLabels(text: string, at: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = at;
  if (text[i] !== "{") throw new Error(`expected '{' at ${i}: ${text}`);
  i++;
  while (text[i] !== "}") {
    const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!m) throw new Error(`bad label name at ${i}: ${text}`);
    const key = m[0];
    i += key.length;
    if (text[i] !== "=" || text[i + 1] !== '"') throw new Error(`expected ="' at ${i}: ${text}`);
    i += 2;
    let value = "";
    while (text[i] !== '"') {
      if (i >= text.length) throw new Error(`unterminated label value: ${text}`);
      if (text[i] === "\\") {
        const next = text[i + 1];
        value += next === "n" ? "\n" : next;
        i += 2;
      } else {
        value += text[i];
        i++;
      }
    }
    i++;
    labels[key] = value;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`expected , or } at ${i}: ${text}`);
  }
  return { labels, end: i + 1 };
}

function parseNumber(token: string | undefined, line: string): number {
  if (token === undefined) throw new Error(`missing value: ${line}`);
  if (token === "+Inf") return Number.POSITIVE_INFINITY;
  if (token === "-Inf") return Number.NEGATIVE_INFINITY;
  if (token === "NaN") return Number.NaN;
  const n = Number(token);
  if (Number.isNaN(n)) throw new Error(`bad number ${token}: ${line}`);
  return n;
}

export function parseExposition(body: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of body.split("\n")) {
    if (line === "" || line === "# EOF") continue;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/.exec(line);
      if (!m) throw new Error(`bad comment line: ${line}`);
      if (m[1] === "TYPE") types.set(m[2] as string, m[3] ?? "");
      continue;
    }
    const nameMatch = NAME.exec(line);
    if (!nameMatch) throw new Error(`bad sample line: ${line}`);
    const name = nameMatch[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === "{") ({ labels, end: i } = parseLabels(line, i));
    const [valuePart, exemplarPart] = line.slice(i).split(" # ");
    const tokens = (valuePart ?? "").trim().split(/\s+/);
    const sample: Sample = { name, labels, value: parseNumber(tokens[0], line) };
    if (exemplarPart !== undefined) {
      const { labels: exLabels, end } = parseLabels(exemplarPart, 0);
      const exTokens = exemplarPart.slice(end).trim().split(/\s+/);
      sample.exemplar = { labels: exLabels, value: parseNumber(exTokens[0], line) };
    }
    samples.push(sample);
  }
  return { types, samples };
}

/** Samples named `name` whose labels include `match`. */
export function find(expo: Exposition, name: string, match: Record<string, string> = {}): Sample[] {
  return expo.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The single sample value for `name` + `match`; throws unless exactly one matches. */
export function value(expo: Exposition, name: string, match: Record<string, string> = {}): number {
  const found = find(expo, name, match);
  if (found.length !== 1) throw new Error(`expected one ${name} ${JSON.stringify(match)}, found ${found.length}`);
  return (found[0] as Sample).value;
}
