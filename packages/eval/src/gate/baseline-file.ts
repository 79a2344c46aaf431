// Reading and writing a baseline file: JSON with a stable key order (so a re-run diffs cleanly in
// review), validated on read with errors that name the field.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

import type { Baseline } from "../types.js";
import { BaselineError } from "./baseline-error.js";

/** Writes `baseline` to `path` (creating its folder): keys sorted, two-space indent, final newline. */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(sortKeys(baseline), null, 2)}\n`, "utf8");
}

/** Reads and validates the baseline at `path`; throws `BaselineError` naming the field at fault. */
export async function readBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(
      path,
      "",
      code === "ENOENT" ? "does not exist (write one with --write-baseline)" : `cannot be read (${code ?? String(error)})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(path, "", `is not JSON (${(error as Error).message})`);
  }
  return parseBaseline(path, value);
}

/** Validates a parsed baseline value. */
export function parseBaseline(path: string, value: unknown): Baseline {
  const fail = (field: string, problem: string): never => {
    throw new BaselineError(path, field, problem);
  };
  if (!isObject(value)) return fail("", `must be a JSON object (got ${describe(value)})`);
  const text = (field: string, v: unknown): string =>
    typeof v === "string" && v !== "" ? v : fail(field, `must be a non-empty string (got ${describe(v)})`);
  const score = (field: string, v: unknown): number =>
    typeof v === "number" && v >= 0 && v <= 1 ? v : fail(field, `must be a number in 0..1 (got ${describe(v)})`);

  const dataset = text("dataset", value.dataset);
  if (!isObject(value.prompt)) fail("prompt", `must be an object {name, version} (got ${describe(value.prompt)})`);
  const prompt = value.prompt as Record<string, unknown>;
  const promptRef = { name: text("prompt.name", prompt.name), version: text("prompt.version", prompt.version) };
  const createdAt = text("createdAt", value.createdAt);
  if (Number.isNaN(Date.parse(createdAt))) fail("createdAt", `must be an ISO date (got ${JSON.stringify(createdAt)})`);

  if (!isObject(value.scores)) fail("scores", `must be an object caseId → evaluator → score (got ${describe(value.scores)})`);
  const scores: Record<string, Record<string, number>> = {};
  for (const [id, byEvaluator] of Object.entries(value.scores as Record<string, unknown>)) {
    const field = `scores[${JSON.stringify(id)}]`;
    if (!isObject(byEvaluator)) fail(field, `must be an object evaluator → score (got ${describe(byEvaluator)})`);
    const row: Record<string, number> = {};
    for (const [evaluator, v] of Object.entries(byEvaluator as Record<string, unknown>)) {
      row[evaluator] = score(`${field}[${JSON.stringify(evaluator)}]`, v);
    }
    scores[id] = row;
  }
  if (!isObject(value.summary)) fail("summary", `must be an object evaluator → mean score (got ${describe(value.summary)})`);
  const summary: Record<string, number> = {};
  for (const [evaluator, v] of Object.entries(value.summary as Record<string, unknown>)) {
    summary[evaluator] = score(`summary[${JSON.stringify(evaluator)}]`, v);
  }
  return {
    dataset,
    prompt: promptRef,
    createdAt,
    scores,
    summary,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return JSON.stringify(value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}
