import type { Attributes, AttributeValue } from "@opentelemetry/api";

import { errorType } from "../langchain/error-info.js";
import { clipText, MAX_NAME_LENGTH } from "../langchain/values.js";
import { ATTR } from "../semconv.js";
import type { Guard } from "../util/callback-guard.js";
import { captureStructured, truncationMarker } from "./structured.js";
import type { ContentField, RedactFn } from "./types.js";

/** Fields whose structured values are GenAI messages or parts; any other structured value is plain JSON. */
const MESSAGE_FIELDS = new Set<ContentField>(["input.messages", "output.messages", "system_instructions"]);
/** Fields whose string values are often JSON (a tool's input and output): cut as JSON when they parse as JSON. */
const JSON_STRING_FIELDS = new Set<ContentField>(["tool.call.arguments", "tool.call.result"]);

/** What is recorded for a piece of captured content. */
export interface CapturedText {
  text: string;
  /** Something was cut (or, in a structured value, left out) to respect `maxContentLength`. */
  truncated: boolean;
}

/**
 * Truncates and redacts content before it goes on a span; `undefined` when capture is off or
 * redaction failed. A string is cut to `maxContentLength` characters plus `…[truncated N chars]`
 * and redacted whole. A structured value (messages, parts, a tool's JSON arguments or result) stays
 * valid JSON of the same shape: only its texts are cut, to fit it in `maxContentLength` plus one
 * marker, and each text is redacted on its own (see `captureStructured`).
 */
export class ContentCapture {
  constructor(
    readonly enabled: boolean,
    private readonly maxLength: number,
    private readonly redact: RedactFn,
    private readonly guard: Guard,
  ) {}

  /** The text to record for `field`, or `undefined` to record nothing. */
  text(field: ContentField, value: unknown): string | undefined {
    return this.capture(field, value)?.text;
  }

  /** The text to record for `field` and whether it was cut, or `undefined` to record nothing. */
  capture(field: ContentField, value: unknown): CapturedText | undefined {
    if (!this.enabled || value === undefined || value === null) return undefined;
    const max = this.maxLength;
    let structured: unknown = value;
    if (typeof value === "string") {
      structured = value.length > max && JSON_STRING_FIELDS.has(field) ? parseJson(value) : undefined;
      if (structured === undefined) {
        const truncated = value.length > max;
        const cut = truncated ? `${value.slice(0, max)}${truncationMarker(value.length - max)}` : value;
        const text = this.redacted(field, cut);
        return text === undefined ? undefined : { text, truncated };
      }
    }
    const captured = captureStructured(structured, MESSAGE_FIELDS.has(field) ? "messages" : "json", max, (t) => this.redacted(field, t));
    return captured === undefined ? undefined : { text: captured.json, truncated: captured.truncated };
  }

  /**
   * Sets `attributes[key]` to the captured text of `value` for `field`, if any is recorded, and
   * `agentwatch.content.truncated` when it was cut.
   */
  put(attributes: Attributes, key: string, field: ContentField, value: unknown): void {
    const captured = this.capture(field, value);
    if (captured === undefined) return;
    attributes[key] = captured.text;
    if (captured.truncated) attributes[ATTR.contentTruncated] = true;
  }

  /** `text` through the redaction hook, or `undefined` (counted) when the hook fails. */
  private redacted(field: ContentField, text: string): string | undefined {
    try {
      const redacted: unknown = this.redact(text, { field });
      if (typeof redacted === "string") return redacted;
      // Not a string (an async hook's Promise, say): dropped too, and counted so the mistake shows.
      // A rejection of that Promise must not go unhandled: it would crash the host process.
      const promise = redacted instanceof Promise;
      if (promise) redacted.catch(() => undefined);
      this.guard.report("redact", new TypeError(`the redaction hook returned ${promise ? "a Promise" : typeof redacted}, not a string`));
      return undefined;
    } catch (error) {
      // Fail closed: text the hook could not redact is never emitted, nor is the hook's error
      // (its message may quote the text): only the error's type is logged.
      this.guard.report("redact", new Error(`the redaction hook threw ${errorType(error)}; the text was dropped`));
      return undefined;
    }
  }
}

/** `text` parsed, when it is a JSON object or array; otherwise `undefined`. */
function parseJson(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Attributes holding captured content: bounded by `maxContentLength` (before redaction) instead. */
const CONTENT_ATTRIBUTES = new Set<string>([
  ATTR.inputMessages,
  ATTR.outputMessages,
  ATTR.systemInstructions,
  ATTR.toolCallArguments,
  ATTR.toolCallResult,
  ATTR.retrievalQueryText,
  ATTR.evaluationExplanation,
  ATTR.feedbackComment,
]);
const MAX_LIST_LENGTH = 64;

/**
 * Bounds span attributes taken from input (names, ids, models, metadata values): strings other
 * than captured content are cut to {@link MAX_NAME_LENGTH}, lists to 64 entries. In place.
 */
export function boundAttributes(attributes: Attributes): Attributes {
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === "string") {
      if (value.length > MAX_NAME_LENGTH && !CONTENT_ATTRIBUTES.has(key)) attributes[key] = clipText(value);
    } else if (
      Array.isArray(value) &&
      (value.length > MAX_LIST_LENGTH || value.some((v) => typeof v === "string" && v.length > MAX_NAME_LENGTH))
    ) {
      attributes[key] = value.slice(0, MAX_LIST_LENGTH).map((v) => (typeof v === "string" ? clipText(v) : v)) as AttributeValue;
    }
  }
  return attributes;
}

/** JSON that survives cycles, BigInts and throwing getters. */
export function safeJson(value: unknown): string {
  try {
    // Fast path: plain JSON (a replacer function makes stringify several times slower).
    return JSON.stringify(value) ?? String(value);
  } catch {
    return tolerantJson(value);
  }
}

function tolerantJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === "bigint") return v.toString();
        if (typeof v === "object" && v !== null) {
          if (seen.has(v)) return "[Circular]";
          seen.add(v);
        }
        return v;
      }) ?? String(value)
    );
  } catch {
    return "[unserializable]";
  }
}
