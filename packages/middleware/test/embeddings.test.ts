import { createSupportGraph } from "@agentwatch/fixtures";
import type { CallbackManagerForRetrieverRun } from "@langchain/core/callbacks/manager";
import { Document } from "@langchain/core/documents";
import { HumanMessage } from "@langchain/core/messages";
import { BaseRetriever } from "@langchain/core/retrievers";
import { FakeEmbeddings } from "@langchain/core/utils/testing";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { beforeEach, describe, expect, it } from "vitest";

import type { AgentWatchHandler } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { parseExposition, value } from "./support/openmetrics.js";
import { only, parentId, spanId } from "./support/otel.js";

const make = handlerMaker();
let tracing: ReturnType<typeof make>["tracing"];
let handler: AgentWatchHandler;
beforeEach(() => {
  ({ tracing, handler } = make());
});

/** A retriever that embeds its query, as a vector-store retriever does. */
class EmbeddingRetriever extends BaseRetriever {
  lc_namespace = ["test"];
  constructor(private readonly embeddings: { embedQuery(q: string): Promise<number[]> }) {
    super();
  }
  override async _getRelevantDocuments(query: string, _run?: CallbackManagerForRetrieverRun): Promise<Document[]> {
    const vector = await this.embeddings.embedQuery(query);
    return [new Document({ pageContent: `dims ${vector.length}`, metadata: { id: "doc-1", score: 0.9 } })];
  }
}

describe("embeddings", () => {
  it("traces embedQuery under the retrieval span that called it, and measures it", async () => {
    const embeddings = handler.instrumentEmbeddings(new FakeEmbeddings(), { model: "text-embedding-3-small", provider: "openai" });
    const graph = createSupportGraph({ retriever: new EmbeddingRetriever(embeddings) });
    await graph.invoke({ messages: [new HumanMessage("refund please")] }, { callbacks: [handler] });
    const spans = tracing.exporter.getFinishedSpans();
    const embed = only(spans, "embeddings text-embedding-3-small");
    expect(embed.kind).toBe(SpanKind.CLIENT);
    expect(embed.attributes).toMatchObject({
      "gen_ai.operation.name": "embeddings",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "text-embedding-3-small",
      "gen_ai.embeddings.dimension.count": 4,
    });
    expect(parentId(embed)).toBe(spanId(only(spans, "retrieval EmbeddingRetriever")));
    const m = parseExposition(await handler.registry.metrics());
    expect(
      value(m, "gen_ai_client_operation_duration_seconds_count", {
        gen_ai_operation_name: "embeddings",
        gen_ai_agent_name: "acme-support",
        error_type: "",
      }),
    ).toBe(1);
  });

  it("passes errors through unchanged and records them", async () => {
    const failing = {
      model: "embed-x",
      embedQuery: async (_q: string): Promise<number[]> => Promise.reject(Object.assign(new Error("quota"), { status: 429 })),
      embedDocuments: async (_d: string[]): Promise<number[][]> => [],
    };
    const embeddings = handler.instrumentEmbeddings(failing);
    await expect(embeddings.embedQuery("q")).rejects.toThrow("quota");
    expect(await embeddings.embedDocuments(["a"])).toEqual([]);
    expect(embeddings.model).toBe("embed-x");
    const spans = tracing.exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(["embeddings embed-x", "embeddings embed-x"]);
    expect(spans[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(spans[0]?.attributes["error.type"]).toBe("429");
  });
});
