// Escaping text for XML: the five special characters, and the characters XML 1.0 cannot hold at all
// (control characters, lone surrogates) written as the text `\uXXXX`, so a stray byte in an answer
// never makes the whole report unreadable.

const SPECIAL: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

// Exactly the characters XML 1.0 cannot hold.
const INVALID =
  // eslint-disable-next-line no-control-regex -- on purpose
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an element or a double-quoted attribute. */
export function xmlEscape(text: string): string {
  return text.replace(INVALID, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/[&<>"']/g, (c) => SPECIAL[c] ?? c);
}
