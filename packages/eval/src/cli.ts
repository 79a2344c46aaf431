#!/usr/bin/env node
// The agentwatch-eval command line: see cli/ (one file per command, hooks after the report).
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv);
