import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { baselineOf, baselinePath, baselineWritePath, findBaseline, readBaseline, writeBaseline } from "../src/gate/index.js";
import { makeReport } from "./support/report.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "eval-baseline-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const report = makeReport([
  { id: "b", scores: { rouge: 0.5, exact: 1 } },
  { id: "a", scores: { exact: 0, rouge: 0.25 } },
]);

describe("baseline files", () => {
  it("round-trips with sorted keys, so a re-run diffs cleanly", async () => {
    const path = join(dir, "nested", "x.json");
    const baseline = baselineOf(report, "2026-12-01T00:00:00.000Z");
    await writeBaseline(path, baseline);
    expect(await readBaseline(path)).toEqual(baseline);
    const text = await readFile(path, "utf8");
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(text.indexOf('"createdAt"')).toBeLessThan(text.indexOf('"dataset"'));
    expect(baseline.summary).toEqual({ exact: 0.5, rouge: 0.375 });
  });

  it.each([
    [{ dataset: "", prompt: { name: "p", version: "1" } }, "dataset must be a non-empty string"],
    [{ dataset: "d", prompt: "p@1" }, 'prompt must be an object {name, version} (got "p@1")'],
    [{ dataset: "d", prompt: { name: "p" } }, "prompt.version must be a non-empty string (got nothing)"],
    [{ dataset: "d", prompt: { name: "p", version: "1" }, createdAt: "yesterday" }, 'createdAt must be an ISO date (got "yesterday")'],
    [
      { dataset: "d", prompt: { name: "p", version: "1" }, createdAt: "2026-01-01", scores: { c1: { exact: 1.5 } }, summary: {} },
      'scores["c1"]["exact"] must be a number in 0..1 (got 1.5)',
    ],
    [
      { dataset: "d", prompt: { name: "p", version: "1" }, createdAt: "2026-01-01", scores: {}, summary: { exact: "high" } },
      'summary["exact"] must be a number in 0..1 (got "high")',
    ],
  ])("names the field at fault: %j", async (value, message) => {
    const path = join(dir, "bad.json");
    await writeFile(path, JSON.stringify(value));
    await expect(readBaseline(path)).rejects.toThrow(`baseline ${path}: ${message}`);
  });

  it("says what to do when the file is missing or not JSON", async () => {
    await expect(readBaseline(join(dir, "none.json"))).rejects.toThrow("does not exist (write one with --write-baseline)");
    await writeFile(join(dir, "broken.json"), "{");
    await expect(readBaseline(join(dir, "broken.json"))).rejects.toThrow("is not JSON");
  });
});

describe("baseline lookup: <dir>/<dataset>.<prompt>@<version>.json", () => {
  it("names files by dataset, prompt and version, made safe for a file system", () => {
    expect(baselinePath("b", "acme", { name: "support/agent", version: "v 2" })).toBe(join("b", "acme.support_agent@v_2.json"));
  });

  it("uses the same version's baseline if there is one, else the newest of the prompt", async () => {
    const v1 = { ...baselineOf(report, "2026-11-01T00:00:00.000Z"), prompt: { name: "support", version: "v1" } };
    const v3 = { ...baselineOf(report, "2026-11-20T00:00:00.000Z"), prompt: { name: "support", version: "v3" } };
    const other = { ...baselineOf(report, "2026-12-01T00:00:00.000Z"), prompt: { name: "sales", version: "v9" } };
    for (const b of [v1, v3, other]) await writeBaseline(baselinePath(dir, b.dataset, b.prompt), b);
    expect(await findBaseline(dir, "acme", { name: "support", version: "v4" })).toBe(join(dir, "acme.support@v3.json"));
    expect(await findBaseline(dir, "acme", { name: "support", version: "v1" })).toBe(join(dir, "acme.support@v1.json"));
    expect(await findBaseline(dir, "acme", { name: "billing", version: "v1" })).toBeUndefined();
    expect(await findBaseline(join(dir, "given.json"), "acme", { name: "x", version: "y" })).toBe(join(dir, "given.json"));
    expect(await baselineWritePath(dir, "acme", { name: "support", version: "v4" })).toBe(join(dir, "acme.support@v4.json"));
    await expect(baselineWritePath(join(dir, "nope"), "acme", v1.prompt)).rejects.toThrow("is neither a folder nor a .json file");
  });
});
