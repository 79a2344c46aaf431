// The gate's defaults.

import type { GateOptions } from "../types.js";

export const DEFAULT_GATE_OPTIONS: GateOptions = { maxDrop: 0.05, minimum: {}, confidence: 0.95, worstCases: 10 };

/** `options` with every unset field at its default. */
export function gateOptions(options: Partial<GateOptions> = {}): GateOptions {
  return {
    maxDrop: options.maxDrop ?? DEFAULT_GATE_OPTIONS.maxDrop,
    minimum: options.minimum ?? {},
    confidence: options.confidence ?? DEFAULT_GATE_OPTIONS.confidence,
    worstCases: options.worstCases ?? DEFAULT_GATE_OPTIONS.worstCases,
  };
}
