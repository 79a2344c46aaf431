import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document } from "@langchain/core/documents";
import { BaseRetriever, type BaseRetrieverInput } from "@langchain/core/retrievers";
import { keywordTerms } from "./keyword-terms.js";
import { type KnowledgeBaseArticle, knowledgeBase } from "./knowledge-base.js";

/** Metadata of each document the {@link KeywordRetriever} returns. */
export interface KeywordDocumentMetadata {
  [key: string]: unknown;
  id: string;
  /** Share of the query's terms found in the article (title + text), 0..1, rounded to 3 decimals. */
  score: number;
  title: string;
}

/** Fields of {@link KeywordRetriever}. */
export interface KeywordRetrieverFields extends BaseRetrieverInput {
  /** Maximum number of documents returned. Default 3. */
  k?: number;
  /** Documents scoring below this are dropped. Default 0.05. */
  minScore?: number;
  /** The articles searched. Default: the bundled {@link knowledgeBase}. */
  articles?: readonly KnowledgeBaseArticle[];
}

/**
 * A deterministic keyword retriever over the Acme knowledge base: the score of an article
 * is the share of the query's content words it contains. Ties are broken by article id.
 */
export class KeywordRetriever extends BaseRetriever<KeywordDocumentMetadata> {
  static override lc_name(): string {
    return "KeywordRetriever";
  }

  lc_namespace = ["agentwatch", "demo_agent", "retrievers"];
  override name = "KeywordRetriever";
  readonly k: number;
  readonly minScore: number;
  readonly articles: readonly KnowledgeBaseArticle[];
  private readonly index: readonly { article: KnowledgeBaseArticle; terms: Set<string> }[];

  constructor(fields: KeywordRetrieverFields = {}) {
    const k = fields.k ?? 3;
    // `top_k` in the run metadata is how tracers see how many documents were asked for.
    super({ ...fields, metadata: { top_k: k, ...fields.metadata } });
    this.k = k;
    this.minScore = fields.minScore ?? 0.05;
    this.articles = fields.articles ?? knowledgeBase;
    this.index = this.articles.map((article) => ({ article, terms: keywordTerms(`${article.title} ${article.text}`) }));
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Document<KeywordDocumentMetadata>[]> {
    const queryTerms = [...keywordTerms(query)];
    if (queryTerms.length === 0) return [];
    return this.index
      .map(({ article, terms }) => ({
        article,
        score: Math.round((queryTerms.filter((t) => terms.has(t)).length / queryTerms.length) * 1000) / 1000,
      }))
      .filter(({ score }) => score > 0 && score >= this.minScore)
      .sort((a, b) => b.score - a.score || a.article.id.localeCompare(b.article.id))
      .slice(0, this.k)
      .map(
        ({ article, score }) =>
          new Document<KeywordDocumentMetadata>({
            id: article.id,
            pageContent: article.text,
            metadata: { id: article.id, score, title: article.title },
          }),
      );
  }
}
