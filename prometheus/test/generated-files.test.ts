/** The committed rule files and promtool tests are exactly what `npm run generate:rules` writes. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { generatedFiles, PROMETHEUS_DIR } from "../src/index.js";

describe("generated files", () => {
  it("match the committed prometheus/rules/*.yml and prometheus/tests/*.yml", async () => {
    const files = await generatedFiles();
    const stale = [...files].filter(([path, text]) => {
      const file = join(PROMETHEUS_DIR, path);
      return !existsSync(file) || readFileSync(file, "utf8") !== text;
    });
    expect(
      stale.map(([path]) => `prometheus/${path}`),
      "these generated files differ from what prometheus/src generates: run `npm run generate:rules` and commit the result",
    ).toEqual([]);
  });

  it("leave no file in prometheus/rules or prometheus/tests that the generator does not write", async () => {
    const files = new Set((await generatedFiles()).keys());
    const onDisk = ["rules", "tests"].flatMap((dir) => readdirSync(join(PROMETHEUS_DIR, dir)).map((f) => `${dir}/${f}`));
    expect(
      onDisk.filter((f) => !files.has(f)),
      "remove these files (promtool and Prometheus would load them), or generate them from prometheus/src",
    ).toEqual([]);
  });
});
