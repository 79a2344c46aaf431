import type { Finding } from "./finding.js";

/** Which kind of secret a key span is; `bearer` spans cover the word `Bearer` too. */
export type KeyFamily =
  "bearer" | "jwt" | "openai_anthropic" | "stripe" | "aws_access_key_id" | "github" | "slack" | "google_api_key" | "prefixed_secret";

/** Where a key or token is in the scanned text, and its family. */
export interface KeySpan {
  family: KeyFamily;
  start: number;
  end: number;
}

/** One family of secret tokens. */
interface KeyPattern {
  family: KeyFamily;
  pattern: RegExp;
  /** Extra check on the match, for families whose shape alone also fits ordinary words. */
  accept?: (match: string) => boolean;
}

const hasDigitAndLetter = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);

/** Secret token shapes, each anchored so it does not start or end inside a longer token. */
const KEY_PATTERNS: readonly KeyPattern[] = [
  { family: "bearer", pattern: /(?<![\p{L}\p{N}_])bearer[ \t]+[A-Za-z0-9\-._~+/]{16,}=*/giu, accept: (m) => !/^bearer\s+[a-z]+$/i.test(m) },
  { family: "jwt", pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(?![\w-])/g },
  {
    family: "openai_anthropic",
    pattern: /(?<![\w-])sk-(?:proj-|ant-(?:[a-z]{3}\d{2}-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}(?![\w-])/g,
    accept: (m) => hasDigitAndLetter(m.slice(3)),
  },
  { family: "stripe", pattern: /(?<![\w-])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}(?![\w-])/g },
  { family: "aws_access_key_id", pattern: /(?<![\w-])(?:AKIA|ASIA)[A-Z0-9]{16}(?![\w-])/g },
  { family: "github", pattern: /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![\w-])/g },
  { family: "slack", pattern: /(?<![\w-])xox[abprs]-[A-Za-z0-9-]{10,}(?![\w-])/g },
  { family: "google_api_key", pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g },
];

/**
 * Looser shapes of the same secrets: too short, too plain or too unusual for {@link findApiKeys} to
 * report, but still masked in captured text (see {@link findKeyLike}).
 */
const KEY_LIKE_PATTERNS: readonly KeyPattern[] = [
  // An Authorization-header style `Bearer` followed by any token, however short.
  { family: "bearer", pattern: /(?<![\p{L}\p{N}_])Bearer\s+[A-Za-z0-9\-._~+/]+=*/gu },
  { family: "jwt", pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![\w-])/g },
  // `sk-`/`pk_`/`rk-`… keys of 16+ characters, with or without digits (Stripe publishable keys included).
  { family: "prefixed_secret", pattern: /(?<!\w)(?:sk|pk|rk)[-_](?:live[-_]|test[-_]|proj[-_]|ant[-_])?[A-Za-z0-9_-]{16,}/g },
  { family: "github", pattern: /(?<![\w-])gh[pousr]_[A-Za-z0-9]{30,}(?![\w-])/g },
];

/**
 * Finds API keys and tokens as `pii`/`api_key` findings: OpenAI / Anthropic keys (`sk-…`,
 * `sk-proj-…`, `sk-ant-…`, 20+ characters with letters and digits), AWS access key ids
 * (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_`),
 * Slack tokens (`xoxa-`/`xoxb-`/`xoxp-`/`xoxr-`/`xoxs-`), Stripe secret and restricted keys
 * (`sk_live_`, `rk_live_`, and their `_test_` forms), Google API keys (`AIza` + 35), JWTs
 * (`eyJ….….…`) and `Bearer <token>` header values (the span covers the word `Bearer` too).
 */
export function findApiKeys(text: string): Finding[] {
  return findKeySpans(text).map(({ start, end }) => ({ detector: "pii", type: "api_key", start, end }));
}

/** The keys and tokens {@link findApiKeys} reports, with their family. */
export function findKeySpans(text: string): KeySpan[] {
  return scan(text, KEY_PATTERNS);
}

/**
 * What only looks like a key or token, for masking (fail closed): a capitalized `Bearer` followed by
 * any token, JWTs with parts of 8+ characters, `sk`/`pk`/`rk` + `-`/`_` keys of 16+ characters
 * (no digit needed) and GitHub tokens of 30+. Not reported by {@link findApiKeys}; may overlap its spans.
 */
export function findKeyLike(text: string): KeySpan[] {
  return scan(text, KEY_LIKE_PATTERNS);
}

function scan(text: string, patterns: readonly KeyPattern[]): KeySpan[] {
  const spans: KeySpan[] = [];
  for (const { family, pattern, accept } of patterns) {
    for (const m of text.matchAll(pattern)) {
      if (accept && !accept(m[0])) continue;
      spans.push({ family, start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}
