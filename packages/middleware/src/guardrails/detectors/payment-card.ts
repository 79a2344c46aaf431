import { luhnValid } from "./checksums.js";
import { spaceSeparatedRuns } from "./digit-runs.js";
import type { Finding, Span } from "./finding.js";

/** A run of digits joined by single spaces or dashes. */
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;
/** 13 or more digits joined by single spaces, no-break spaces or dashes. */
const LONG_DIGIT_RUN = /\d(?:[ \u00A0-]?\d){12,}/g;
/** Ways card numbers are written: compact, groups of four (last group 1-4), or Amex-style 4-6-5 / 4-6-4. */
const CARD_LAYOUT = /^(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|\d{4}[ -]\d{6}[ -]\d{4,5})$/;

/**
 * Finds payment card numbers as `pii`/`payment_card` findings: 13-19 digits, compact or grouped
 * with spaces or dashes, starting with 2-6 (the ranges of Visa, Mastercard, Amex, Discover, JCB,
 * Diners, UnionPay and Maestro) and passing the Luhn check. A number failing Luhn is not reported.
 * A stray 1-3 digit number joined by a space is left out (`4111111111111111 12/27`).
 */
export function findPaymentCards(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    for (const run of spaceSeparatedRuns(m[0], m.index, (chunk) => chunk.length <= 3)) {
      if (isCardNumber(run.text) && standsAlone(text, run.start, run.end)) {
        findings.push({ detector: "pii", type: "payment_card", start: run.start, end: run.end });
        break;
      }
    }
  }
  return findings;
}

/**
 * What might be a card number, for masking (fail closed): every run of 13 or more digits (single
 * spaces, no-break spaces or dashes between them), whatever its layout, prefix, length or Luhn
 * check digit and whatever it is glued to. Includes every number {@link findPaymentCards} reports.
 */
export function findCardLike(text: string): Span[] {
  return [...text.matchAll(LONG_DIGIT_RUN)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** True when `candidate` is laid out like a card number, starts with 2-6 and passes Luhn. */
export function isCardNumber(candidate: string): boolean {
  if (!CARD_LAYOUT.test(candidate)) return false;
  const digits = candidate.replace(/\D/g, "");
  return /^[2-6]/.test(digits) && luhnValid(digits);
}

/** Not glued to a word, an id like `AB-1234…`, a decimal or a longer number. */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.charAt(start - 1);
  const beforeThat = text.charAt(start - 2);
  const after = text.charAt(end);
  const afterThat = text.charAt(end + 1);
  if (/[\p{L}\p{N}_]/u.test(before) || (/[.,/-]/.test(before) && /[\p{L}\p{N}]/u.test(beforeThat))) return false;
  if (/[\p{L}\p{N}_]/u.test(after) || (/[.,/-]/.test(after) && /\p{N}/u.test(afterThat))) return false;
  return true;
}
