/** A slice of a candidate with its offsets in the scanned text. */
export interface Run {
  text: string;
  start: number;
  end: number;
}

/**
 * The contiguous sub-runs of `candidate` that start and end at its space-separated chunks, longest
 * first (then leftmost), so a detector can drop a stray number glued on by a space
 * (`4111 1111 1111 1111 12/27`, `qty 2 415-555-0132`). `offset` is the candidate's position in the text.
 */
export function spaceSeparatedRuns(candidate: string, offset: number): Run[] {
  const chunks = [...candidate.matchAll(/[^ \u00A0]+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const runs: Run[] = [];
  for (let size = chunks.length; size >= 1; size--) {
    for (let first = 0; first + size <= chunks.length; first++) {
      const from = chunks[first]?.start ?? 0;
      const to = chunks[first + size - 1]?.end ?? 0;
      runs.push({ text: candidate.slice(from, to), start: offset + from, end: offset + to });
    }
  }
  return runs;
}
