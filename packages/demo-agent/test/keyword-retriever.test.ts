import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { describe, expect, it } from "vitest";
import { KeywordRetriever, knowledgeBase } from "../src/index.js";

describe("knowledge base and KeywordRetriever", () => {
  it("bundles a handful of short articles with kb- ids", () => {
    expect(knowledgeBase.length).toBeGreaterThanOrEqual(8);
    expect(knowledgeBase.length).toBeLessThanOrEqual(12);
    expect(new Set(knowledgeBase.map((a) => a.id)).size).toBe(knowledgeBase.length);
    for (const a of knowledgeBase) expect(a.id).toMatch(/^kb-(refund|shipping|account|order)-\d+$/);
  });

  it("ranks by term overlap, with id, score and title in the metadata", async () => {
    const docs = await new KeywordRetriever().invoke("How do I reset my password?");
    expect(docs[0]?.metadata).toEqual({ id: "kb-account-1", score: 1, title: "Reset your password" });
    expect(docs.length).toBeLessThanOrEqual(3);
    const scores = docs.map((d) => d.metadata.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const s of scores) expect(s).toBeGreaterThan(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
  });

  it("finds refund and shipping articles and honours k and minScore", async () => {
    const refund = await new KeywordRetriever({ k: 5 }).invoke("what is your refund policy");
    expect(refund[0]?.metadata.id).toBe("kb-refund-1");
    const shipping = await new KeywordRetriever({ k: 1 }).invoke("how long does shipping take");
    expect(shipping.map((d) => d.metadata.id)).toEqual(["kb-shipping-1"]);
    expect(await new KeywordRetriever({ minScore: 1.01 }).invoke("refund")).toEqual([]);
    expect(await new KeywordRetriever().invoke("the of and")).toEqual([]);
  });

  it("fires LangChain's retriever callbacks under its name", async () => {
    const events: string[] = [];
    const handler = BaseCallbackHandler.fromMethods({
      handleRetrieverStart(retriever, query) {
        events.push(`start ${retriever.id.at(-1)} ${query}`);
      },
      handleRetrieverEnd(documents) {
        events.push(`end ${documents.length}`);
      },
    });
    const retriever = new KeywordRetriever();
    await retriever.invoke("refund", { callbacks: [handler] });
    expect(events).toEqual(["start KeywordRetriever refund", "end 2"]);
    expect(retriever.getName()).toBe("KeywordRetriever");
    expect(retriever.lc_namespace).toEqual(["agentwatch", "demo_agent", "retrievers"]);
  });
});
