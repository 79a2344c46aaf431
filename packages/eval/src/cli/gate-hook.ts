// The `run` command's baseline, gate and report flags as a run hook (see run-hooks.ts).

import { BadInputError } from "../bad-input-error.js";
import type { GateFlagValues } from "./gate-flags.js";
import { GateFlagError } from "./gate-flags.js";
import { addGateOptions, afterReport, checkGateOptions } from "./gate-options.js";
import type { RunHook } from "./run-hooks.js";

/** --baseline, --write-baseline, --max-drop, --min, --junit, --markdown, --json, --pushgateway. */
export const gateHook: RunHook = {
  name: "gate",
  addOptions: (command) => void addGateOptions(command),
  checkOptions: (flags) => {
    try {
      checkGateOptions(flags as GateFlagValues);
    } catch (error) {
      if (error instanceof GateFlagError) throw new BadInputError(error.message);
      throw error;
    }
  },
  afterReport: (report, flags) => afterReport(report, flags as GateFlagValues),
};
