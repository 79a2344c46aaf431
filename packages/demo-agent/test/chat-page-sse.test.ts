import { describe, expect, it } from "vitest";

import { SseParser } from "../src/chat-page/sse.js";

describe("the chat page's SSE parser", () => {
  it("parses typed events with multi-line data, ignoring comments, ids and retry", () => {
    const parser = new SseParser();
    const events = parser.push(
      ': hello\nid: 1\nretry: 10\nevent: token\ndata: {"text":"Hi"}\n\nevent: done\ndata: a\ndata: b\n\ndata:plain\n\n',
    );
    expect(events).toEqual([
      { event: "token", data: '{"text":"Hi"}' },
      { event: "done", data: "a\nb" },
      { event: "message", data: "plain" },
    ]);
  });

  it("assembles events split anywhere across chunks, with CRLF split between chunks too", () => {
    const text =
      'event: token\r\ndata: {"text":"Your "}\r\n\r\nevent: token\r\ndata: {"text":"order"}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n';
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
      events.push(...parser.end());
      expect(events.map((e) => e.event)).toEqual(["token", "token", "done"]);
      expect(events[1]?.data).toBe('{"text":"order"}');
    }
  });

  it("handles bare CR line ends and drops an event that never got its blank line", () => {
    const parser = new SseParser();
    // A CR that ends a chunk may be half of a CRLF: its line ends when the next chunk (or the end) comes.
    expect(parser.push("event: token\rdata: x\r\r")).toEqual([]);
    expect(parser.push("event: done\ndata: cut")).toEqual([{ event: "token", data: "x" }]);
    expect(parser.end()).toEqual([]);
    const last = new SseParser();
    expect(last.push("data: y\r\r")).toEqual([]);
    expect(last.end()).toEqual([{ event: "message", data: "y" }]);
  });
});
