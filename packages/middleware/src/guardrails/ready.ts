import { keepWarm, warmUp } from "../util/warm-up.js";
import { detectHarmfulContent } from "./detectors/harmful-content.js";
import { detectPii } from "./detectors/pii.js";
import { scorePromptInjection } from "./detectors/prompt-injection.js";

/**
 * Makes the built-in detectors ready when a guardrail is created, not on its first check: their
 * regexes compiled now and kept compiled (see util/warm-up.ts). The shared rule sets once per
 * process; a denylist per instance (its pattern is its own).
 */
const ready = new Set<string>();

function once(key: string, check: (text: string) => unknown): void {
  if (ready.has(key)) return;
  ready.add(key);
  warmUp(check);
  keepWarm(check);
}

export const readyPromptInjection = (): void => once("prompt_injection", scorePromptInjection);
export const readyPii = (): void => once("pii", detectPii);
// The function itself, not a wrapper: keepWarm holds it weakly, and a wrapper nothing else holds would be collected.
export const readyHarmfulContent = (): void => once("harmful_content", detectHarmfulContent);

/** Compiles a denylist's pattern now and keeps it compiled while the scanner lives. */
export function readyDenylist<F extends (text: string) => unknown>(scan: F): F {
  warmUp(scan);
  return keepWarm(scan);
}
