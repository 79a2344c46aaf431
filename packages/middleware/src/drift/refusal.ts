/**
 * Whether a model's answer declines the request ("I'm sorry, but I can't help with that", "I am
 * unable to provide ..."): the refusal share is a drift signal. Looks at the answer's start only,
 * where refusals sit; an answer that explains a limitation later is not a refusal.
 */
const REFUSAL =
  /^\W*(?:(?:i'?m|i am)\s+(?:sorry|afraid)\b[^.!?]{0,40}?\b(?:can(?:no|')t|can not|cannot|unable|not able|won'?t)\b|i\s+(?:can(?:no|')t|cannot|can not|won'?t|will not|am unable to|'m unable to|am not able to|must decline to)\s+(?:help|assist|provide|answer|comply|do that|share|discuss)\b|(?:sorry|unfortunately),?\s+(?:but\s+)?i\s+(?:can(?:no|')t|cannot|am unable to)\b)/i;

export function isRefusal(answer: string): boolean {
  return REFUSAL.test(answer.slice(0, 200).replace(/[’‘]/g, "'"));
}
