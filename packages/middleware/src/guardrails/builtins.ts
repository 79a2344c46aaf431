import { fail } from "../util/validate.js";
import { createDenylist } from "./detectors/denylist.js";
import { detectHarmfulContent, HARMFUL_CONTENT_CATEGORIES } from "./detectors/harmful-content.js";
import { detectPii, PII_TYPES, type PiiType } from "./detectors/pii.js";
import { PROMPT_INJECTION_BLOCK, PROMPT_INJECTION_FLAG, scorePromptInjection } from "./detectors/prompt-injection.js";
import { readyDenylist, readyHarmfulContent, readyPii, readyPromptInjection } from "./ready.js";
import type { Guardrail, HarmfulContentGuardrailOptions } from "./types.js";

function checkAction(field: string, value: unknown): "flag" | "block" {
  if (value === undefined) return "flag";
  if (value !== "flag" && value !== "block")
    fail(field, { problem: `must be "flag" or "block", got ${JSON.stringify(value)}`, fix: 'pass "block" to stop the text' });
  return value;
}

/**
 * Personal data and secrets: emails, phone numbers, payment cards (Luhn-checked), IBANs
 * (mod-97-checked) and API keys / tokens. `onMatch` (default "flag") is the outcome when any is found.
 */
export function piiGuardrail(options: { onMatch?: "flag" | "block"; types?: readonly PiiType[] } = {}): Guardrail {
  const onMatch = checkAction("piiGuardrail.onMatch", options.onMatch);
  const types = new Set<string>(options.types ?? PII_TYPES);
  for (const t of types)
    if (!(PII_TYPES as readonly string[]).includes(t))
      fail("piiGuardrail.types", { problem: `has unknown type ${JSON.stringify(t)}`, fix: `use ${PII_TYPES.join(", ")}` });
  readyPii();
  return {
    name: "pii",
    check(text) {
      const findings = detectPii(text).filter((f) => types.has(f.type));
      return findings.length === 0 ? { outcome: "pass" } : { outcome: onMatch, findings, reason: "pii_detected" };
    },
  };
}

/**
 * Prompt-injection heuristics (instruction override, role-play jailbreak, system-prompt
 * extraction): a scored pattern set. Flags at `flagAt` (default 0.5), blocks at `blockAt` (default 0.8).
 */
export function promptInjectionGuardrail(options: { flagAt?: number; blockAt?: number } = {}): Guardrail {
  const flagAt = options.flagAt ?? PROMPT_INJECTION_FLAG;
  const blockAt = options.blockAt ?? PROMPT_INJECTION_BLOCK;
  for (const [field, v] of [
    ["flagAt", flagAt],
    ["blockAt", blockAt],
  ] as const) {
    if (!(v > 0 && v <= 1))
      fail(`promptInjectionGuardrail.${field}`, { problem: `must be a score in (0, 1], got ${JSON.stringify(v)}`, fix: "pass e.g. 0.5" });
  }
  if (blockAt < flagAt)
    fail("promptInjectionGuardrail.blockAt", {
      problem: `(${blockAt}) is below flagAt (${flagAt})`,
      fix: "block at a score no lower than you flag at",
    });
  readyPromptInjection();
  return {
    name: "prompt_injection",
    check(text) {
      const { score, findings } = scorePromptInjection(text);
      const outcome = score >= blockAt ? "block" : score >= flagAt ? "flag" : "pass";
      return outcome === "pass" ? { outcome, score } : { outcome, score, findings, reason: "prompt_injection_suspected" };
    },
  };
}

/**
 * Words and phrases that must not pass (competitor names, internal code names, slurs): whole-word,
 * case-insensitive, Unicode-normalized. `name` (default "denylist") is the guardrail's name;
 * `onMatch` (default "block") the outcome when a term is found.
 */
export function denylistGuardrail(terms: readonly string[], options: { name?: string; onMatch?: "flag" | "block" } = {}): Guardrail {
  const onMatch = options.onMatch === undefined ? "block" : checkAction("denylistGuardrail.onMatch", options.onMatch);
  const name = options.name ?? "denylist";
  const scan = readyDenylist(createDenylist(terms, { name }));
  return {
    name,
    check(text) {
      const findings = scan(text);
      return findings.length === 0 ? { outcome: "pass" } : { outcome: onMatch, findings, reason: "denylisted_term" };
    },
  };
}

/**
 * Harmful content an answer must never carry, whatever was asked: a curated, documented rule set
 * (`HARMFUL_CONTENT_RULES`) in the categories weapons_explosives, self_harm, malware,
 * drug_synthesis and violence. The rules match what harmful content says (precursors mixed,
 * a working reverse shell, encouragement to self-harm), not its topic, and skip a match that its
 * sentence refuses ("I can't help you make..."), so a refusal or a pointer to help passes. Meant
 * for the output stage, where a block pages (`AgentHarmfulOutputBlocked`). `onMatch` (default
 * "block") is the outcome when a rule matches; `categories` (default all) limits the rules.
 * The guardrail's name is `harmful_content`; each finding's type is its category.
 */
export function harmfulContentGuardrail(options: HarmfulContentGuardrailOptions = {}): Guardrail {
  const onMatch = options.onMatch === undefined ? "block" : checkAction("harmfulContentGuardrail.onMatch", options.onMatch);
  const categories = new Set<string>(options.categories ?? HARMFUL_CONTENT_CATEGORIES);
  for (const c of categories)
    if (!(HARMFUL_CONTENT_CATEGORIES as readonly string[]).includes(c))
      fail("harmfulContentGuardrail.categories", {
        problem: `has unknown category ${JSON.stringify(c)}`,
        fix: `use ${HARMFUL_CONTENT_CATEGORIES.join(", ")}`,
      });
  if (categories.size === 0)
    fail("harmfulContentGuardrail.categories", { problem: "is empty", fix: "leave it out to check every category" });
  readyHarmfulContent();
  return {
    name: "harmful_content",
    check(text) {
      const findings = detectHarmfulContent(text, categories);
      return findings.length === 0 ? { outcome: "pass" } : { outcome: onMatch, findings, reason: "harmful_content" };
    },
  };
}
