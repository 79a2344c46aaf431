/**
 * One detection in a scanned text. It holds positions, never the matched text itself, so a
 * finding can go on a span or a log line without leaking the PII or secret it points at.
 */
export interface Finding {
  /** Which detector produced it, e.g. `"pii"`, `"prompt_injection"` or a denylist's name. */
  detector: string;
  /** What was found, e.g. `"email"`, `"payment_card"`, `"instruction_override"`. */
  type: string;
  /** Offset (UTF-16 code units) of the first character of the match in the scanned text. */
  start: number;
  /** Offset just past the last character of the match (`text.slice(start, end)` is the match). */
  end: number;
  /** Confidence or weight in 0..1, when the detector has one. */
  score?: number;
}

/** Where something is in a scanned text: `text.slice(start, end)`. */
export type Span = Pick<Finding, "start" | "end">;
