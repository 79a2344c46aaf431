import { messageRole, messagesText } from "./messages.js";
import { dict, text } from "./values.js";

/** The user's question in a run's inputs: the last human message, or a string input. */
export function questionOf(inputs: unknown): string {
  if (typeof inputs === "string") return inputs;
  const d = dict(inputs);
  const messages = d.messages;
  if (Array.isArray(messages)) {
    const humans = messages.filter((m) => messageRole(m) === "user");
    return messagesText(humans.slice(-1));
  }
  return text(d.input, d.question, d.query) ?? "";
}

/** The final answer in a run's outputs: the last AI message, or a string output. */
export function answerOf(outputs: unknown): string | undefined {
  if (typeof outputs === "string") return outputs;
  const d = dict(outputs);
  const messages = d.messages;
  if (Array.isArray(messages) && messages.length > 0) return messagesText(messages.slice(-1));
  return text(d.output, d.answer);
}
