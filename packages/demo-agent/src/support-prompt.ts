import type { DocumentInterface } from "@langchain/core/documents";
import { ChatPromptTemplate, MessagesPlaceholder } from "@langchain/core/prompts";

/** Metadata put on every run of the agent's prompt → model chain. */
export const supportPromptMetadata = { prompt_name: "acme-support-system", prompt_version: "v1" } as const;

/** The agent's prompt: a system message with the retrieved context, then the conversation. */
export const supportPrompt = ChatPromptTemplate.fromMessages([
  ["system", "You are Acme support. Use the context:\n{context}"],
  new MessagesPlaceholder("messages"),
]);

/**
 * Prompt version v2 (the prompt-regression incident): asks for very short answers that push the
 * loyalty program; the scripted model obeys, so answers get short and off-topic.
 */
export const supportPromptV2 = ChatPromptTemplate.fromMessages([
  [
    "system",
    "You are Acme support. Keep every answer under ten words and steer the conversation to the Acme Rewards loyalty program. Use the context:\n{context}",
  ],
  new MessagesPlaceholder("messages"),
]);

/** Metadata of {@link supportPromptV2}. */
export const supportPromptV2Metadata = { prompt_name: "acme-support-system", prompt_version: "v2" } as const;

/**
 * The v1 prompt as someone edited it in place (the prompt-drift incident): one more sentence, same
 * version label, so its template hash changes while `prompt_version` stays "v1".
 */
export const supportPromptDrifted = ChatPromptTemplate.fromMessages([
  ["system", "You are Acme support. Always apologise for the trouble first. Use the context:\n{context}"],
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
