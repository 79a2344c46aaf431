import { BaseCallbackHandler } from "@langchain/core/callbacks/base";

/**
 * Collects the text of every document the sample's retrievers return (agentwatch's retrieval spans
 * carry document ids and scores, never their text), for the groundedness and judge evaluators.
 * One per sample; LangChain awaits it, so the documents are in before `invoke` returns.
 */
export class DocumentCollector extends BaseCallbackHandler {
  name = "AgentWatchEvalDocumentCollector";
  readonly documents: string[] = [];

  constructor() {
    super({ _awaitHandler: true });
  }

  override handleRetrieverEnd(documents: unknown): void {
    if (!Array.isArray(documents)) return;
    for (const document of documents) {
      const text = (document as { pageContent?: unknown } | null)?.pageContent;
      if (typeof text === "string" && text !== "") this.documents.push(text);
    }
  }
}
