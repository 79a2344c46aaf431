import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

// `npm run eval` is `npm run build && node packages/demo-agent/dist/eval-cli.js`: the built wrapper
// (tsc -b runs before the tests) over the committed dataset and baseline.
const CLI = fileURLToPath(new URL("../dist/eval-cli.js", import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "--no-progress", ...args], { env: { ...process.env, AGENTWATCH_EVAL_INCIDENT: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run eval (the demo's offline evaluation with the gate)", () => {
  it("passes the gate with the shipped prompt against the committed baseline (exit 0)", { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await run([]);
    expect(stderr).toBe("");
    expect(stdout).toContain("153 cases");
    expect(stdout).toContain("gate PASSED (baseline acme-support-system@v1)");
    expect(code).toBe(0);
  });

  it(
    "fails the gate under --incident prompt-regression (exit 1), naming the worst cases in the terminal and the reports",
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "agentwatch-eval-"));
      const junit = join(dir, "junit.xml");
      const markdown = join(dir, "report.md");
      const { code, stdout } = await run(["--incident", "prompt-regression", "--junit", junit, "--markdown", markdown]);
      expect(stdout).toContain("gate FAILED");
      expect(stdout).toMatch(/FAIL facts: dropped \d+\.\d %/);
      expect(stdout).toMatch(/worst: \S+ facts 1\.000 → 0\.000/);
      expect(code).toBe(1);
      expect(readFileSync(junit, "utf8").match(/<testcase /g)).toHaveLength(153);
      expect(readFileSync(markdown, "utf8")).toMatch(/fail/i);
    },
  );

  it("refuses an unknown incident or a bare --incident with exit 2 and a message naming the fix", { timeout: 60_000 }, async () => {
    const unknown = await run(["--incident", "no-such-incident"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no-such-incident");
    const bare = await run(["--incident"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--incident needs an incident name");
  });
});
