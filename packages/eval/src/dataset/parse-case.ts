import type { EvalCase } from "../types.js";
import { CASE_FIELDS, type CaseField, describeJson } from "./case-fields.js";
import { DatasetError } from "./dataset-error.js";

/** Where a line came from, for messages: `acme.jsonl line 7`. */
export interface LineRef {
  file: string;
  line: number;
}

const where = (ref: LineRef) => `${ref.file} line ${ref.line}`;

function fail(ref: LineRef, field: string | undefined, message: string): never {
  throw new DatasetError(`${where(ref)}: ${message}`, { line: ref.line, ...(field === undefined ? {} : { field }) });
}

function nonEmptyString(ref: LineRef, record: Record<string, unknown>, field: "id" | "input"): string {
  const value = record[field];
  if (value === undefined) fail(ref, field, `"${field}" is missing; every case needs ${CASE_FIELDS[field]}, e.g. "${field}": "..."`);
  if (typeof value !== "string" || value.trim() === "") {
    const got = typeof value === "string" ? "an empty string" : describeJson(value);
    fail(ref, field, `"${field}" must be ${CASE_FIELDS[field]} (got ${got}); write "${field}": "..."`);
  }
  return value;
}

function stringArray(ref: LineRef, record: Record<string, unknown>, field: CaseField): string[] | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  const fix = `write "${field}": ["..."]`;
  if (!Array.isArray(value)) fail(ref, field, `"${field}" must be an array of strings (got ${describeJson(value)}); ${fix}`);
  value.forEach((item: unknown, i) => {
    if (typeof item !== "string" || item.trim() === "") {
      const got = typeof item === "string" ? "an empty string" : describeJson(item);
      fail(ref, field, `"${field}"[${i}] must be a non-empty string (got ${got}); ${fix}`);
    }
  });
  return value as string[];
}

function checkPatterns(ref: LineRef, patterns: string[] | undefined): void {
  patterns?.forEach((pattern, i) => {
    try {
      new RegExp(pattern);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      fail(
        ref,
        "patterns",
        `"patterns"[${i}] is not a valid JavaScript regular expression (${why}); escape special characters, e.g. "\\\\$10" for "$10"`,
      );
    }
  });
}

/**
 * One dataset line, already parsed as JSON, checked and turned into an {@link EvalCase}. Throws a
 * {@link DatasetError} naming the line, the field and the fix.
 */
export function parseCase(ref: LineRef, value: unknown): EvalCase {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(ref, undefined, `a case must be a JSON object (got ${describeJson(value)}); write {"id": "...", "input": "...", ...}`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !Object.hasOwn(CASE_FIELDS, key));
  if (unknown.length > 0) {
    const names = unknown.map((key) => JSON.stringify(key)).join(", ");
    fail(ref, unknown[0], `unknown field${unknown.length > 1 ? "s" : ""} ${names}; a case has only ${Object.keys(CASE_FIELDS).join(", ")}`);
  }
  const id = nonEmptyString(ref, record, "id");
  const input = nonEmptyString(ref, record, "input");
  const reference = record.reference;
  if (reference !== undefined && typeof reference !== "string") {
    fail(ref, "reference", `"reference" must be a string (got ${describeJson(reference)}); write "reference": "..."`);
  }
  const facts = stringArray(ref, record, "facts");
  const forbidden = stringArray(ref, record, "forbidden");
  const patterns = stringArray(ref, record, "patterns");
  checkPatterns(ref, patterns);
  const tools = stringArray(ref, record, "tools");
  const tags = stringArray(ref, record, "tags") ?? [];
  const evalCase: EvalCase = { id, input, tags, line: ref.line };
  if (reference !== undefined) evalCase.reference = reference;
  if (facts !== undefined) evalCase.facts = facts;
  if (forbidden !== undefined) evalCase.forbidden = forbidden;
  if (patterns !== undefined) evalCase.patterns = patterns;
  if (tools !== undefined) evalCase.tools = tools;
  return evalCase;
}
