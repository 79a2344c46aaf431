import { Command } from "commander";

import { loadDataset } from "../dataset/load-dataset.js";
import { BUILTIN_EVALUATOR_NAMES, selectEvaluators } from "../evaluators/select.js";
import type { TrajectoryMode } from "../evaluators/types.js";
import { evaluate } from "../runner/evaluate.js";
import { loadTarget } from "../target/load-target.js";
import { EXIT } from "../types.js";
import { list, trajectoryMode, wholeNumber } from "./parse-flags.js";
import { RUN_HOOKS } from "./run-hooks.js";
import { terminalSummary } from "./terminal-summary.js";

/** The flags `run` itself reads (hooks read their own from the same object). */
interface RunFlags {
  dataset: string;
  target: string;
  samples: number;
  concurrency: number;
  evaluators?: string[];
  seed: number;
  trajectory: TrajectoryMode;
  timeout: number;
  progress: boolean;
}

/** `run`: evaluate a target over a dataset, print the summary, then the hooks (baseline, gate, reports: cli/gate-hook.ts). */
export function runCommand(setExitCode: (code: number) => void): Command {
  const command = new Command("run")
    .description("run a target over a golden dataset with agentwatch attached, score every case, print the summary")
    .requiredOption("--dataset <file>", "JSONL dataset, one case a line")
    .requiredOption("--target <module>", "ES module exporting `target` (a LangChain runnable or a function) and optional `options`")
    .option("--samples <n>", "samples per case (pass@k over them)", wholeNumber(1), 1)
    .option("--concurrency <n>", "samples run at the same time", wholeNumber(1), 4)
    .option(
      "--evaluators <names>",
      `comma-separated evaluators (default: every one that applies); built-ins: ${BUILTIN_EVALUATOR_NAMES.join(", ")}`,
      list,
    )
    .option("--trajectory <mode>", "how tool_trajectory compares tool calls: exact, subsequence or set", trajectoryMode, "exact")
    .option("--seed <n>", "seed of the bootstrap intervals", wholeNumber(0), 1)
    .option("--timeout <ms>", "a sample taking longer fails", wholeNumber(1), 120_000)
    .option("--no-progress", "no progress bar even on a terminal");
  for (const hook of RUN_HOOKS) hook.addOptions(command);
  command.action(async (flags: RunFlags & Record<string, unknown>) => {
    // Flags are checked before anything runs, so a typo costs no evaluation run.
    for (const hook of RUN_HOOKS) hook.checkOptions?.(flags);
    const dataset = await loadDataset(flags.dataset);
    const target = await loadTarget(flags.target);
    const evaluators = selectEvaluators(flags.evaluators, target.options, { trajectory: flags.trajectory });
    const report = await evaluate(dataset, target, {
      samples: flags.samples,
      concurrency: flags.concurrency,
      evaluators,
      seed: flags.seed,
      timeoutMs: flags.timeout,
      progress: flags.progress && process.stderr.isTTY === true,
    });
    process.stdout.write(terminalSummary(report));
    let code: number = EXIT.pass;
    for (const hook of RUN_HOOKS) code = Math.max(code, (await hook.afterReport(report, flags)) ?? EXIT.pass);
    setExitCode(code);
  });
  return command;
}
