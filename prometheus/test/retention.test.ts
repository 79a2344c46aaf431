/**
 * The compose stack's Prometheus keeps at least as much history as the longest range any alerting
 * or recording rule, or any dashboard query, reads: every range selector and subquery range plus
 * its `offset` (an instant selector with an offset reads the offset plus the 5-minute lookback).
 * docs/alerting.md ("Retention") explains the numbers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { buildRules, formatDuration, parseDuration, PROMETHEUS_DIR, SLO_PERIOD } from "../src/index.js";

const REPO = join(PROMETHEUS_DIR, "..");
/** Prometheus's default `--query.lookback-delta`: how far back an instant selector looks. */
const LOOKBACK_MS = parseDuration("5m");

const DURATION = String.raw`(?:\d+(?:ms|y|w|d|h|m|s))+`;
/** `[range]` or `[range:step]`, then an optional `offset`. */
const RANGE = new RegExp(String.raw`\[(${DURATION})(?::(?:${DURATION})?)?\](?:\s*offset\s+(${DURATION}))?`, "g");
/** An `offset` straight after a selector (not after a range: those are read with their range). */
const INSTANT_OFFSET = new RegExp(String.raw`(?<!\])\s+offset\s+(${DURATION})`, "g");

/** The longest range + offset `expr` reads, in milliseconds, with the text that reads it. */
function longestRead(expr: string): { ms: number; what: string } {
  let best = { ms: 0, what: "" };
  for (const m of expr.matchAll(RANGE)) {
    const ms = parseDuration(m[1] ?? "0s") + (m[2] === undefined ? 0 : parseDuration(m[2]));
    if (ms > best.ms) best = { ms, what: m[0] };
  }
  for (const m of expr.matchAll(INSTANT_OFFSET)) {
    const ms = parseDuration(m[1] ?? "0s") + LOOKBACK_MS;
    if (ms > best.ms) best = { ms, what: m[0].trim() };
  }
  return best;
}

/** Every `expr` string inside a dashboard's JSON. */
function exprsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(exprsOf);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) => (k === "expr" && typeof v === "string" ? [v] : exprsOf(v)));
}

const rules = buildRules();
const ruleExprs = [...rules.recording, ...rules.alerting].flatMap((g) =>
  g.rules.map((r) => ({ name: "record" in r ? r.record : r.alert, expr: r.expr })),
);
const dashboardDir = join(REPO, "grafana", "dashboards");
const dashboardExprs = readdirSync(dashboardDir)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => exprsOf(JSON.parse(readFileSync(join(dashboardDir, f), "utf8"))).map((expr) => ({ name: f, expr })));

function longest(exprs: { name: string; expr: string }[]): { ms: number; name: string; what: string } {
  let best = { ms: 0, name: "", what: "" };
  for (const { name, expr } of exprs) {
    const read = longestRead(expr);
    if (read.ms > best.ms) best = { ...read, name };
  }
  return best;
}

const compose = parse(readFileSync(join(REPO, "docker-compose.yml"), "utf8")) as { services: Record<string, { command?: string[] }> };
const retentionFlag = compose.services.prometheus?.command?.find((c) => c.startsWith("--storage.tsdb.retention.time="));
const retentionMs = parseDuration(retentionFlag?.split("=")[1] ?? "");

describe("Prometheus retention in docker-compose.yml", () => {
  it("reads range selectors, subqueries and offsets", () => {
    expect(longestRead("avg_over_time(agent:x:rate1h[7d] offset 1h)").ms).toBe(parseDuration("169h"));
    expect(longestRead("max_over_time((sum(rate(x[5m])))[3d:10m] offset 2h)").ms).toBe(parseDuration("74h"));
    expect(longestRead("x unless x offset 30m").ms).toBe(parseDuration("35m"));
    expect(longestRead("sum(rate(x[$__rate_interval]))").ms).toBe(0);
  });

  it("the rules' longest read is the 7-day baselines with their 1-hour offset", () => {
    const read = longest(ruleExprs);
    expect(formatDuration(read.ms), `${read.name}: ${read.what}`).toBe("7d1h");
  });

  it("is set, and covers the longest read of every rule and dashboard query and the SLO period", () => {
    expect(retentionFlag, "the prometheus service sets --storage.tsdb.retention.time").toBeDefined();
    const fromRules = longest(ruleExprs);
    const fromDashboards = longest(dashboardExprs);
    expect(fromDashboards.ms, "the dashboards' 30-day SLO panels").toBe(parseDuration(SLO_PERIOD));
    for (const read of [fromRules, fromDashboards])
      expect(retentionMs, `${read.name} reads ${read.what}: keep at least ${formatDuration(read.ms)}`).toBeGreaterThanOrEqual(read.ms);
    expect(retentionMs, `the ${SLO_PERIOD} SLO period`).toBeGreaterThanOrEqual(parseDuration(SLO_PERIOD));
  });

  it("is the one docs/alerting.md states", () => {
    expect(readFileSync(join(REPO, "docs", "alerting.md"), "utf8")).toContain(`\`${retentionFlag ?? "(none)"}\``);
  });
});
