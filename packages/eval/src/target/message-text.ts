/** The role of a LangChain message, a plain `{ role }` object or a serialized one: "ai", "human", ... */
function roleOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const m = message as Record<string, unknown> & { getType?: () => string; _getType?: () => string };
  if (typeof m.getType === "function") return m.getType();
  if (typeof m._getType === "function") return m._getType();
  const role = m.role ?? m.type;
  if (role === "assistant") return "ai";
  return typeof role === "string" ? role : undefined;
}

/** The text of a message's content: a string, or the text blocks of a content array joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block: unknown) => {
      if (typeof block === "string") return block;
      const b = block as { type?: unknown; text?: unknown } | null;
      return b !== null && typeof b === "object" && (b.type === undefined || b.type === "text") && typeof b.text === "string" ? b.text : "";
    })
    .join("");
}

/** The text of the last AI message in `messages`, or undefined when there is none. */
export function lastAiText(messages: readonly unknown[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (roleOf(message) === "ai") return contentText((message as { content?: unknown }).content);
  }
  return undefined;
}

/** Whether `value` looks like one message (for a chat model used directly as the target). */
export function isMessage(value: unknown): boolean {
  return roleOf(value) !== undefined && typeof value === "object" && value !== null && "content" in value;
}
