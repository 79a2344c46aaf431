import type { DocumentInterface } from "@langchain/core/documents";
import { ChatPromptTemplate, MessagesPlaceholder } from "@langchain/core/prompts";

/** Metadata put on every run of the agent's prompt → model chain. */
export const supportPromptMetadata = { prompt_name: "acme-support-system", prompt_version: "v1" } as const;

/** The agent's prompt: a system message with the retrieved context, then the conversation. */
export const supportPrompt = ChatPromptTemplate.fromMessages([
  ["system", "You are Acme support. Use the context:\n{context}"],
  new MessagesPlaceholder("messages"),
]);

/** Renders retrieved documents as one `[id] title: text` line each. */
export function formatContext(docs: readonly DocumentInterface[]): string {
  if (docs.length === 0) return "(no relevant articles)";
  return docs
    .map((d) => {
      const meta = d.metadata as { id?: unknown; title?: unknown };
      const id = typeof meta.id === "string" ? meta.id : (d.id ?? "doc");
      const title = typeof meta.title === "string" ? `${meta.title}: ` : "";
      return `[${id}] ${title}${d.pageContent.replace(/\s+/g, " ")}`;
    })
    .join("\n");
}
