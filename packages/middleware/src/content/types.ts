/** Where a piece of captured content came from, passed to the redaction hook. */
export type ContentField =
  | "input.messages"
  | "output.messages"
  | "system_instructions"
  | "tool.call.arguments"
  | "tool.call.result"
  | "retrieval.query"
  | "evaluation.explanation"
  | "feedback.comment"
  | "feedback.correction";

/** What the redaction hook is told about the text it is given. */
export interface RedactionContext {
  /** The attribute the text is for. */
  field: ContentField;
}

/**
 * Rewrites captured text before it is put on a span. It runs only when `captureContent` is on,
 * after truncation, and must be synchronous. A plain string is given whole; a structured value
 * (GenAI messages, system instructions, JSON tool arguments or results) is given text by text (each
 * part's `content`, each string of tool arguments and responses), never its JSON keys, roles, types
 * or ids, so the value stays valid JSON whatever the hook returns. If it throws or returns anything but a string (a
 * Promise, say), the text is dropped (never emitted unredacted) and the failure is counted in
 * `agentwatch_handler_errors_total{callback="redact"}`; only the error's type is logged, as its
 * message may quote the text.
 */
export type RedactFn = (text: string, context: RedactionContext) => string;
