// Where baselines live: one file per dataset and prompt version, `<dir>/<dataset>.<prompt>@<version>.json`,
// and how a run finds the one to compare with.

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

import type { PromptRef } from "../types.js";
import { BaselineError } from "./baseline-error.js";
import { readBaseline } from "./baseline-file.js";

/** The file name of a baseline: characters outside `A-Za-z0-9._-` become `_`. */
export function baselineFileName(dataset: string, prompt: PromptRef): string {
  return `${safe(dataset)}.${safe(prompt.name)}@${safe(prompt.version)}.json`;
}

/** `<dir>/<dataset>.<prompt>@<version>.json`. */
export function baselinePath(dir: string, dataset: string, prompt: PromptRef): string {
  return join(dir, baselineFileName(dataset, prompt));
}

/**
 * The baseline file a run of `prompt` on `dataset` compares with, given `--baseline FILE|DIR`:
 * a file is used as it is; in a folder, the baseline of the same version if there is one (a model or
 * config change re-evaluated), else the newest (by `createdAt`) of the same dataset and prompt name
 * (the version in production). `undefined` when the folder holds none.
 */
export async function findBaseline(fileOrDir: string, dataset: string, prompt: PromptRef): Promise<string | undefined> {
  if (!(await isDirectory(fileOrDir))) return fileOrDir;
  const same = baselinePath(fileOrDir, dataset, prompt);
  const names = await readdir(fileOrDir);
  if (names.includes(baselineFileName(dataset, prompt))) return same;
  const prefix = `${safe(dataset)}.${safe(prompt.name)}@`;
  let newest: { path: string; createdAt: number } | undefined;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".json")) continue;
    const path = join(fileOrDir, name);
    const baseline = await readBaseline(path);
    if (baseline.dataset !== dataset || baseline.prompt.name !== prompt.name) continue;
    const createdAt = Date.parse(baseline.createdAt);
    if (newest === undefined || createdAt > newest.createdAt) newest = { path, createdAt };
  }
  return newest?.path;
}

/** The path `--write-baseline` writes: the file given, or the convention inside the folder given. */
export async function baselineWritePath(fileOrDir: string, dataset: string, prompt: PromptRef): Promise<string> {
  if (await isDirectory(fileOrDir)) return baselinePath(fileOrDir, dataset, prompt);
  if (fileOrDir.endsWith(".json")) return fileOrDir;
  throw new BaselineError(fileOrDir, "", "is neither a folder nor a .json file: give --baseline an existing folder or a FILE.json");
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, "_");
}
