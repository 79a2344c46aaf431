/** A slice of a candidate with its offsets in the scanned text. */
export interface Run {
  text: string;
  start: number;
  end: number;
}

/** Candidates with more space-separated chunks than this are not split up (no card or phone has that many groups). */
export const MAX_CHUNKS = 8;

/**
 * The contiguous sub-runs of `candidate` made of whole space-separated chunks, longest first (then
 * leftmost), so a detector can drop a stray number glued on by a space (`4111111111111111 12/27`,
 * `qty 2 415-555-0132`). Only chunks for which `canDrop` returns true may be left out. A candidate of
 * more than {@link MAX_CHUNKS} chunks yields no runs. `offset` is the candidate's position in the text.
 */
export function spaceSeparatedRuns(candidate: string, offset: number, canDrop: (chunk: string) => boolean): Run[] {
  const chunks = [...candidate.matchAll(/[^ \u00A0]+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  if (chunks.length > MAX_CHUNKS) return [];
  const droppable = chunks.map((chunk) => canDrop(candidate.slice(chunk.start, chunk.end)));
  const runs: Run[] = [];
  for (let size = chunks.length; size >= 1; size--) {
    for (let first = 0; first + size <= chunks.length; first++) {
      const last = first + size - 1;
      if (droppable.slice(0, first).includes(false) || droppable.slice(last + 1).includes(false)) continue;
      const from = chunks[first]?.start ?? 0;
      const to = chunks[last]?.end ?? 0;
      runs.push({ text: candidate.slice(from, to), start: offset + from, end: offset + to });
    }
  }
  return runs;
}
