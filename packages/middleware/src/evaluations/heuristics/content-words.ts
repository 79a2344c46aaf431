/** English function words and conversational filler ("Sure!", "Hope this helps.") that carry no claim of their own. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has " +
    "hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if " +
    "in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our " +
    "ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their " +
    "theirs them themselves then there there's these they they'd they'll they're they've this those through to too under until " +
    "up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom " +
    "why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves also just may might " +
    "must shall yes ok okay please thanks thank hi hello us get got sure certainly absolutely course welcome sorry glad hope helps " +
    "regards"
  ).split(" "),
);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:[.,]\p{N}+)*/gu;

/**
 * Reduces an English word to a crude stem so inflections meet: plurals (`refunds`, `boxes`,
 * `deliveries`), `-ing`, `-ed`, `-ly` and a final `e` (`charge`/`charged`/`charging` → `charg`).
 * Not a linguistic stemmer; it only has to map a word and its variants to the same key.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (/(?:ss|x|ch|sh|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 4) w = w.slice(0, -2);
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
}

/**
 * The distinct content words of a text: lowercased (NFKC), stopwords removed, stemmed with
 * {@link stem}. Numbers are kept as written (`14`, `19.99`), since a wrong number is a wrong claim.
 */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const m of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    const word = m[0].replace(/’/g, "'");
    if (STOPWORDS.has(word)) continue;
    if (word.length === 1 && !/\d/.test(word)) continue;
    words.add(stem(word.replace(/'s$/, "")));
  }
  return words;
}
