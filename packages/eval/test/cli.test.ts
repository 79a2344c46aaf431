/**
 * `agentwatch-eval run` as CI runs it: the compiled bin (built by `tsc -b`, which `npm test` runs
 * first) started as a child process.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { EXIT } from "@agentwatch/eval";
import { describe, expect, it } from "vitest";

import { jsonl, tempFile } from "./temp-files.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const TARGET = fileURLToPath(new URL("./fixtures/support-target.mjs", import.meta.url));
const DATASET = fileURLToPath(new URL("./fixtures/support.jsonl", import.meta.url));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -b\` (npm test does) before this test`);
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout, stderr });
    });
  });
}

describe("agentwatch-eval run", () => {
  it("exits 2 on a malformed dataset, naming the line and the field", async () => {
    const dataset = tempFile("acme.jsonl", jsonl({ id: "a", input: "x" }, "", { id: "b", input: "y", facts: "shipped" }));
    const { code, stdout, stderr } = await cli(["run", "--dataset", dataset, "--target", TARGET]);
    expect(code).toBe(EXIT.badInput);
    expect(stderr).toContain('acme.jsonl line 3: "facts" must be an array of strings (got a string); write "facts": ["..."]');
    expect(stderr).not.toContain("    at ");
    expect(stdout).toBe("");
  });

  it("exits 2 for a missing dataset, a missing target export and a bad flag", async () => {
    const noExport = tempFile("empty-target.mjs", "export const graph = 1;\n");
    const [missing, target, flag, unknown] = await Promise.all([
      cli(["run", "--dataset", "/nonexistent/acme.jsonl", "--target", TARGET]),
      cli(["run", "--dataset", DATASET, "--target", noExport]),
      cli(["run", "--dataset", DATASET, "--target", TARGET, "--samples", "0"]),
      cli(["run", "--dataset", DATASET, "--target", TARGET, "--evaluators", "bleu"]),
    ]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("/nonexistent/acme.jsonl does not exist")]);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('empty-target.mjs exports no "target" (nor a default export); it exports graph');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("--samples");
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown evaluator "bleu"')]);
  });

  it("runs the support graph, prints the summary and writes the JSON report, exit 0", async () => {
    const json = tempFile("report.json", "");
    const { code, stdout, stderr } = await cli(["run", "--dataset", DATASET, "--target", TARGET, "--samples", "2", "--json", json]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.pass);
    expect(stdout).toContain("support · prompt support@test · 3 cases × 2 samples");
    expect(stdout).toMatch(/tool_trajectory\s+1\.000\s+\[1\.000, 1\.000\]\s+n=2/);
    expect(stdout).toMatch(/latency p50 \d+ ms, p95 \d+ ms/);
    const { report } = JSON.parse(readFileSync(json, "utf8"));
    expect(report.cases).toHaveLength(3);
    expect(report.cases[0].runs[0].toolCalls).toEqual(["lookup_order"]);
    expect(report.totals.costUsd).toBeGreaterThan(0);
  });
});
