import type { BaseMessage } from "@langchain/core/messages";

/** The plain text of a message: its string content, or its text blocks joined. */
export function messageText(message: BaseMessage): string {
  return typeof message.content === "string" ? message.content : message.text;
}

/** The text of the last human message in `messages`, or "" if there is none. */
export function lastHumanText(messages: readonly BaseMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.getType() === "human") return messageText(message);
  }
  return "";
}
