/** Guardrail building blocks: pure detectors that return position-only findings, safe to put on telemetry. */
export { createDenylist, type DenylistOptions } from "./denylist.js";
export type { Finding } from "./finding.js";
export {
  detectHarmfulContent,
  HARMFUL_CONTENT_CATEGORIES,
  HARMFUL_CONTENT_RULES,
  type HarmfulContentCategory,
  type HarmfulContentRule,
} from "./harmful-content.js";
export { detectPii, PII_TYPES, type PiiType } from "./pii.js";
export { findPiiToMask, PII_MASK_KINDS, type PiiMaskKind, type PiiMaskSpan } from "./pii-mask.js";
export {
  PROMPT_INJECTION_BLOCK,
  PROMPT_INJECTION_FLAG,
  PROMPT_INJECTION_RULES,
  type PromptInjectionCategory,
  type PromptInjectionRule,
  type PromptInjectionScore,
  scorePromptInjection,
} from "./prompt-injection.js";
