import type { Response } from "express";

/** One Server-Sent Event: `event: {name}` and one `data:` line of JSON. */
export function formatEvent(event: string, data: unknown): string {
  // JSON.stringify escapes newlines, so the data is always one line.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Starts a `text/event-stream` response and returns a writer for its events. */
export function openEventStream(res: Response): { send(event: string, data: unknown): void; end(): void } {
  res.status(200);
  res.set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  return {
    send(event, data) {
      if (!res.writableEnded && !res.destroyed) res.write(formatEvent(event, data));
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}

/** One parsed Server-Sent Event. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Splits a `text/event-stream` body into events as it arrives (for clients and tests): feed it
 * text chunks, get back the events completed so far. Comments and `id:` / `retry:` fields are ignored.
 */
export class EventStreamParser {
  private buffer = "";

  push(text: string): ServerSentEvent[] {
    this.buffer += text.replace(/\r\n?/g, "\n");
    const events: ServerSentEvent[] = [];
    let end = this.buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length > 0) events.push({ event, data: data.join("\n") });
      end = this.buffer.indexOf("\n\n");
    }
    return events;
  }
}

/** Reads a fetch response body as Server-Sent Events. */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const parser = new EventStreamParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(`${decoder.decode()}\n\n`);
  } finally {
    reader.releaseLock();
  }
}
