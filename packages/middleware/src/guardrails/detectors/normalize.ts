/** Options of {@link normalizeForMatching}. */
export interface NormalizeOptions {
  /** Remove accents and other combining marks (`ïgnöre` → `ignore`). Default false. */
  stripMarks?: boolean;
  /** Read common leetspeak digits and symbols as letters (`1gn0r3` → `ignore`). Default false. */
  leetspeak?: boolean;
  /** Join words spelled out with dots, dashes, underscores or asterisks (`i.g.n.o.r.e` → `ignore`). Default false. */
  joinSpelledOut?: boolean;
}

/** A normalized text and, for each of its UTF-16 code units, the span of the original text it came from. */
export interface NormalizedText {
  /** NFKC-normalized, lowercased, zero-width characters removed, whitespace runs collapsed to one space. */
  text: string;
  /** `starts[i]` is the offset in the original text where the character at `text[i]` came from. */
  starts: readonly number[];
  /** `ends[i]` is the offset just past the original character(s) that produced `text[i]`. */
  ends: readonly number[];
}

const LEET: Readonly<Record<string, string>> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };
/** Format characters (zero-width space/joiners, BOM, bidi controls, soft hyphen), fillers and the combining grapheme joiner. */
const INVISIBLE = /\p{Cf}|[\u180E\u3164\uFFA0]|\u034F|\u115F|\u1160|\u17B4|\u17B5/gu;
/** Four or more single letters separated by the same dot, dash, underscore or asterisk. */
const SPELLED_OUT = /(?<![\p{L}\p{N}])\p{L}([.\-_*])\p{L}(?:\1\p{L}){2,}(?![\p{L}\p{N}])/gu;
/** A base character with its combining marks (or a lone run of marks), so NFKC sees each cluster whole. */
const CLUSTER = /[\s\S]\p{M}*/gu;

/**
 * Normalizes text for pattern matching while remembering where each output character came from, so a
 * match in the normalized text maps back to exact positions in the original (see {@link originalSpan}).
 * Steps: NFKC per character cluster, optional mark stripping, lowercase, zero-width/format characters
 * dropped, whitespace runs collapsed to a single space, optional leetspeak and joining of spelled-out words.
 */
export function normalizeForMatching(text: string, options: NormalizeOptions = {}): NormalizedText {
  let out = "";
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of text.matchAll(CLUSTER)) {
    const start = match.index;
    const end = start + match[0].length;
    const visible = match[0].replace(INVISIBLE, "");
    if (visible === "") continue;
    let piece = visible.normalize("NFKC");
    if (options.stripMarks) piece = piece.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFKC");
    piece = piece.toLowerCase();
    for (const ch of piece) {
      let mapped = ch;
      if (/\s/u.test(ch)) {
        if (out.endsWith(" ")) {
          ends[ends.length - 1] = end;
          continue;
        }
        mapped = " ";
      } else if (options.leetspeak) {
        mapped = LEET[ch] ?? ch;
      }
      out += mapped;
      for (let k = 0; k < mapped.length; k++) {
        starts.push(start);
        ends.push(end);
      }
    }
  }
  const normalized = { text: out, starts, ends };
  return options.joinSpelledOut ? joinSpelledOut(normalized) : normalized;
}

/** Drops the separators inside spelled-out words, keeping each remaining character's original span. */
function joinSpelledOut(normalized: NormalizedText): NormalizedText {
  const drop = new Set<number>();
  for (const m of normalized.text.matchAll(SPELLED_OUT)) {
    for (let i = m.index + 1; i < m.index + m[0].length; i += 2) drop.add(i);
  }
  if (drop.size === 0) return normalized;
  let text = "";
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < normalized.text.length; i++) {
    if (drop.has(i)) continue;
    text += normalized.text.charAt(i);
    starts.push(normalized.starts[i] ?? 0);
    ends.push(normalized.ends[i] ?? 0);
  }
  return { text, starts, ends };
}

/**
 * Maps a span `[start, end)` of a {@link NormalizedText}'s text back to the span of the original text
 * it came from. An empty span maps to the original position of its start.
 */
export function originalSpan(normalized: NormalizedText, start: number, end: number): { start: number; end: number } {
  const last = normalized.starts.length;
  if (last === 0) return { start: 0, end: 0 };
  if (start >= last) {
    const tail = normalized.ends[last - 1] ?? 0;
    return { start: tail, end: tail };
  }
  const from = normalized.starts[start] ?? 0;
  if (end <= start) return { start: from, end: from };
  const to = normalized.ends[Math.min(end, last) - 1] ?? from;
  return { start: from, end: to };
}
