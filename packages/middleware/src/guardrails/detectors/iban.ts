import { ibanMod97Valid } from "./checksums.js";
import type { Finding } from "./finding.js";
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
  const findings: Finding[] = [];
  const re = new RegExp(CANDIDATE.source, CANDIDATE.flags);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index;
    const length = IBAN_LENGTHS[(m[1] ?? "").toUpperCase()];
    const end = length === undefined ? -1 : cutAtLength(text, start, length);
    if (end < 0 || ALNUM.test(text.charAt(end)) || !ibanMod97Valid(text.slice(start, end).replace(/ /g, ""))) {
      re.lastIndex = start + 1;
      continue;
    }
    findings.push({ detector: "pii", type: "iban", start, end });
    re.lastIndex = end;
  }
  return findings;
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
