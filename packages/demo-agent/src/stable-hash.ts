import { createHash } from "node:crypto";

/** A short, deterministic hex digest of `text` (the first `length` hex chars of its SHA-256). */
export function stableHash(text: string, length = 12): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}
