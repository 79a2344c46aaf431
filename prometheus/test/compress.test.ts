/**
 * The time-compressed copy the end-to-end test runs is the production rules with only their
 * durations (and, for a sped-up demo, latency thresholds) divided: checked expression by
 * expression, and by promtool / amtool.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import {
  buildRules,
  compressAlertmanagerConfig,
  formatDuration,
  parseDuration,
  PROMETHEUS_DIR,
  receiverForSeverity,
  ruleFileTexts,
  SLO,
  THRESHOLDS,
  Timing,
} from "../src/index.js";
import { run } from "./support/binaries.js";

describe("durations", () => {
  it("parse and format as Prometheus writes them", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(formatDuration(parseDuration("3d"))).toBe("3d");
    expect(formatDuration(parseDuration("1w"))).toBe("7d");
    expect(formatDuration(0)).toBe("0s");
    expect(() => parseDuration("5 m")).toThrow(/not a Prometheus duration/);
  });

  it("divide by the time-compression factor", () => {
    const t = new Timing(60);
    expect(["5m", "30m", "1h", "6h", "1d", "3d", "7d", "30s", "0s"].map((d) => t.d(d))).toEqual([
      "5s",
      "30s",
      "1m",
      "6m",
      "24m",
      "1h12m",
      "2h48m",
      "500ms",
      "0s",
    ]);
    expect(new Timing().d("7d")).toBe("7d");
    expect(() => new Timing(0.5)).toThrow(/timeScale/);
  });
});

describe("time-compressed rules", () => {
  const scale = 60;
  const speed = 4;
  const production = buildRules();
  const compressed = buildRules({ timeScale: scale, latencyScale: speed });
  const t = new Timing(scale);
  /** What compression should do to a production expression: divide every range and offset, and the latency thresholds. */
  const expected = (expr: string) =>
    expr
      .replace(/\[([0-9a-z]+)\]/g, (_m, d: string) => `[${t.d(d)}]`)
      .replace(/offset ([0-9a-z]+)/g, (_m, d: string) => `offset ${t.d(d)}`)
      .replaceAll(`le="${SLO.latency.thresholdSeconds}"`, `le="${SLO.latency.thresholdSeconds / speed}"`)
      .replaceAll(`le="${SLO.ttft.thresholdSeconds}"`, `le="${SLO.ttft.thresholdSeconds / speed}"`)
      .replaceAll(`> ${SLO.latency.thresholdSeconds}`, `> ${SLO.latency.thresholdSeconds / speed}`)
      .replaceAll(`> ${SLO.ttft.thresholdSeconds}`, `> ${SLO.ttft.thresholdSeconds / speed}`)
      .replaceAll(`> ${THRESHOLDS.timeBetweenTokensP99.thresholdSeconds}`, `> ${THRESHOLDS.timeBetweenTokensP99.thresholdSeconds / speed}`);

  it("keeps every rule, its name, labels and expression, with only durations and latency thresholds divided", () => {
    const prodRecording = production.recording.flatMap((g) => g.rules);
    const compRecording = compressed.recording.flatMap((g) => g.rules);
    expect(compRecording.map((r) => r.record)).toEqual(prodRecording.map((r) => r.record));
    for (const [i, r] of prodRecording.entries()) expect(compRecording[i]?.expr, r.record).toBe(expected(r.expr));
    const prodAlerts = production.alerting.flatMap((g) => g.rules);
    const compAlerts = compressed.alerting.flatMap((g) => g.rules);
    expect(compAlerts.map((a) => a.alert)).toEqual(prodAlerts.map((a) => a.alert));
    for (const [i, a] of prodAlerts.entries()) {
      const c = compAlerts[i];
      expect(c?.expr, a.alert).toBe(expected(a.expr));
      expect(c?.for, a.alert).toBe(t.d(a.for));
      expect(c?.labels.severity).toBe(a.labels.severity);
    }
    // The windows in the expressions really changed: the 7-day baselines are 2h48m long.
    expect(compAlerts.find((a) => a.alert === "AgentCostPerHourHigh")?.expr).toContain("[2h48m] offset 1m");
    expect(compRecording.find((r) => r.record === "agent:slo_latency_errors:ratio_rate3d")?.expr).toContain('le="1.6"');
  });

  it("pass promtool check rules", async () => {
    const dir = await mkdtemp(join(tmpdir(), "agentwatch-compressed-"));
    try {
      const texts = await ruleFileTexts(compressed);
      await writeFile(join(dir, "recording.yml"), texts.recording);
      await writeFile(join(dir, "alerts.yml"), texts.alerting);
      const result = await run("promtool", ["check", "rules", "recording.yml", "alerts.yml"], { cwd: dir });
      expect(result.code, result.output).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("time-compressed alertmanager.yml", () => {
  it("divides the timers, points the receivers at the test webhooks and keeps routes and inhibition", async () => {
    const text = await readFile(join(PROMETHEUS_DIR, "alertmanager.yml"), "utf8");
    const copy = compressAlertmanagerConfig(text, {
      timeScale: 60,
      webhooks: { pager: "http://127.0.0.1:1/pager", chat: "http://127.0.0.1:1/chat" },
    });
    const config = parse(copy) as {
      route: {
        group_wait: string;
        group_interval: string;
        repeat_interval: string;
        group_by: string[];
        routes: { repeat_interval: string }[];
      };
      receivers: { name: string; webhook_configs?: { url: string }[] }[];
      inhibit_rules: unknown[];
    };
    expect([config.route.group_wait, config.route.group_interval, config.route.repeat_interval]).toEqual(["500ms", "5s", "4m"]);
    expect(config.route.routes.map((r) => r.repeat_interval)).toEqual(["1m", "4m", "24m"]);
    expect(config.route.group_by).toEqual(["alertname", "agent"]);
    expect(config.receivers).toEqual([
      { name: "pager", webhook_configs: [{ url: "http://127.0.0.1:1/pager", send_resolved: true }] },
      { name: "chat", webhook_configs: [{ url: "http://127.0.0.1:1/chat", send_resolved: true }] },
      { name: "dashboard" },
    ]);
    expect(config.inhibit_rules).toEqual((parse(text) as { inhibit_rules: unknown[] }).inhibit_rules);
    expect(["critical", "warning", "info", "other"].map((s) => receiverForSeverity(text, s))).toEqual([
      "pager",
      "chat",
      "dashboard",
      "chat",
    ]);
    expect(() => compressAlertmanagerConfig(text, { timeScale: 60, webhooks: { slack: "http://x" } })).toThrow(/no receiver named "slack"/);

    const dir = await mkdtemp(join(tmpdir(), "agentwatch-am-"));
    try {
      await writeFile(join(dir, "alertmanager.yml"), copy);
      const result = await run("amtool", ["check-config", join(dir, "alertmanager.yml")]);
      expect(result.code, result.output).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
