/**
 * The metric names a PromQL expression selects, found without a parser: string literals, label
 * matchers, ranges and grouping clauses are blanked out, then every identifier that is not a
 * function call, a keyword, or part of a number or duration is a metric name.
 */
const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
]);

export function metricNames(expr: string): string[] {
  const blanked = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
  const names = new Set<string>();
  for (const m of blanked.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = blanked[(m.index ?? 0) - 1] ?? "";
    const after = blanked.slice((m.index ?? 0) + m[0].length);
    if (/[0-9.]/.test(before)) continue; // 5m, 1e3, 0.5
    if (/^\s*\(/.test(after)) continue; // a function call
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names].sort();
}

/** Each selector of a metric in `expr` with its label matchers: [{ name, matchers: [{ label, op, value }] }]. */
export function selectors(expr: string): { name: string; matchers: { label: string; op: string; value: string }[] }[] {
  const out: { name: string; matchers: { label: string; op: string; value: string }[] }[] = [];
  for (const m of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)) {
    const matchers = [...(m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({
      label: x[1] as string,
      op: x[2] as string,
      value: x[3] as string,
    }));
    out.push({ name: m[1] as string, matchers });
  }
  return out;
}
