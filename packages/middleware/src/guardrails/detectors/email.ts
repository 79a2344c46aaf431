import type { Finding } from "./finding.js";

const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\p{L}\p{N}_@-])/gu;

/** Finds email addresses (ASCII local part and domain) as `pii`/`email` findings. */
export function findEmails(text: string): Finding[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ detector: "pii", type: "email", start: m.index, end: m.index + m[0].length }));
}
