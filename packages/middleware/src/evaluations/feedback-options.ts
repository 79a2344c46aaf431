import { fail, option, positiveInt, record } from "../util/validate.js";

/** Feedback settings with defaults filled in. */
export interface FeedbackSettings {
  secrets: string[];
  tokenTtlMs: number;
  categories: string[];
}

export const DEFAULT_FEEDBACK_CATEGORIES: readonly string[] = ["wrong", "unsafe", "slow", "other"];
const MIN_SECRET = 32;
const CATEGORY = /^[a-z][a-z0-9_]{0,31}$/;

/** Validates the `feedback` option; the secret falls back to `AGENTWATCH_FEEDBACK_SECRET` (comma-separated). */
export function checkFeedback(value: unknown, envSecret: string | undefined): FeedbackSettings {
  const f = value === undefined ? {} : record(option("feedback"), value, { fix: 'pass { secret: "...", tokenTtlMs: 604800000 }' });
  let secrets: string[];
  let field = "feedback.secret";
  if (f.secret !== undefined) {
    const list = Array.isArray(f.secret) ? (f.secret as unknown[]) : [f.secret];
    if (list.length === 0 || list.some((s) => typeof s !== "string"))
      fail(option(field), { problem: "must be a string or a non-empty list of strings", fix: "pass the shared secret(s), newest first" });
    secrets = list as string[];
  } else {
    field = "AGENTWATCH_FEEDBACK_SECRET";
    secrets = (envSecret ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }
  const short = secrets.findIndex((s) => s.length < MIN_SECRET);
  if (short >= 0) {
    const subject = field === "AGENTWATCH_FEEDBACK_SECRET" ? "environment variable AGENTWATCH_FEEDBACK_SECRET" : option(field);
    fail(subject, {
      problem: `has a secret shorter than ${MIN_SECRET} characters (secret ${short + 1})`,
      fix: "use a random secret, e.g. `openssl rand -base64 48`, the same on every replica",
    });
  }
  const tokenTtlMs = positiveInt(option("feedback.tokenTtlMs"), f.tokenTtlMs, {
    fallback: 7 * 24 * 3_600_000,
    fix: "pass milliseconds, e.g. 604800000 for 7 days",
  });
  let categories = [...DEFAULT_FEEDBACK_CATEGORIES];
  if (f.categories !== undefined) {
    const list = f.categories;
    if (!Array.isArray(list) || list.length === 0 || list.length > 20 || list.some((c) => typeof c !== "string" || !CATEGORY.test(c)))
      fail(option("feedback.categories"), {
        problem: "must be a list of 1 to 20 short lower-case names",
        fix: 'pass e.g. ["wrong", "unsafe", "slow", "other"]',
      });
    categories = [...new Set(list as string[])];
  }
  const unknown = Object.keys(f).filter((k) => !["secret", "tokenTtlMs", "categories"].includes(k));
  if (unknown.length > 0)
    fail(option(`feedback.${unknown[0]}`), { problem: "is not a feedback option", fix: "use secret, tokenTtlMs or categories" });
  return { secrets, tokenTtlMs, categories };
}
