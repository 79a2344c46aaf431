import { readFile } from "node:fs/promises";
import { basename } from "node:path";

import type { Dataset, EvalCase } from "../types.js";
import { DatasetError } from "./dataset-error.js";
import { parseCase } from "./parse-case.js";
import type { LoadDatasetOptions } from "./types.js";

/** The text of the dataset file, or a {@link DatasetError} saying why it cannot be read. */
async function readDatasetFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DatasetError(`dataset ${path} does not exist; pass --dataset with the path of a .jsonl file`);
    if (code === "EISDIR") throw new DatasetError(`dataset ${path} is a directory; pass --dataset with the path of a .jsonl file in it`);
    throw new DatasetError(`dataset ${path} cannot be read (${(error as Error).message})`);
  }
}

/**
 * Reads a JSONL dataset: one case a line, as a JSON object with `id`, `input` and any of
 * `reference`, `facts`, `forbidden`, `patterns`, `tools`, `tags`. Blank lines are skipped; every
 * other line must be JSON (no comments). Throws a {@link DatasetError} (with `line` and `field`)
 * for a line that is not JSON, a field of the wrong type, an unknown field, an invalid regular
 * expression, a repeated id, or a file without cases.
 */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const text = await readDatasetFile(path);
  const file = basename(path);
  const cases: EvalCase[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "") return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      const hint =
        trimmed.startsWith("//") || trimmed.startsWith("#")
          ? "comments are not allowed in JSONL; remove the line"
          : "each line must be one complete JSON object";
      throw new DatasetError(`${file} line ${line}: not valid JSON (${(error as Error).message}); ${hint}`, { line });
    }
    const evalCase = parseCase({ file, line }, value);
    const first = seen.get(evalCase.id);
    if (first !== undefined) {
      throw new DatasetError(
        `${file} line ${line}: "id" ${JSON.stringify(evalCase.id)} is already used on line ${first}; give every case its own id`,
        {
          line,
          field: "id",
        },
      );
    }
    seen.set(evalCase.id, line);
    cases.push(evalCase);
  });
  if (cases.length === 0)
    throw new DatasetError(`dataset ${path} has no cases; write one JSON object per line, e.g. {"id": "c1", "input": "..."}`);
  const name = options.name ?? file.replace(/\.jsonl$/i, "");
  return { name, path, cases };
}
