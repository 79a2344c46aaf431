import { spaceSeparatedRuns } from "./digit-runs.js";
import type { Finding, Span } from "./finding.js";
import { isCardNumber } from "./payment-card.js";

/** Digits with single separators (space, dot, dash) and parentheses, optionally led by `+` or `(`. */
const CANDIDATE = /(?:\(\+|\+\(?|\()?\d(?:[\d().-]|[ \u00A0](?=[\d(+]))*\d/g;
/** North American numbering plan: area code and exchange start with 2-9; optional leading 1. */
const NANP = /^(?:1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-]?)[2-9]\d{2}[ .-]?\d{4}$/;
/** National numbers with a trunk 0 (UK, DE, FR, NL, ...): `020 7946 0958`, `(030) 1234567`, `06-12345678`. */
const TRUNK_ZERO = /^(?:\(0[1-9]\d{0,3}\) ?|0[1-9]\d{0,3})(?:[ .-]?\d{2,8}){1,4}$/;
const DATE = /(?:^|\D)(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2})(?:\D|$)/;
/** 9-15 digits with nothing between them. */
const BARE_DIGITS = /(?<![\d+])\d{9,15}(?!\d)/g;
const CARD_SHAPED = /^(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,4})$/;

/**
 * Finds phone numbers as `pii`/`phone` findings. Reported: international numbers (`+CC …` or
 * `00CC …`, 9-15 digits, any common grouping), North American numbers with a separator or
 * parentheses (`(415) 555-0132`, `415-555-0132`, `1 415 555 0132`), and national numbers with a
 * trunk 0 and a separator (`020 7946 0958`, `06-12345678`, `01 23 45 67 89`). Not reported: bare
 * national digit runs (they look like order ids), dates, times, prices, versions, years, and
 * card-shaped numbers (a card failing Luhn is not a phone either).
 */
export function findPhones(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const candidate = m[0];
    if (!isInternational(candidate) && (CARD_SHAPED.test(candidate) || isCardNumber(candidate))) continue;
    // A long run of digit groups is an identifier, unless what makes it long is a date or a stray small number.
    const long = candidate.replace(/\D/g, "").length > 15;
    const canDrop = (chunk: string) => !long || chunk.length <= 3 || DATE.test(chunk);
    for (const run of spaceSeparatedRuns(candidate, m.index, canDrop)) {
      if (isPhoneNumber(run.text) && standsAlone(text, run.start, run.end)) {
        findings.push({ detector: "pii", type: "phone", start: run.start, end: run.end });
        break;
      }
    }
  }
  return findings;
}

/**
 * What might be a phone number written without separators, for masking (fail closed): a bare run of
 * 9-15 digits standing alone, which {@link findPhones} does not report because order ids and
 * references look the same (`reference 4155550132`).
 */
export function findPhoneLike(text: string): Span[] {
  return [...text.matchAll(BARE_DIGITS)]
    .map((m) => ({ start: m.index, end: m.index + m[0].length }))
    .filter((span) => standsAlone(text, span.start, span.end));
}

/** True when `candidate` (digits, separators, parentheses, optional `+`) is laid out like a phone number. */
export function isPhoneNumber(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "");
  if (digits.length < 9 || digits.length > 17) return false;
  if (!balancedParentheses(candidate) || /[.-][ .-]|[ ][.-]/.test(candidate) || DATE.test(candidate)) return false;
  if (/^\(?\+/.test(candidate)) return digits.length <= 15 && /^\(?\+\(?[1-9]/.test(candidate);
  if (/^00[1-9]/.test(candidate)) return digits.length - 2 >= 9 && digits.length - 2 <= 15;
  if (!/[ .()-]/.test(candidate)) return false;
  if (NANP.test(candidate)) return true;
  return TRUNK_ZERO.test(candidate) && digits.length <= 12;
}

/** Written with a leading `+` or `00` country prefix. */
function isInternational(candidate: string): boolean {
  return /^\(?\+/.test(candidate) || /^00[1-9]/.test(candidate);
}

/** At most one `( … )` pair, opened before it is closed, with only digits and `+` inside. */
function balancedParentheses(candidate: string): boolean {
  const open = candidate.split("(").length - 1;
  const close = candidate.split(")").length - 1;
  if (open === 0 && close === 0) return true;
  return open === 1 && close === 1 && /\(\+?\d+\)/.test(candidate);
}

/** Not glued to a word, an id like `AB-123…`, a price, a time, a path or a percentage. */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.charAt(start - 1);
  const beforeThat = text.charAt(start - 2);
  const after = text.charAt(end);
  const afterThat = text.charAt(end + 1);
  if (/[\p{L}\p{N}_@/\\#+\p{Sc}]/u.test(before)) return false;
  if (/[.,-]/.test(before) && /[\p{L}\p{N}]/u.test(beforeThat)) return false;
  if (before === ":" && /\p{N}/u.test(beforeThat)) return false;
  if (/[\p{L}\p{N}_@/\\%\p{Sc}]/u.test(after)) return false;
  if (/[.,:-]/.test(after) && /\p{N}/u.test(afterThat)) return false;
  return true;
}
