import type { Command } from "commander";

import type { EvalReport } from "../types.js";
import { gateHook } from "./gate-hook.js";

/**
 * An addition to the `run` command: its own flags, and what it does with the finished report
 * (compare with a baseline, write JUnit / Markdown, push to a Pushgateway...). Its answer is the
 * exit code it asks for (`EXIT.gateFailed` when a gate fails); the command exits with the highest.
 * Throw a BadInputError for bad flags or files (exit 2).
 */
export interface RunHook {
  name: string;
  addOptions(command: Command): void;
  /** Checks its flags before the run starts; throws a BadInputError naming the flag and the fix. */
  checkOptions?(flags: Record<string, unknown>): void;
  afterReport(report: EvalReport, flags: Record<string, unknown>): Promise<number | void> | number | void;
}

/** The hooks of `run`, in order. Add yours here (one file per hook). */
export const RUN_HOOKS: RunHook[] = [gateHook];
