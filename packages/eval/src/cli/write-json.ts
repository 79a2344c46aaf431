import { writeFile } from "node:fs/promises";

import { BadInputError } from "../bad-input-error.js";
import type { EvalReport } from "../types.js";

/** Writes the report as JSON; a path that cannot be written is bad input naming the flag. */
export async function writeJsonReport(path: string, report: EvalReport): Promise<void> {
  try {
    await writeFile(path, JSON.stringify(report, null, 2) + "\n");
  } catch (error) {
    throw new BadInputError(
      `--json ${path}: cannot write the report (${(error as Error).message}); pass a path in a directory that exists`,
    );
  }
}
