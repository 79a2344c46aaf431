import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll } from "vitest";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` to a new temporary file named `name`; removed after the test file. */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "agentwatch-eval-"));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** JSONL of the given objects (or raw lines). */
export const jsonl = (...lines: Array<object | string>): string =>
  lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
