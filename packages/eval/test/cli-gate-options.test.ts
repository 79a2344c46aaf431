import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { addGateOptions, afterReport, checkGateOptions } from "../src/cli/gate-options.js";
import { readBaseline } from "../src/gate/index.js";
import { EXIT } from "../src/types.js";
import { makeReport } from "./support/report.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eval-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The options commander gives the `run` action for `argv`. */
function parse(argv: string[]): Record<string, unknown> {
  const command = addGateOptions(new Command("run").exitOverride().action(() => undefined));
  command.parse(argv, { from: "user" });
  return command.opts();
}

function io() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, io: { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) } };
}

const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
const v1 = makeReport(
  ids.map((id) => ({ id, scores: { facts: 1, exact: 1 } })),
  { name: "support", version: "v1" },
);
const v2bad = makeReport(
  ids.map((id, i) => ({
    id,
    scores: { facts: i < 8 ? 0 : 1, exact: 1 },
    explanations: i < 8 ? { facts: "missing the refund window" } : undefined,
  })),
  { name: "support", version: "v2" },
);
const v2ok = makeReport(
  ids.map((id) => ({ id, scores: { facts: 1, exact: 1 } })),
  { name: "support", version: "v2" },
);

describe("gate flags on the run command", () => {
  it("parses every flag, --min repeatable, --max-drop defaulting to 0.05", () => {
    expect(parse([])).toEqual({ maxDrop: "0.05", min: [] });
    expect(
      parse([
        "--baseline",
        "b",
        "--write-baseline",
        "--max-drop",
        "0.1",
        "--min",
        "facts=0.8",
        "--min",
        "exact=0.9",
        "--junit",
        "j.xml",
        "--markdown",
        "m.md",
        "--json",
        "r.json",
        "--pushgateway",
        "http://127.0.0.1:9091",
      ]),
    ).toEqual({
      baseline: "b",
      writeBaseline: true,
      maxDrop: "0.1",
      min: ["facts=0.8", "exact=0.9"],
      junit: "j.xml",
      markdown: "m.md",
      json: "r.json",
      pushgateway: "http://127.0.0.1:9091",
    });
  });

  it("leaves a flag the command already has alone", () => {
    const command = new Command("run").option("--json <file>", "the other engineer's --json");
    expect(() => addGateOptions(command)).not.toThrow();
    expect(command.options.filter((o) => o.long === "--json")).toHaveLength(1);
  });

  it.each([
    [["--max-drop", "5%"], '--max-drop must be a fraction between 0 and 1, e.g. 0.05 for 5 % (got "5%")'],
    [["--max-drop", "5"], '--max-drop must be a fraction between 0 and 1, e.g. 0.05 for 5 % (got "5")'],
    [["--min", "facts"], '--min must be evaluator=score with a score between 0 and 1, e.g. --min facts=0.8 (got "facts")'],
    [["--min", "facts=80"], '--min must be evaluator=score with a score between 0 and 1, e.g. --min facts=0.8 (got "facts=80")'],
    [["--min", "facts=0.8", "--min", "facts=0.9"], "--min gives facts twice (0.8 and 0.9): give each evaluator once"],
    [["--write-baseline"], "--write-baseline needs --baseline FILE|DIR"],
    [["--pushgateway", "localhost:9091"], '--pushgateway must be an http(s) URL, e.g. http://127.0.0.1:9091 (got "localhost:9091")'],
  ])("refuses %j naming the flag and the fix, before the run and after it (exit 2)", async (argv, message) => {
    const opts = parse(argv);
    expect(() => checkGateOptions(opts)).toThrow(message);
    const { errors, io: out } = io();
    expect(await afterReport(v1, opts, out)).toBe(EXIT.badInput);
    expect(errors.join("\n")).toContain(message);
  });
});

describe("afterReport", () => {
  it("writes a baseline, then passes a run as good and fails a worse one (exit 0, then 1), writing every report", async () => {
    const first = io();
    expect(await afterReport(v1, parse(["--baseline", dir, "--write-baseline"]), first.io)).toBe(EXIT.pass);
    expect(first.lines[0]).toContain(join(dir, "acme.support@v1.json"));
    expect((await readBaseline(join(dir, "acme.support@v1.json"))).summary).toEqual({ exact: 1, facts: 1 });

    const ok = io();
    expect(await afterReport(v2ok, parse(["--baseline", dir]), ok.io)).toBe(EXIT.pass);
    expect(ok.lines).toContain("gate PASSED (baseline support@v1)");

    const bad = io();
    const argv = [
      "--baseline",
      dir,
      "--junit",
      join(dir, "out", "junit.xml"),
      "--markdown",
      join(dir, "out", "report.md"),
      "--json",
      join(dir, "out", "report.json"),
    ];
    expect(await afterReport(v2bad, parse(argv), bad.io)).toBe(EXIT.gateFailed);
    expect(bad.lines).toContain("gate FAILED (baseline support@v1)");
    expect(bad.lines.some((l) => /FAIL facts: dropped 20\.0 %/.test(l))).toBe(true);
    expect(bad.lines).toContain("  worst: c0 facts 1.000 → 0.000 (missing the refund window)");
    expect((await readFile(join(dir, "out", "junit.xml"), "utf8")).match(/<testcase /g)).toHaveLength(40);
    expect(await readFile(join(dir, "out", "report.md"), "utf8")).toMatch(/^## ❌ Gate failed/);
    expect(JSON.parse(await readFile(join(dir, "out", "report.json"), "utf8")).gate.verdict).toBe("fail");
  });

  it("exit 2 with the fix when the folder has no baseline, the baseline is malformed or --min names no evaluator", async () => {
    const none = io();
    expect(await afterReport(v2ok, parse(["--baseline", dir]), none.io)).toBe(EXIT.badInput);
    expect(none.errors[0]).toContain('no baseline of dataset "acme" and prompt "support" in this folder; create one with --write-baseline');

    const file = join(dir, "broken.json");
    await writeFile(file, JSON.stringify({ dataset: "acme" }));
    const broken = io();
    expect(await afterReport(v2ok, parse(["--baseline", file]), broken.io)).toBe(EXIT.badInput);
    expect(broken.errors[0]).toContain(`baseline ${file}: prompt must be an object {name, version} (got nothing)`);

    const unknown = io();
    expect(await afterReport(v2ok, parse(["--min", "judge=0.8"]), unknown.io)).toBe(EXIT.badInput);
    expect(unknown.errors[0]).toContain('--min judge=…: this run has no evaluator "judge" (it has facts, exact)');
  });

  it("without a baseline only the minimums gate", async () => {
    expect(await afterReport(v2bad, parse([]), io().io)).toBe(EXIT.pass);
    expect(await afterReport(v2bad, parse(["--min", "facts=0.9"]), io().io)).toBe(EXIT.gateFailed);
  });
});
