import type { Guard } from "./guard.js";
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
      const redacted = this.redact(truncated, { field });
      return typeof redacted === "string" ? redacted : undefined;
    } catch (error) {
      // Fail closed: text the hook could not redact is never emitted.
      this.guard.report("redact", error);
      return undefined;
    }
  }
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
