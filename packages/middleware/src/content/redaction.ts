import { findPiiToMask, type PiiMaskKind } from "../guardrails/detectors/pii-mask.js";
import type { RedactionContext } from "./types.js";

/** What each kind of span is replaced with. */
const MASKS: Readonly<Record<PiiMaskKind, string>> = {
  bearer_token: "Bearer [REDACTED_TOKEN]",
  jwt: "[REDACTED_TOKEN]",
  api_key: "[REDACTED_API_KEY]",
  iban: "[REDACTED_IBAN]",
  payment_card: "[REDACTED_CARD]",
  email: "[REDACTED_EMAIL]",
  phone: "[REDACTED_PHONE]",
};

/**
 * The default redaction hook: masks what the PII detectors find (see `detectPii`): email
 * addresses, phone numbers, payment card numbers, IBANs, API keys (OpenAI/Anthropic/Stripe-style
 * `sk-…`, AWS access keys, GitHub, Slack and Google keys), JWTs and bearer tokens. It fails closed:
 * what only looks like one of them is masked too, e.g. any run of 13 or more digits even when it
 * fails the card checksum. Use it inside your own hook to add rules on top of it.
 */
export function redactSecrets(text: string, _context?: RedactionContext): string {
  let out = "";
  let at = 0;
  for (const span of findPiiToMask(blankJsonEscapes(text))) {
    out += text.slice(at, span.start) + MASKS[span.kind];
    at = span.end;
  }
  return out + text.slice(at);
}

/** A JSON string escape (`\n`, `\t`, `\"`, `\\`, …): two characters, backslash and letter or symbol. */
const JSON_ESCAPE = /\\["\\/bfnrt]/g;

/**
 * `text` with every two-character JSON escape turned into two spaces, so offsets stay the same. Captured
 * messages are often JSON, where a newline before a card number is `\n4111…`: read as is, the `n` would
 * glue the number to a word and hide it from the detectors.
 */
function blankJsonEscapes(text: string): string {
  return text.includes("\\") ? text.replace(JSON_ESCAPE, "  ") : text;
}
