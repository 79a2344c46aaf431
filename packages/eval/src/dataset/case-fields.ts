/** The fields a dataset line may have, with what each must be (for messages). */
export const CASE_FIELDS = {
  id: "a non-empty string",
  input: "a non-empty string",
  reference: "a string",
  facts: "an array of strings",
  forbidden: "an array of strings",
  patterns: "an array of regular expressions (strings)",
  tools: "an array of tool names (strings)",
  tags: "an array of strings",
} as const;

export type CaseField = keyof typeof CASE_FIELDS;

/** What a JSON value is, in a message: "a string", "an array", "null", ... */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}
