const STOPWORDS = new Set(
  "a an and are as at be by can do does for from how i if in is it its me my of on or our so that the this to was we what when where which who why with you your".split(
    " ",
  ),
);

/** Folds simple English plurals and verb forms: "refunds" → "refund", "shipping" → "ship". */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3).replace(/(.)\1$/, "$1");
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

/** The stemmed, lower-cased content words of `text` in order, repeats kept (stopwords and 1-letter words dropped). */
export function keywordTokens(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words.filter((w) => w.length > 1 && !STOPWORDS.has(w)).map(stem);
}

/** The distinct, stemmed, lower-cased content words of `text` (stopwords and 1-letter words dropped). */
export function keywordTerms(text: string): Set<string> {
  return new Set(keywordTokens(text));
}
