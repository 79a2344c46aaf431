import { findKeyLike, findKeySpans, type KeyFamily, type KeySpan } from "./api-keys.js";
import { findEmailLike, findEmails } from "./email.js";
import type { Span } from "./finding.js";
import { findIbanLike, findIbans } from "./iban.js";
import { findCardLike, findPaymentCards } from "./payment-card.js";
import { findPhoneLike, findPhones } from "./phone.js";

/**
 * What a span to mask holds, most specific first (where equally long spans overlap, the earlier kind
 * names the merged span). API keys are split by how they are masked: a `Bearer <token>` header
 * value, a JWT, any other key.
 */
export const PII_MASK_KINDS = ["bearer_token", "jwt", "api_key", "iban", "payment_card", "email", "phone"] as const;

/** One of {@link PII_MASK_KINDS}. */
export type PiiMaskKind = (typeof PII_MASK_KINDS)[number];

/** A part of a text to mask and what it is (or may be). */
export interface PiiMaskSpan extends Span {
  kind: PiiMaskKind;
}

/**
 * The parts of `text` to mask before it is stored, failing closed: everything `detectPii`
 * reports, plus what only looks like PII because one of its checks rejected it, so a mistyped
 * number or a short key is masked too:
 * - `payment_card`: any run of 13+ digits, Luhn-valid or not (see `findCardLike`);
 * - `iban`: an IBAN of the right length whose check digits fail (see `findIbanLike`);
 * - `phone`: a bare run of 9-15 digits (see `findPhoneLike`);
 * - `email`: any `local@domain.tld` (see `findEmailLike`);
 * - `api_key`, `jwt`, `bearer_token`: shorter or plainer keys and tokens (see `findKeyLike`).
 *
 * Overlapping spans are merged into one (nothing of either is left), named after the longest of
 * them (a card-like digit run inside a look-alike IBAN is masked as an IBAN); between equally long
 * ones a confirmed finding beats a look-alike, then the more specific kind wins (see
 * {@link PII_MASK_KINDS}). The result is sorted by start and has no overlaps.
 */
export function findPiiToMask(text: string): PiiMaskSpan[] {
  const spans: Candidate[] = [
    ...keys(findKeySpans(text), true),
    ...keys(findKeyLike(text), false),
    ...tag("iban", findIbans(text), true),
    ...tag("iban", findIbanLike(text), false),
    ...tag("payment_card", findPaymentCards(text), true),
    ...tag("payment_card", findCardLike(text), false),
    ...tag("email", findEmails(text), true),
    ...tag("email", findEmailLike(text), false),
    ...tag("phone", findPhones(text), true),
    ...tag("phone", findPhoneLike(text), false),
  ];
  return mergeOverlaps(spans);
}

/** A span to mask, and whether a detector confirmed it or it only looks like PII. */
interface Candidate extends PiiMaskSpan {
  confirmed: boolean;
}

const KEY_KINDS: Partial<Record<KeyFamily, PiiMaskKind>> = { bearer: "bearer_token", jwt: "jwt" };

function keys(spans: readonly KeySpan[], confirmed: boolean): Candidate[] {
  return spans.map(({ family, start, end }) => ({ kind: KEY_KINDS[family] ?? "api_key", start, end, confirmed }));
}

function tag(kind: PiiMaskKind, spans: readonly Span[], confirmed: boolean): Candidate[] {
  return spans.map(({ start, end }) => ({ kind, start, end, confirmed }));
}

/**
 * Joins spans that share at least one character. The merged span is named after its longest part;
 * between parts of the same length, a confirmed one beats a look-alike, then the more specific kind
 * ({@link PII_MASK_KINDS}) wins.
 */
function mergeOverlaps(spans: readonly Candidate[]): PiiMaskSpan[] {
  const better = (a: Candidate, b: Candidate) =>
    a.end - a.start - (b.end - b.start) ||
    Number(a.confirmed) - Number(b.confirmed) ||
    PII_MASK_KINDS.indexOf(b.kind) - PII_MASK_KINDS.indexOf(a.kind);
  const groups: { start: number; end: number; name: Candidate }[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const group = groups.at(-1);
    if (group === undefined || span.start >= group.end) {
      groups.push({ start: span.start, end: span.end, name: span });
      continue;
    }
    group.end = Math.max(group.end, span.end);
    if (better(span, group.name) > 0) group.name = span;
  }
  return groups.map(({ start, end, name }) => ({ kind: name.kind, start, end }));
}
