/**
 * The alert blocks of packages/demo-agent/INCIDENTS.md, generated from the rules so the expressions
 * quoted there are the ones Prometheus evaluates. A block is (each marker on a line of its own)
 *
 *     <!-- BEGIN alert-rules: AgentLatencyP99High, AgentTTFTP95High -->
 *     …
 *     <!-- END alert-rules -->
 *
 * and `npm run generate:rules` rewrites what is between the markers: for each alert named, in that
 * order, every rule of that name (its distinguishing labels, severity, `for` and `expr`).
 */
import { format, resolveConfig } from "prettier";

import type { AlertRule, Rules } from "./rules/index.js";

/** Markers count on lines of their own (a marker quoted in prose is not one). */
const BLOCK = /^<!-- BEGIN alert-rules: (.*?) -->\n[\s\S]*?^<!-- END alert-rules -->$/gm;
const ANY_MARKER = /^<!-- (BEGIN|END) alert-rules\b/gm;

/** One block of a document: the alert names in its BEGIN marker, and where the whole block starts. */
export interface AlertBlock {
  alerts: string[];
  index: number;
}

/** The alert blocks of `text`. @throws on a marker outside a well-formed block (a BEGIN without its END). */
export function alertBlocks(text: string): AlertBlock[] {
  const blocks = [...text.matchAll(BLOCK)].map((m) => ({
    alerts: (m[1] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    index: m.index,
  }));
  const markers = [...text.matchAll(ANY_MARKER)].length;
  if (markers !== 2 * blocks.length) {
    throw new Error(
      `${markers} alert-rules markers but ${blocks.length} well-formed blocks: each "<!-- BEGIN alert-rules: A, B -->" needs a "<!-- END alert-rules -->" after it`,
    );
  }
  for (const b of blocks) {
    if (b.alerts.length === 0) throw new Error(`an alert-rules block at offset ${b.index} names no alert`);
  }
  return blocks;
}

/** The alert's name, with its labels besides `severity` (what tells rules of one name apart) as a selector. */
function selector(rule: AlertRule): string {
  const labels = Object.entries(rule.labels).filter(([k]) => k !== "severity");
  return labels.length === 0 ? rule.alert : `${rule.alert}{${labels.map(([k, v]) => `${k}="${v}"`).join(", ")}}`;
}

/** The Markdown between the markers of a block naming `alerts`. @throws on a name no rule has. */
export function renderAlertBlock(rules: Rules, alerts: readonly string[]): string {
  const all = rules.alerting.flatMap((g) => g.rules);
  const items = alerts.flatMap((name) => {
    const matching = all.filter((r) => r.alert === name);
    if (matching.length === 0) throw new Error(`INCIDENTS.md names alert ${name}, which no rule defines`);
    return matching.map((r) => {
      const head = `- \`${selector(r)}\` (severity \`${r.labels.severity}\`, for \`${r.for}\`):`;
      const expr = r.expr
        .split("\n")
        .map((line) => `  ${line}`)
        .join("\n");
      return `${head}\n\n  \`\`\`promql\n${expr}\n  \`\`\``;
    });
  });
  return items.join("\n\n");
}

/**
 * `text` (a Markdown document) with every alert block rewritten from `rules`, run through the
 * repository's Prettier (as `filepath`) so `prettier --check` agrees.
 */
export async function renderAlertBlocks(text: string, rules: Rules, filepath: string): Promise<string> {
  alertBlocks(text);
  const out = text.replace(BLOCK, (_m, names: string) => {
    const alerts = names
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    return `<!-- BEGIN alert-rules: ${alerts.join(", ")} -->\n\n${renderAlertBlock(rules, alerts)}\n\n<!-- END alert-rules -->`;
  });
  const config = (await resolveConfig(filepath)) ?? {};
  return format(out, { ...config, parser: "markdown", filepath });
}
