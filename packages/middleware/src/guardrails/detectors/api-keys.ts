import type { Finding } from "./finding.js";

/** One family of secret tokens. */
interface KeyPattern {
  family: string;
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
 * Finds API keys and tokens as `pii`/`api_key` findings: OpenAI / Anthropic keys (`sk-…`,
 * `sk-proj-…`, `sk-ant-…`, 20+ characters with letters and digits), AWS access key ids
 * (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_`),
 * Slack tokens (`xoxa-`/`xoxb-`/`xoxp-`/`xoxr-`/`xoxs-`), Stripe secret and restricted keys
 * (`sk_live_`, `rk_live_`, and their `_test_` forms), Google API keys (`AIza` + 35), JWTs
 * (`eyJ….….…`) and `Bearer <token>` header values (the span covers the word `Bearer` too).
 */
export function findApiKeys(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const { pattern, accept } of KEY_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (accept && !accept(m[0])) continue;
      findings.push({ detector: "pii", type: "api_key", start: m.index, end: m.index + m[0].length });
    }
  }
  return findings;
}
