import type { Random } from "@agentwatch/fixtures";

import { answerSatisfies, type BundledQuestion } from "./questions.js";

/** Share of satisfied users whose conversation ends in a sale (`converted`) instead of `resolved`. */
const CONVERTED_SHARE = 0.15;
/** Share of satisfied users who just leave without saying so (their conversation is abandoned). */
const SILENT_SHARE = 0.1;

/**
 * What a simulated user's conversation ends in after one answer: `resolved` or `converted` when
 * the answer has the facts the question needs (mostly), nothing when it does not (the user
 * leaves: the conversation is abandoned after the demo's abandonment time, or was escalated by a
 * ticket). An incident that spoils answers therefore lowers the completion share.
 */
export function simulateOutcome(question: BundledQuestion, answer: string, random: Random): "resolved" | "converted" | undefined {
  if (question.kind === "jailbreak") return undefined;
  if (!answerSatisfies(question, answer)) return undefined;
  const r = random();
  if (r < SILENT_SHARE) return undefined;
  return r < SILENT_SHARE + CONVERTED_SHARE ? "converted" : "resolved";
}
