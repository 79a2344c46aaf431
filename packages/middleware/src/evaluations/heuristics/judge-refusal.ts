/**
 * Whether a judge model's reply, which held no score, declines to grade ("I'm sorry, I can't
 * evaluate this", "N/A") rather than being unreadable. A declined grade is a skipped evaluation;
 * an unreadable one is an evaluator error.
 */
const DECLINES = new RegExp(
  [
    String.raw`^\s*["'(]?\s*(?:n\/?a|not applicable|none)\s*[.!)"']?\s*$`,
    String.raw`\b(?:i\s*(?:cannot|can ?not|can't|can’t|am unable to|'m unable to|’m unable to|am not able to|won't|won’t|will not|must decline|decline))\s+(?:to\s+)?(?:evaluate|grade|rate|assess|judge|score|review|help|provide|comply|do that)`,
    String.raw`\bunable to (?:evaluate|grade|rate|assess|judge|score)\b`,
    String.raw`\b(?:not applicable|cannot be (?:evaluated|graded|rated|assessed|scored))\b`,
  ].join("|"),
  "i",
);

export function isJudgeRefusal(text: string): boolean {
  return DECLINES.test(text);
}
