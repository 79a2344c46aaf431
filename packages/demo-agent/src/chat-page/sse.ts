/** One Server-Sent Event: its type (`message` when the stream names none) and its data lines joined by "\n". */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * An incremental `text/event-stream` parser (the WHATWG rules the page needs: `event:` and `data:`
 * fields, `:` comments, CR / LF / CRLF line ends even when split across chunks; `id:` and `retry:`
 * are ignored). Feed it decoded text as it arrives; it returns the events each chunk completes.
 */
export class SseParser {
  private buffer = "";
  private eventType = "";
  private data: string[] = [];

  /** Parses a chunk of decoded text; returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== "\n" && c !== "\r") continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (c === "\r" && i === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, i), events);
      if (c === "\r" && this.buffer[i + 1] === "\n") i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The stream ended: a trailing CR ends its line; an event without its blank line is dropped (as browsers do). */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.endsWith("\r")) this.line(this.buffer.slice(0, -1), events);
    this.buffer = "";
    this.eventType = "";
    this.data = [];
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.data.length > 0) events.push({ event: this.eventType || "message", data: this.data.join("\n") });
      this.eventType = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventType = value;
    else if (field === "data") this.data.push(value);
  }
}
