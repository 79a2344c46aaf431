import { contentWords } from "./content-words.js";
import { splitSentences } from "./sentences.js";

/** Share (0..1) of a sentence's content words that must appear in the documents for the sentence to count as supported. */
export const GROUNDEDNESS_SUPPORT_THRESHOLD = 0.6;

/**
 * A no-model groundedness heuristic in 0..1: the share of the answer's sentences whose content words
 * (lowercased, stopwords removed, crudely stemmed, numbers kept) appear in `documents` at least
 * {@link GROUNDEDNESS_SUPPORT_THRESHOLD} of the time. Sentences without content words are not
 * counted. An answer with no content words at all scores 1 (it claims nothing), even with no
 * documents; otherwise no documents (or only empty ones) scores 0. Word overlap, not meaning:
 * a negated or recombined claim built from the documents' words still counts as supported.
 */
export function groundednessScore(answer: string, documents: readonly string[]): number {
  const sentences = splitSentences(answer)
    .map(contentWords)
    .filter((words) => words.size > 0);
  if (sentences.length === 0) return 1;
  const known = new Set<string>();
  for (const document of documents) for (const word of contentWords(document)) known.add(word);
  if (known.size === 0) return 0;
  const supported = sentences.filter((words) => {
    let found = 0;
    for (const word of words) if (known.has(word)) found++;
    return found / words.size >= GROUNDEDNESS_SUPPORT_THRESHOLD;
  });
  return supported.length / sentences.length;
}
