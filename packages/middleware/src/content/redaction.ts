import type { RedactionContext } from "./types.js";

interface Mask {
  pattern: RegExp;
  replacement: string;
}

/** Built-in masks, most specific first (a key or card must be masked before the phone rule sees its digits). */
const MASKS: readonly Mask[] = [
  { pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/g, replacement: "Bearer [REDACTED_TOKEN]" },
  {
    pattern: /\b(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_]|ant[-_])?[A-Za-z0-9\-_]{16,}\b/g,
    replacement: "[REDACTED_API_KEY]",
  },
  { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replacement: "[REDACTED_API_KEY]" },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, replacement: "[REDACTED_API_KEY]" },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g, replacement: "[REDACTED_API_KEY]" },
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, replacement: "[REDACTED_TOKEN]" },
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, replacement: "[REDACTED_EMAIL]" },
  { pattern: /\b(?:\d[ -]?){12,18}\d\b/g, replacement: "[REDACTED_CARD]" },
  { pattern: /(?<![\w+])\+?\d{1,3}?[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}\b/g, replacement: "[REDACTED_PHONE]" },
];

/**
 * The default redaction hook: masks email addresses, phone numbers, payment card numbers, API
 * keys (OpenAI/Anthropic/Stripe-style `sk-…`, AWS access keys, GitHub and Slack tokens), JWTs and
 * bearer tokens. Use it inside your own hook to add rules on top of it.
 */
export function redactSecrets(text: string, _context?: RedactionContext): string {
  let out = text;
  for (const mask of MASKS) out = out.replace(mask.pattern, mask.replacement);
  return out;
}
