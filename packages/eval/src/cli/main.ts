import { Command, CommanderError } from "commander";

import { BadInputError } from "../bad-input-error.js";
import { EXIT } from "../types.js";
import { COMMANDS } from "./commands.js";
import { addFromTraceCommand } from "./from-trace-command.js";

/**
 * Runs the CLI on `argv` and returns the exit code: 0 pass, 1 gate failed (from a hook), 2 bad
 * input (a dataset, target, flag or file; the message names it and the fix).
 */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.pass;
  const program = new Command("agentwatch-eval")
    .description(
      "Offline evaluation of LangChain / LangGraph agents with agentwatch traces: golden datasets, scores with confidence intervals, a CI gate",
    )
    .exitOverride()
    .showHelpAfterError();
  for (const make of COMMANDS) program.addCommand(make((c) => (code = c)).exitOverride());
  addFromTraceCommand(program, undefined, (c) => (code = c));
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander printed the message already; --help and --version are not errors
      return error.exitCode === 0 ? EXIT.pass : EXIT.badInput;
    }
    if (error instanceof BadInputError) {
      process.stderr.write(`agentwatch-eval: ${error.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`agentwatch-eval: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.badInput;
  }
}
