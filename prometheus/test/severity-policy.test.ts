/**
 * docs/alerting.md states the severity policy and applies it to every alert: this keeps its table
 * and the rules equal (every alert has a row, each row names exactly its rules' severities, and no
 * row names an alert that does not exist).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { alertNames, buildRules, PROMETHEUS_DIR, SEVERITY, type Severity } from "../src/index.js";

const names = alertNames(buildRules());
const doc = readFileSync(join(PROMETHEUS_DIR, "..", "docs", "alerting.md"), "utf8");

/** The rows of the "Every alert" table: alert name → the severities its severity cell names. */
function policyRows(text: string): Map<string, Set<Severity>> {
  const start = text.indexOf("\n## Every alert\n");
  if (start < 0) throw new Error('docs/alerting.md has no "## Every alert" section');
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start + 1, end < 0 ? undefined : end);
  const rows = new Map<string, Set<Severity>>();
  for (const line of section.split("\n")) {
    const m = /^\| \[`([A-Za-z0-9]+)`\]\(runbooks\/\1\.md\) +\| ([^|]+)\|/.exec(line);
    if (m === null) continue;
    const [, alert = "", cell = ""] = m;
    if (rows.has(alert)) throw new Error(`docs/alerting.md: two rows for ${alert}`);
    const severities = [...cell.matchAll(/\b(critical|warning|info)\b/g)].map((s) => s[1] as Severity);
    rows.set(alert, new Set(severities));
  }
  return rows;
}

describe("severity policy (docs/alerting.md)", () => {
  const rows = policyRows(doc);

  it("states the policy: page when users are hurt or money burns now, chat otherwise, info for the dashboard", () => {
    expect(doc).toContain("**Page (`critical`) when users are hurt or money burns now**");
    expect(doc).toContain("**Chat (`warning`) otherwise**");
    expect(doc).toContain("**Info (`info`) for the dashboard**");
  });

  it.each([...names])("%s: a row with exactly its rules' severities and a reason", (alert, severities) => {
    const row = rows.get(alert);
    expect(row, `docs/alerting.md has no row for ${alert}: add it with its severity and why`).toBeDefined();
    expect([...(row ?? [])].sort(), `${alert}: the doc's severities vs the rules'`).toEqual([...severities].sort());
    const line = doc.split("\n").find((l) => l.startsWith(`| [\`${alert}\`]`)) ?? "";
    const why = line.split("|")[3]?.trim() ?? "";
    expect(why.length, `${alert}: the reason for its severity`).toBeGreaterThan(30);
  });

  it("names no alert the rules lack", () => {
    expect([...rows.keys()].filter((a) => !names.has(a))).toEqual([]);
    expect(rows.size).toBe(names.size);
  });

  it("reads the severity cell, so a wrong severity in the doc fails", () => {
    const wrong = doc.replace(/(\| \[`AgentRunawaySpend`\][^|]+\| +)critical/, "$1warning");
    expect(policyRows(wrong).get("AgentRunawaySpend")).toEqual(new Set([SEVERITY.warning]));
    expect(names.get("AgentRunawaySpend")).toEqual(new Set([SEVERITY.critical]));
  });
});
