import { ibanMod97Valid } from "./checksums.js";
import type { Finding, Span } from "./finding.js";
import { IBAN_LENGTHS } from "./iban-lengths.js";

/** Country code and check digits at the start of a token, then alphanumerics with optional single spaces. */
const CANDIDATE = /(?<![\p{L}\p{N}])([A-Za-z]{2})\d{2}(?: ?[A-Za-z0-9]){8,32}/gu;
const ALNUM = /[A-Za-z0-9]/;

/**
 * Finds IBANs as `pii`/`iban` findings: a known country code, two check digits and the rest, written
 * compact or in space-separated groups. A candidate is reported only when it has exactly its
 * country's length (see {@link IBAN_LENGTHS}), ends at a word boundary and passes the mod-97 check.
 */
export function findIbans(text: string): Finding[] {
  return scan(text, true).map(({ start, end }) => ({ detector: "pii", type: "iban", start, end }));
}

/**
 * What might be an IBAN, for masking (fail closed): laid out like one, with a known country code,
 * exactly that country's length and at least 8 digits after the check digits (every country's
 * account part has more; ordinary words do not), whether or not mod-97 passes: a mistyped IBAN
 * still points at an account. Mask these together with what {@link findIbans} reports.
 */
export function findIbanLike(text: string): Span[] {
  return scan(text, false).filter(({ start, end }) => (text.slice(start + 4, end).match(/\d/g)?.length ?? 0) >= 8);
}

/** IBAN-shaped candidates of the right length for their country; with `checkDigits`, only those passing mod-97. */
function scan(text: string, checkDigits: boolean): Span[] {
  const spans: Span[] = [];
  const re = new RegExp(CANDIDATE.source, CANDIDATE.flags);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    const length = IBAN_LENGTHS[(m[1] ?? "").toUpperCase()];
    const end = length === undefined ? -1 : cutAtLength(text, start, length);
    if (end < 0 || ALNUM.test(text.charAt(end)) || (checkDigits && !ibanMod97Valid(text.slice(start, end).replace(/ /g, "")))) {
      re.lastIndex = start + 1;
      continue;
    }
    spans.push({ start, end });
    re.lastIndex = end;
  }
  return spans;
}

/** Offset just past the `length`-th alphanumeric from `start` (single spaces skipped), or -1 if the run is shorter. */
function cutAtLength(text: string, start: number, length: number): number {
  let count = 0;
  let i = start;
  while (i < text.length && count < length) {
    const ch = text.charAt(i);
    if (ALNUM.test(ch)) count++;
    else if (ch !== " " || !ALNUM.test(text.charAt(i + 1))) break;
    i++;
  }
  return count === length ? i : -1;
}
