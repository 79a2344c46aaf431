// `agentwatch-eval from-trace <file...>`: production traces (OTLP JSON) into candidate dataset lines
// for review, on stdout or appended to --out.

import { appendFile } from "node:fs/promises";

import type { Command } from "commander";

import { candidateLine, candidatesFromFiles, TraceFormatError } from "../traces/index.js";
import { EXIT } from "../types.js";
import type { AfterReportIO } from "./apply-gate-flags.js";

/** Turns the files into JSONL lines; returns the exit code (EXIT.badInput with a message naming the file and the fix). */
export async function fromTrace(paths: string[], opts: { out?: string }, io: AfterReportIO): Promise<number> {
  try {
    const candidates = await candidatesFromFiles(paths);
    const lines = candidates.map(candidateLine);
    if (opts.out === undefined) for (const line of lines) io.out(line);
    else {
      await appendFile(opts.out, lines.map((l) => `${l}\n`).join(""), "utf8");
      io.err(`appended ${lines.length} candidate case(s) to ${opts.out}`);
    }
    for (const c of candidates) for (const w of c.warnings) io.err(`review: ${w}`);
    return EXIT.pass;
  } catch (error) {
    if (error instanceof TraceFormatError) {
      io.err(`agentwatch-eval from-trace: ${error.message}`);
      return EXIT.badInput;
    }
    throw error;
  }
}

/** Adds the `from-trace` command to the program; its exit code goes to `setExitCode` (default: process.exitCode). */
export function addFromTraceCommand(
  program: Command,
  io?: AfterReportIO,
  setExitCode: (code: number) => void = (code) => {
    process.exitCode = code;
  },
): Command {
  const out = io ?? { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
  program
    .command("from-trace")
    .description(
      "turn agentwatch traces (OTLP JSON from Tempo's /api/traces/<id> or an OTLP file exporter; captured content needed) into candidate cases, one JSONL line each, for review",
    )
    .argument("<files...>", "OTLP JSON trace files")
    .option("--out <file>", "append the lines to this dataset file instead of printing them")
    .action(async (files: string[], opts: { out?: string }) => {
      setExitCode(await fromTrace(files, opts, out));
    });
  return program;
}
