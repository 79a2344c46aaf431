/**
 * Every alert carries what on-call needs (severity, static summary, templated description,
 * runbook, dashboard), has a runbook file with the required sections, a promtool case where it
 * fires and a quiet neighbour, a row in the README's alert table, and every demo incident names an
 * alert that exists.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { INCIDENTS } from "../../packages/demo-agent/src/index.js";
import {
  alertNames,
  type AlertRule,
  buildRules,
  DASHBOARD,
  GRAFANA_URL,
  PROMETHEUS_DIR,
  RULE_TEST_FILES,
  RUNBOOK_BASE_URL,
  SEVERITY,
} from "../src/index.js";

const rules = buildRules();
const alerts: AlertRule[] = rules.alerting.flatMap((g) => g.rules);
const names = alertNames(rules);
const RUNBOOKS = join(PROMETHEUS_DIR, "..", "docs", "runbooks");
const runbook = (alert: string) => readFileSync(join(RUNBOOKS, `${alert}.md`), "utf8");

describe("alert rules", () => {
  it("are many and have unique label sets per name", () => {
    expect(names.size).toBeGreaterThanOrEqual(25);
    const keys = alerts.map((a) => `${a.alert} ${JSON.stringify(a.labels)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(
    alerts.map(
      (a) =>
        [
          `${a.alert} (${a.labels.severity}${a.labels.long_window ? ` ${a.labels.long_window}` : ""}${a.labels.threshold ? ` ${a.labels.threshold}` : ""})`,
          a,
        ] as const,
    ),
  )("%s: severity, summary, description, runbook_url, dashboard_url", (_name, a) => {
    expect(Object.values(SEVERITY)).toContain(a.labels.severity);
    expect(a.annotations.summary.length).toBeGreaterThan(10);
    expect(a.annotations.summary, "the summary is static (it groups alerts)").not.toContain("{{");
    // Templated with the value or, where the value is only a marker (1 for "present", 0 for "down"), the labels that say what changed.
    expect(a.annotations.description).toMatch(/\{\{ \$(value|labels\.[a-z_]+)[^}]*\}\}/);
    expect(a.annotations.runbook_url).toBe(`${RUNBOOK_BASE_URL}${a.alert}.md`);
    expect(a.annotations.dashboard_url, "every alert links a dashboard").toBeDefined();
    const uid = /\/d\/([a-z-]+)/.exec(a.annotations.dashboard_url ?? "")?.[1];
    expect(Object.values(DASHBOARD)).toContain(uid);
    expect(a.annotations.dashboard_url?.startsWith(`${GRAFANA_URL}/d/`)).toBe(true);
    // Which labels the templates find is checked where they are rendered: promtool compares every
    // firing case's description and dashboard_url, rendered from the alert's real labels.
  });

  it("recording rules are named level:metric:operations and every rule uses only recording rules that exist", () => {
    const recorded = new Set(rules.recording.flatMap((g) => g.rules.map((r) => r.record)));
    for (const name of recorded) expect(name).toMatch(/^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/);
    const used = [...rules.recording.flatMap((g) => g.rules), ...alerts].flatMap((r) =>
      [...r.expr.matchAll(/\b[a-z_]+:[a-z0-9_]+:[a-z0-9_]+\b/g)].map((m) => m[0]),
    );
    expect(used.filter((u) => !recorded.has(u))).toEqual([]);
  });

  it("each alert name and severity has a promtool case where it fires, next to one that stays quiet", () => {
    const checks = RULE_TEST_FILES.flatMap((f) => f.groups.flatMap((g) => g.alerts));
    for (const [alert, severities] of names) {
      const mine = checks.filter((c) => c.alert === alert);
      expect(
        mine.some((c) => c.quiet.length > 0),
        `${alert}: a quiet case`,
      ).toBe(true);
      for (const severity of severities) {
        expect(
          mine.some((c) => c.fires.some((f) => f.labels.severity === severity)),
          `${alert} (${severity}): a promtool case where it fires`,
        ).toBe(true);
      }
    }
  });

  it("every demo incident names an alert that exists", () => {
    for (const incident of INCIDENTS) expect([...names.keys()], `incident ${incident.name}`).toContain(incident.alert);
  });

  it("the README's Alerts section has a row for every alert, with its severities and reproducing command", () => {
    const readme = readFileSync(join(PROMETHEUS_DIR, "..", "README.md"), "utf8");
    const doc = readme.slice(readme.indexOf("## Alerts"));
    for (const [alert, severities] of names) {
      const row = doc.split("\n").find((l) => l.startsWith(`| [\`${alert}\`]`));
      expect(row, `a table row for ${alert}`).toBeDefined();
      for (const severity of severities) expect(row, `${alert} row names ${severity}`).toContain(severity);
    }
    for (const incident of INCIDENTS) expect(doc, incident.name).toContain(`\`${incident.name}\``);
  });
});

describe("runbooks (docs/runbooks/<Alert>.md)", () => {
  it.each([...names.keys()])("%s: Meaning, Impact, Diagnosis (PromQL, TraceQL, dashboard), Mitigation, Reproduce", (alert) => {
    expect(existsSync(join(RUNBOOKS, `${alert}.md`)), `docs/runbooks/${alert}.md`).toBe(true);
    const text = runbook(alert);
    expect(text.split("\n")[0]).toBe(`# ${alert}`);
    for (const section of ["## Meaning", "## Impact", "## Diagnosis", "## Mitigation", "## Reproduce"])
      expect(text).toContain(`\n${section}\n`);
    expect(text).toContain("```promql");
    expect(text).toContain("```traceql");
    const rule = alerts.find((a) => a.alert === alert);
    const uid = /\/d\/([a-z-]+)/.exec(rule?.annotations.dashboard_url ?? "")?.[1] ?? "";
    expect(text, "names the alert's dashboard").toContain(uid);
    const reproduce = text.slice(text.indexOf("\n## Reproduce\n"));
    expect(reproduce).toMatch(/npm run (demo|load) -- |promtool test rules/);
    const incident = INCIDENTS.find((i) => i.alert === alert);
    if (incident) expect(reproduce, `the ${incident.name} incident reproduces ${alert}`).toContain(`--incident ${incident.name}`);
  });
});
