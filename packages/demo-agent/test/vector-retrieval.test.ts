import { knowledgeBase } from "@agentwatch/fixtures";
import { AgentWatchHandler } from "@agentwatch/middleware";
import { Document } from "@langchain/core/documents";
import { describe, expect, it } from "vitest";

import { HashedBagOfWordsEmbeddings } from "../src/hashed-embeddings.js";
import { buildKnowledgeBaseStore, KnowledgeBaseRetriever } from "../src/knowledge-base-retriever.js";
import { cosineSimilarity, InMemoryVectorStore } from "../src/vector-store.js";
import { globalTracing } from "./support/demo-server.js";

describe("HashedBagOfWordsEmbeddings", () => {
  const embeddings = new HashedBagOfWordsEmbeddings();

  it("is deterministic, L2-normalised and sized", async () => {
    const [a, b] = await embeddings.embedDocuments(["Refunds take 5 to 7 days", "Refunds take 5 to 7 days"]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(1024);
    expect(Math.hypot(...(a ?? []))).toBeCloseTo(1, 10);
    expect(await embeddings.embedQuery("the of and")).toEqual(new Array(1024).fill(0));
    expect(new HashedBagOfWordsEmbeddings({ dimensions: 64 }).embed("x y z")).toHaveLength(64);
    expect(() => new HashedBagOfWordsEmbeddings({ dimensions: 3 })).toThrow(/dimensions must be an integer/);
    expect(embeddings.model).toBe("acme-hashed-bow-1024");
  });

  it("puts texts that share words close and texts that share none far apart", () => {
    const refund = embeddings.embed("How do I get a refund?");
    expect(cosineSimilarity(refund, embeddings.embed("Refund policy: refunds within 30 days"))).toBeGreaterThan(0.3);
    expect(Math.abs(cosineSimilarity(refund, embeddings.embed("Reset your password from the sign-in page")))).toBeLessThan(0.1);
  });
});

describe("InMemoryVectorStore", () => {
  it("searches nearest and farthest by cosine similarity, with filters", async () => {
    const store = await InMemoryVectorStore.fromDocuments(
      ["apples and pears", "pears and plums", "trucks and trains"].map((t, i) => new Document({ id: `d${i}`, pageContent: t })),
      new HashedBagOfWordsEmbeddings(),
    );
    expect(store.size).toBe(3);
    expect(store._vectorstoreType()).toBe("in-memory");
    const nearest = await store.similaritySearchWithScore("pears", 2);
    expect(nearest.map(([d]) => d.id)).toEqual(["d0", "d1"]);
    expect(nearest[0]?.[1]).toBeGreaterThan(0.3);
    const far = store.searchVector(await store.embeddings.embedQuery("pears"), 1, "farthest");
    expect(far.map(([d]) => d.id)).toEqual(["d2"]);
    expect(await store.similaritySearch("pears", 3, (d) => d.id !== "d0")).toHaveLength(2);
    await expect(store.addVectors([[1]], [])).rejects.toThrow(/1 vectors for 0 documents/);
  });
});

describe("KnowledgeBaseRetriever", () => {
  const store = buildKnowledgeBaseStore(new HashedBagOfWordsEmbeddings());

  it("finds the right article for the bundled kinds of question, with id, score and title", async () => {
    const retriever = new KnowledgeBaseRetriever({ store });
    const cases: [string, string][] = [
      ["How do I reset my password?", "kb-account-1"],
      ["What is your refund policy?", "kb-refund-1"],
      ["Can I get a refund for a damaged item?", "kb-refund-2"],
      ["Do you offer international shipping?", "kb-shipping-2"],
      ["How do I track my shipment?", "kb-shipping-3"],
      ["Can I cancel my order before it ships?", "kb-order-2"],
      ["How do I turn on two-factor authentication?", "kb-account-2"],
    ];
    for (const [question, id] of cases) {
      const docs = await retriever.invoke(question);
      expect(docs[0]?.metadata.id, question).toBe(id);
      const article = knowledgeBase.find((a) => a.id === id);
      expect(docs[0]?.metadata).toEqual({ id, score: expect.any(Number), title: article?.title });
      expect(docs[0]?.pageContent).toBe(article?.text);
      expect(docs.length).toBeLessThanOrEqual(3);
      const scores = docs.map((d) => d.metadata.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      for (const s of scores) expect(s >= 0.05 && s <= 1).toBe(true);
    }
  });

  it("returns irrelevant, low-scoring articles when the index is degraded, and everything with minScore 0", async () => {
    const degraded = new KnowledgeBaseRetriever({ store, order: "farthest" });
    const docs = await degraded.invoke("How do I reset my password?");
    expect(docs).toHaveLength(3);
    expect(docs.map((d) => d.metadata.id)).not.toContain("kb-account-1");
    for (const d of docs) expect(d.metadata.score).toBeLessThan(0.1);
    expect(await new KnowledgeBaseRetriever({ store, k: 11, minScore: 0 }).invoke("password")).toHaveLength(11);
    expect(await new KnowledgeBaseRetriever({ store }).invoke("the of and")).toEqual([]);
    // hashed features collide now and then, so unrelated words score near 0, not exactly 0
    for (const d of await new KnowledgeBaseRetriever({ store }).invoke("zebra xylophone")) expect(d.metadata.score).toBeLessThan(0.2);
    expect(() => new KnowledgeBaseRetriever({ store, k: 0 })).toThrow(/k must be an integer >= 1/);
  });

  it("embeds the query through instrumented embeddings: an embeddings span under the retrieval span", async () => {
    const { provider, exporter } = globalTracing();
    exporter.reset();
    const handler = new AgentWatchHandler({ tracerProvider: provider, agentName: "acme-support" });
    const base = new HashedBagOfWordsEmbeddings();
    const instrumented = handler.instrumentEmbeddings(base, { model: base.model, provider: "acme" });
    const retriever = new KnowledgeBaseRetriever({ store: buildKnowledgeBaseStore(instrumented) });
    await retriever.invoke("refund", { callbacks: [handler] });
    const spans = exporter.getFinishedSpans();
    const retrieval = spans.find((s) => s.name === "retrieval KnowledgeBaseRetriever");
    const embed = spans.filter((s) => s.name === "embeddings acme-hashed-bow-1024");
    expect(embed).toHaveLength(2); // indexing (its own trace) and the query (under the retrieval)
    expect(embed.some((s) => s.parentSpanContext?.spanId === retrieval?.spanContext().spanId)).toBe(true);
    expect(retrieval?.attributes["gen_ai.request.top_k"]).toBe(3);
    handler.shutdown();
  });
});
