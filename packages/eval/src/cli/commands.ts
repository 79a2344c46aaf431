import type { Command } from "commander";

import { runCommand } from "./run-command.js";

/** The CLI's commands, one file each; each gets a setter for the process exit code. */
export const COMMANDS: Array<(setExitCode: (code: number) => void) => Command> = [runCommand];
