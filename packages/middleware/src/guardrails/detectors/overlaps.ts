import type { Finding } from "./finding.js";

/**
 * Keeps one finding per overlapping group: the one whose type ranks highest in `precedence` (earlier
 * in the list wins; unlisted types rank last), then the longer, then the earlier one. The result
 * is sorted by start.
 */
export function resolveOverlaps(findings: readonly Finding[], precedence: readonly string[]): Finding[] {
  const rank = (f: Finding) => {
    const index = precedence.indexOf(f.type);
    return index < 0 ? precedence.length : index;
  };
  const byPreference = [...findings].sort((a, b) => rank(a) - rank(b) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Finding[] = [];
  for (const finding of byPreference) {
    if (!kept.some((k) => finding.start < k.end && k.start < finding.end)) kept.push(finding);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
