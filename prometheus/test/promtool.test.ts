/**
 * The committed configuration checked by the real tools from Debian's `prometheus` and
 * `prometheus-alertmanager` packages: promtool check config / check rules / test rules, and
 * amtool check-config. Without the binaries these tests fail with the apt-get command to run.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { PROMETHEUS_DIR, RULE_FILES, RULE_TEST_FILES } from "../src/index.js";
import { run } from "./support/binaries.js";

/** alertmanager.yml with its commented production examples (indented `# ` lines in the receivers) uncommented. */
export function uncommentExamples(text: string): string {
  return text.replace(/^(\s{4,})# /gm, "$1");
}

describe("promtool and amtool", { timeout: 120_000 }, () => {
  it("promtool check config: prometheus.yml and the rule files it names (relative to it)", async () => {
    const result = await run("promtool", ["check", "config", "prometheus.yml"], { cwd: PROMETHEUS_DIR });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS: 2 rule files found");
    for (const file of Object.values(RULE_FILES)) expect(result.output).toContain(`Checking ${file}`);
  });

  it("promtool check rules: the generated rule files", async () => {
    const result = await run("promtool", ["check", "rules", ...Object.values(RULE_FILES)], { cwd: PROMETHEUS_DIR });
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/FAILED|WARNING/);
  });

  it("amtool check-config: alertmanager.yml, and again with its PagerDuty and Slack examples uncommented", async () => {
    const local = await run("amtool", ["check-config", "alertmanager.yml"], { cwd: PROMETHEUS_DIR });
    expect(local.code, local.output).toBe(0);
    expect(local.output).toMatch(/2 inhibit rules[\s\S]*3 receivers/);
    const dir = await mkdtemp(join(tmpdir(), "agentwatch-amtool-"));
    try {
      const production = uncommentExamples(await readFile(join(PROMETHEUS_DIR, "alertmanager.yml"), "utf8"));
      expect(production).toMatch(/^\s+pagerduty_configs:$/m);
      expect(production).toMatch(/^\s+slack_configs:$/m);
      await writeFile(join(dir, "alertmanager.yml"), production);
      const result = await run("amtool", ["check-config", join(dir, "alertmanager.yml")]);
      expect(result.code, result.output).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("promtool test rules: every alert fires where it should and stays quiet next to it", async () => {
    // The files run side by side (one promtool each) to keep the wall time down.
    const results = await Promise.all(
      RULE_TEST_FILES.map((f) => run("promtool", ["test", "rules", `tests/${f.file}`], { cwd: PROMETHEUS_DIR })),
    );
    for (const [i, result] of results.entries()) {
      expect(result.code, `promtool test rules tests/${RULE_TEST_FILES[i]?.file}:\n${result.output}`).toBe(0);
      expect(result.output).toContain("SUCCESS");
    }
  });
});
