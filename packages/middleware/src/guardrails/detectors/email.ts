import type { Finding, Span } from "./finding.js";

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\p{L}\p{N}_@-])/gu;

/** Finds email addresses (ASCII local part and domain) as `pii`/`email` findings. */
export function findEmails(text: string): Finding[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ detector: "pii", type: "email", start: m.index, end: m.index + m[0].length }));
}

/** Anything of the form `local@domain.tld` (ASCII), however it is glued to the text around it. */
const EMAIL_LIKE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * What only looks like an email address, for masking (fail closed): a local part, `@`, and a domain
 * with a dot and a 2+ letter ending, with none of {@link findEmails}' checks on where the parts start
 * and end or how long they are. Includes everything `findEmails` reports.
 */
export function findEmailLike(text: string): Span[] {
  return [...text.matchAll(EMAIL_LIKE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}
