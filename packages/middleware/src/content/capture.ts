import type { Attributes, AttributeValue } from "@opentelemetry/api";

import { errorType } from "../langchain/error-info.js";
import { clipText, MAX_NAME_LENGTH } from "../langchain/values.js";
import { ATTR } from "../semconv.js";
import type { Guard } from "../util/callback-guard.js";
import type { ContentField, RedactFn } from "./types.js";

/** Truncates and redacts text before it goes on a span; `undefined` when capture is off or redaction failed. */
export class ContentCapture {
  constructor(
    readonly enabled: boolean,
    private readonly maxLength: number,
    private readonly redact: RedactFn,
    private readonly guard: Guard,
  ) {}

  /** The text to record for `field`, or `undefined` to record nothing. */
  text(field: ContentField, value: unknown): string | undefined {
    if (!this.enabled || value === undefined || value === null) return undefined;
    const raw = typeof value === "string" ? value : safeJson(value);
    const truncated =
      raw.length > this.maxLength ? `${raw.slice(0, this.maxLength)}…[truncated ${raw.length - this.maxLength} chars]` : raw;
    try {
      const redacted: unknown = this.redact(truncated, { field });
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

  /** Sets `attributes[key]` to the captured text of `value` for `field`, if any is recorded. */
  put(attributes: Attributes, key: string, field: ContentField, value: unknown): void {
    const captured = this.text(field, value);
    if (captured !== undefined) attributes[key] = captured;
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
