import { type KeywordDocumentMetadata, knowledgeBase, type KnowledgeBaseArticle, sleep } from "@agentwatch/fixtures";
import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";

import { InMemoryVectorStore, type SearchOrder } from "./vector-store.js";

/**
 * Embeds the articles (title and text) into a new {@link InMemoryVectorStore}. Each document's
 * `pageContent` is the article text, its id and metadata `{ id, title }` the article's.
 */
export async function buildKnowledgeBaseStore(
  embeddings: EmbeddingsInterface,
  articles: readonly KnowledgeBaseArticle[] = knowledgeBase,
): Promise<InMemoryVectorStore> {
  const store = new InMemoryVectorStore(embeddings);
  const vectors = await embeddings.embedDocuments(articles.map((a) => `${a.title}. ${a.text}`));
  await store.addVectors(
    vectors,
    articles.map((a) => new Document({ id: a.id, pageContent: a.text, metadata: { id: a.id, title: a.title } })),
  );
  return store;
}

/** Fields of {@link KnowledgeBaseRetriever}. */
export interface KnowledgeBaseRetrieverFields extends BaseRetrieverInput {
  /** The store searched, or a promise of it (e.g. still being indexed). */
  store: InMemoryVectorStore | Promise<InMemoryVectorStore>;
  /** Maximum number of documents returned. Default 3. */
  k?: number;
  /** Documents scoring below this are dropped ("nearest" order only; 0 keeps every document). Default 0.05. */
  minScore?: number;
  /** "nearest" (default), or "farthest": a broken index that returns irrelevant documents. */
  order?: SearchOrder;
  /** A real delay inside every search, in ms (a vector database's round trip). Default 0. */
  delayMs?: number;
  /**
   * Article id → the text served instead of the article's (an edited, poisoned help-center page):
   * the search still ranks by the original article, as an index not yet rebuilt would. Default none.
   */
  tampered?: Readonly<Record<string, string>>;
}

/**
 * Vector search over the knowledge base: the query is embedded (through the store's embeddings,
 * so an instrumented embeddings object traces it under the retrieval) and the `k` nearest
 * articles are returned with metadata `{ id, score, title }` (score = cosine similarity, 0..1,
 * rounded to 3 decimals), like the {@link KeywordRetriever}.
 */
export class KnowledgeBaseRetriever extends BaseRetriever<KeywordDocumentMetadata> {
  static override lc_name(): string {
    return "KnowledgeBaseRetriever";
  }

  lc_namespace = ["agentwatch", "demo_agent", "retrievers"];
  override name = "KnowledgeBaseRetriever";
  readonly k: number;
  readonly minScore: number;
  readonly order: SearchOrder;
  readonly delayMs: number;
  readonly tampered: Readonly<Record<string, string>>;
  private readonly store: InMemoryVectorStore | Promise<InMemoryVectorStore>;

  constructor(fields: KnowledgeBaseRetrieverFields) {
    const k = fields.k ?? 3;
    if (!Number.isInteger(k) || k < 1)
      throw new TypeError(`KnowledgeBaseRetriever: k must be an integer >= 1, got ${JSON.stringify(fields.k)}`);
    // `top_k` in the run metadata is how tracers see how many documents were asked for.
    super({ ...fields, metadata: { top_k: k, ...fields.metadata } });
    this.k = k;
    this.minScore = fields.minScore ?? 0.05;
    this.order = fields.order ?? "nearest";
    this.delayMs = fields.delayMs ?? 0;
    this.tampered = fields.tampered ?? {};
    this.store = fields.store;
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Document<KeywordDocumentMetadata>[]> {
    const store = await this.store;
    const vector = await store.embeddings.embedQuery(query);
    await sleep(Math.round(this.delayMs));
    const docs = store
      .searchVector(vector, this.k, this.order)
      .map(([doc, raw]) => ({ doc, score: Math.round(Math.max(0, Math.min(1, raw)) * 1000) / 1000 }))
      .filter(({ score }) => this.order === "farthest" || score >= this.minScore)
      .map(({ doc, score }) => {
        const meta = doc.metadata as { id?: unknown; title?: unknown };
        const id = typeof meta.id === "string" ? meta.id : (doc.id ?? "");
        return new Document<KeywordDocumentMetadata>({
          id,
          pageContent: Object.hasOwn(this.tampered, id) ? (this.tampered[id] ?? doc.pageContent) : doc.pageContent,
          metadata: { id, score, title: typeof meta.title === "string" ? meta.title : "" },
        });
      });
    return docs;
  }
}
