import { access } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { invokeRunnable } from "./runnable-target.js";
import { TargetError } from "./target-error.js";
import { checkTargetOptions } from "./target-options.js";
import type { LoadedTarget, RunnableLike, Target, TargetFunction, TargetOptions, TargetResult } from "./types.js";

function normalise(result: TargetResult, module: string): { answer: string; documents?: string[] } {
  if (typeof result === "string") return { answer: result };
  if (typeof result === "object" && result !== null && typeof result.answer === "string") {
    const documents = result.documents;
    if (documents !== undefined && (!Array.isArray(documents) || documents.some((d) => typeof d !== "string"))) {
      throw new TargetError(`${module}: the target returned "documents" that is not an array of strings`);
    }
    return documents === undefined ? { answer: result.answer } : { answer: result.answer, documents };
  }
  throw new TargetError(`${module}: the target must return a string or { answer: string, documents?: string[] }`);
}

const isRunnable = (value: unknown): value is RunnableLike =>
  typeof value === "object" && value !== null && typeof (value as { invoke?: unknown }).invoke === "function";

/** Wraps a target (runnable or function) with its options into a {@link LoadedTarget}. */
export function prepareTarget(target: Target, options: TargetOptions = {}, path = "target"): LoadedTarget {
  const module = basename(path);
  const prompt = options.prompt ?? { name: module.replace(/\.[cm]?[jt]s$/, ""), version: "unversioned" };
  if (isRunnable(target)) {
    return {
      path,
      kind: "runnable",
      options,
      prompt,
      call: async (input, context) => normalise(await invokeRunnable(target, input, context, options), module),
    };
  }
  if (typeof target === "function") {
    const fn = target as TargetFunction;
    return { path, kind: "function", options, prompt, call: async (input, context) => normalise(await fn(input, context), module) };
  }
  throw new TargetError(
    `${module}: "target" must be a LangChain runnable (with invoke) or a function (input, { callbacks, metadata, signal }) => answer`,
  );
}

/**
 * Imports a target module (ESM, by path) and checks it: it exports `target` (or a default) that is a
 * runnable or a function, and optionally `options`. Throws a {@link TargetError} naming the module
 * and the fix when the file is missing, does not load, or lacks the export.
 */
export async function loadTarget(path: string): Promise<LoadedTarget> {
  const absolute = resolve(path);
  const module = basename(path);
  try {
    await access(absolute);
  } catch {
    throw new TargetError(`target module ${path} does not exist; pass --target with the path of a built .js module that exports "target"`);
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new TargetError(`target module ${path} failed to load: ${(error as Error).message}`);
  }
  const target = exports.target ?? exports.default;
  if (target === undefined) {
    const found = Object.keys(exports);
    throw new TargetError(
      `${module} exports no "target" (nor a default export)${found.length > 0 ? `; it exports ${found.join(", ")}` : ""}; add export const target = yourGraph (or a function)`,
    );
  }
  return prepareTarget(target as Target, checkTargetOptions(module, exports.options), path);
}
