/**
 * A strict parser for the OpenMetrics / Prometheus text exposition, for tests: every line must be
 * a comment (# HELP / # TYPE / # UNIT / # EOF) or a sample `name{labels} value [# {exemplar} value [ts]]`.
 * Label values may use only the escapes both formats define (`\\`, `\"`, `\n`); a label name may
 * not repeat; every sample must belong to a family declared by a `# TYPE` line before it; the text
 * must be well-formed unicode (it is served as UTF-8). An OpenMetrics exposition (one with `# EOF`,
 * or any when `format` is "openmetrics") must end with `# EOF` and a newline and has no blank lines.
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
        if (next !== "n" && next !== "\\" && next !== '"') throw new Error(`bad escape \\${next ?? "(end)"} at ${i}: ${text}`);
        value += next === "n" ? "\n" : next;
        i += 2;
      } else {
        value += text[i];
        i++;
      }
    }
    i++;
    if (Object.hasOwn(labels, key)) throw new Error(`repeated label ${key}: ${text}`);
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

/** Suffixes a sample name may add to its family's name. */
const SUFFIXES = ["", "_total", "_bucket", "_count", "_sum", "_created", "_info", "_gcount", "_gsum"];

/** Lone UTF-16 surrogates: text that cannot be encoded as UTF-8 without changing it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function parseExposition(body: string, options: { format?: "openmetrics" | "prometheus" } = {}): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = body.split("\n");
  const eof = lines.indexOf("# EOF");
  const openMetrics = options.format === "openmetrics" || (options.format === undefined && eof !== -1);
  if (openMetrics) {
    if (eof === -1 || eof !== lines.length - 2 || lines[lines.length - 1] !== "")
      throw new Error("OpenMetrics text must end with '# EOF\\n'");
  } else if (eof !== -1) {
    throw new Error("'# EOF' in a Prometheus text exposition");
  }
  const lone = LONE_SURROGATE.exec(body);
  if (lone) throw new Error(`lone surrogate at ${lone.index}: ${JSON.stringify(body.slice(Math.max(0, lone.index - 40), lone.index + 2))}`);
  for (const [index, line] of lines.entries()) {
    if (line === "# EOF") continue;
    if (line === "") {
      if (openMetrics && index !== lines.length - 1) throw new Error(`blank line ${index + 1} in OpenMetrics text`);
      continue;
    }
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/.exec(line);
      if (!m) throw new Error(`bad comment line: ${line}`);
      if (m[1] === "TYPE") types.set(m[2] as string, m[3] ?? "");
      continue;
    }
    const nameMatch = NAME.exec(line);
    if (!nameMatch) throw new Error(`bad sample line: ${line}`);
    const name = nameMatch[0];
    if (!SUFFIXES.some((suffix) => name.endsWith(suffix) && types.has(name.slice(0, name.length - suffix.length)))) {
      throw new Error(`sample of no declared family: ${line}`);
    }
    let i = name.length;
    let labels: Record<string, string> = {};
    if (line[i] === "{") ({ labels, end: i } = parseLabels(line, i));
    const [valuePart, exemplarPart] = line.slice(i).split(" # ");
    // One space, the value, and an optional timestamp: anything else is a label set gone wrong.
    if (!/^ \S+( \S+)?$/.test(valuePart ?? "")) throw new Error(`bad value part ${JSON.stringify(valuePart)}: ${line}`);
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
