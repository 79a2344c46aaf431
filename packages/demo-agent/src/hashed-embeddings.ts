import { keywordTokens } from "@agentwatch/fixtures";
import { Embeddings, type EmbeddingsParams } from "@langchain/core/embeddings";

/** Fields of {@link HashedBagOfWordsEmbeddings}. */
export interface HashedBagOfWordsEmbeddingsFields extends EmbeddingsParams {
  /** Vector length. Default 1024. */
  dimensions?: number;
}

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Deterministic local embeddings, no model and no network: the stemmed content words of a text
 * (weight 1 + ln(count)) and their adjacent pairs (half that) hashed into a fixed-size vector with
 * a hashed sign, then L2-normalised, so the dot product of two vectors is their cosine similarity.
 * Texts that share words are close; texts that share none are (nearly) orthogonal.
 */
export class HashedBagOfWordsEmbeddings extends Embeddings {
  /** The model name tracers report, e.g. `embeddings acme-hashed-bow-1024`. */
  readonly model: string;
  readonly dimensions: number;

  constructor(fields: HashedBagOfWordsEmbeddingsFields = {}) {
    super(fields);
    const dimensions = fields.dimensions ?? 1024;
    if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 65536) {
      throw new TypeError(
        `HashedBagOfWordsEmbeddings: dimensions must be an integer from 8 to 65536, got ${JSON.stringify(fields.dimensions)}`,
      );
    }
    this.dimensions = dimensions;
    this.model = `acme-hashed-bow-${dimensions}`;
  }

  /** The vector of one text (all zeros when it has no content words). */
  embed(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    const tokens = keywordTokens(text);
    const counts = new Map<string, number>();
    const count = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    for (const token of tokens) count(token, 1);
    for (let i = 1; i < tokens.length; i++) count(`${tokens[i - 1]} ${tokens[i]}`, 0.5);
    for (const [feature, n] of counts) {
      const weight = n >= 1 ? 1 + Math.log(n) : n;
      const h = fnv1a(feature);
      const index = h % this.dimensions;
      vector[index] = (vector[index] ?? 0) + (h >>> 31 === 1 ? -weight : weight);
    }
    const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
    return norm === 0 ? vector : vector.map((v) => v / norm);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }
}
