#!/usr/bin/env node
// `npm run eval`: the offline evaluation of the Acme support agent with the gate, i.e.
//   agentwatch-eval run --dataset eval/acme-support.jsonl --target dist/eval-target.js --baseline eval/baselines
// plus `--incident NAME[,NAME]` (the demo's incidents, see INCIDENTS.md) switched on in the target.
// Every other flag goes to agentwatch-eval as given (`--markdown FILE`, `--junit FILE`, `--write-baseline`, ...).
import { fileURLToPath } from "node:url";

import { runEvalCli } from "@agentwatch/eval";

// Not eval-target.js: it reads the environment when imported, which must be after --incident is set.
import { EVAL_INCIDENT_ENV } from "./eval-env.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The agentwatch-eval arguments and the incidents of `npm run eval -- ...`; throws naming a flag without its value. */
export function evalArgs(argv: readonly string[]): { args: string[]; incidents: string[] } {
  const incidents: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--incident" || arg.startsWith("--incident=")) {
      const value = arg === "--incident" ? argv[++i] : arg.slice("--incident=".length);
      if (value === undefined || value === "" || value.startsWith("--")) {
        throw new Error("--incident needs an incident name, e.g. --incident prompt-regression (the list: INCIDENTS.md)");
      }
      incidents.push(...value.split(",").filter((name) => name !== ""));
    } else rest.push(arg);
  }
  const has = (flag: string) => rest.some((a) => a === flag || a.startsWith(`${flag}=`));
  const args = ["run"];
  if (!has("--dataset")) args.push("--dataset", here("../eval/acme-support.jsonl"));
  if (!has("--target")) args.push("--target", here("./eval-target.js"));
  if (!has("--baseline")) args.push("--baseline", here("../eval/baselines"));
  return { args: [...args, ...rest], incidents };
}

async function cli(): Promise<number> {
  let parsed;
  try {
    parsed = evalArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`npm run eval: ${(error as Error).message}\n`);
    return 2;
  }
  if (parsed.incidents.length > 0) process.env[EVAL_INCIDENT_ENV] = parsed.incidents.join(",");
  return runEvalCli(["node", "agentwatch-eval", ...parsed.args]);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await cli();
