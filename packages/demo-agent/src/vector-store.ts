import type { DocumentInterface } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { VectorStore } from "@langchain/core/vectorstores";

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Which documents a search returns: the closest (normal) or the farthest (a degraded index). */
export type SearchOrder = "nearest" | "farthest";

/**
 * A small in-memory vector store: documents and their vectors in an array, searched by brute-force
 * cosine similarity. Ties are broken by insertion order. `filter` is a predicate on documents.
 */
export class InMemoryVectorStore extends VectorStore {
  declare FilterType: (doc: DocumentInterface) => boolean;
  private readonly entries: { vector: number[]; doc: DocumentInterface }[] = [];

  constructor(embeddings: EmbeddingsInterface) {
    super(embeddings, {});
  }

  override lc_namespace = ["agentwatch", "demo_agent", "vectorstores"];

  override _vectorstoreType(): string {
    return "in-memory";
  }

  /** Number of documents stored. */
  get size(): number {
    return this.entries.length;
  }

  override async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<string[]> {
    if (vectors.length !== documents.length) {
      throw new TypeError(`InMemoryVectorStore.addVectors: got ${vectors.length} vectors for ${documents.length} documents`);
    }
    const ids: string[] = [];
    for (const [i, doc] of documents.entries()) {
      this.entries.push({ vector: vectors[i] ?? [], doc });
      ids.push(doc.id ?? String(this.entries.length - 1));
    }
    return ids;
  }

  override async addDocuments(documents: DocumentInterface[]): Promise<string[]> {
    return this.addVectors(await this.embeddings.embedDocuments(documents.map((d) => d.pageContent)), documents);
  }

  override async similaritySearchVectorWithScore(
    query: number[],
    k: number,
    filter?: this["FilterType"],
  ): Promise<[DocumentInterface, number][]> {
    return this.searchVector(query, k, "nearest", filter);
  }

  /** The `k` documents nearest to (or farthest from) `query`, with their cosine similarity. */
  searchVector(query: number[], k: number, order: SearchOrder, filter?: this["FilterType"]): [DocumentInterface, number][] {
    const scored = this.entries
      .map(({ vector, doc }, index) => ({ doc, index, score: cosineSimilarity(query, vector) }))
      .filter(({ doc }) => filter === undefined || filter(doc));
    scored.sort((a, b) => (order === "nearest" ? b.score - a.score : a.score - b.score) || a.index - b.index);
    return scored.slice(0, Math.max(0, k)).map(({ doc, score }) => [doc, score]);
  }

  /** A store holding `documents`, embedded with `embeddings`. */
  static override async fromDocuments(documents: DocumentInterface[], embeddings: EmbeddingsInterface): Promise<InMemoryVectorStore> {
    const store = new InMemoryVectorStore(embeddings);
    await store.addDocuments(documents);
    return store;
  }
}
