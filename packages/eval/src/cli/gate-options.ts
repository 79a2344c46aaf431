// The CLI's gate and report flags: `addGateOptions` puts them on a commander Command (the `run`
// command), `afterReport` does what they ask once the run's report is there and gives the exit code.

import type { Command } from "commander";

import type { EvalReport } from "../types.js";
import { EXIT } from "../types.js";
import { type AfterReportIO, applyGateFlags } from "./apply-gate-flags.js";
import { type GateFlagValues, parseGateFlags } from "./gate-flags.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds --baseline, --write-baseline, --max-drop, --min, --junit, --markdown, --json, --pushgateway (any the command already has are left as they are). */
export function addGateOptions(command: Command): Command {
  const has = (long: string) => command.options.some((o) => o.long === long);
  const add = (long: string, apply: () => void) => {
    if (!has(long)) apply();
  };
  add("--baseline", () =>
    command.option("--baseline <file|dir>", "baseline to compare with: a FILE.json, or a DIR of <dataset>.<prompt>@<version>.json files"),
  );
  add("--write-baseline", () =>
    command.option("--write-baseline", "write this run as the baseline (into --baseline) instead of comparing with it"),
  );
  add("--max-drop", () =>
    command.option("--max-drop <fraction>", "largest relative drop of an evaluator's mean allowed, beyond the noise", "0.05"),
  );
  add("--min", () =>
    command.option("--min <evaluator=score>", "lowest mean allowed for an evaluator, whatever the baseline (repeatable)", collect, []),
  );
  add("--junit", () => command.option("--junit <file>", "write a JUnit XML report (one testcase per case)"));
  add("--markdown", () => command.option("--markdown <file>", "write a Markdown report for a pull-request comment"));
  add("--json", () => command.option("--json <file>", "write the report and the gate result as JSON"));
  add("--pushgateway", () =>
    command.option("--pushgateway <url>", "push the scores to a Prometheus Pushgateway, e.g. http://127.0.0.1:9091"),
  );
  return command;
}

/**
 * Checks the flags before a run starts: throws GateFlagError (print its message, exit EXIT.badInput)
 * so a typo is found before the dataset is run.
 */
export function checkGateOptions(opts: GateFlagValues): void {
  parseGateFlags(opts);
}

/**
 * After the run: writes or reads the baseline, gates, writes the reports, pushes; prints the verdict.
 * Returns EXIT.pass, EXIT.gateFailed or EXIT.badInput (with a message naming the flag or file and the fix).
 */
export async function afterReport(report: EvalReport, opts: GateFlagValues, io?: AfterReportIO): Promise<number> {
  const out = io ?? { out: (line: string) => console.log(line), err: (line: string) => console.error(line) };
  let flags;
  try {
    flags = parseGateFlags(opts);
  } catch (error) {
    out.err(`agentwatch-eval: ${(error as Error).message}`);
    return EXIT.badInput;
  }
  return applyGateFlags(report, flags, out);
}
