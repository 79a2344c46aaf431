import { SseParser } from "./sse.js";

/** The agent's answer to one question. */
export interface AgentAnswer {
  answer: string;
  /** The trace id the server answered with (the browser's own trace when the traceparent went through). */
  traceId: string | undefined;
  /** The signed token the server gives for feedback on this answer (any replica accepts it). */
  feedbackToken?: string | undefined;
  /** The `traceparent` the browser sent with the question, if Faro's fetch instrumentation added one. */
  traceparent: string | undefined;
}

/** The server refused or failed the question; `message` is the server's own words. */
export class ChatError extends Error {
  constructor(
    message: string,
    readonly traceId?: string,
  ) {
    super(message);
    this.name = "ChatError";
  }
}

interface DoneData {
  answer?: unknown;
  trace_id?: unknown;
  feedback_token?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Asks the agent: `POST chatUrl` with `Accept: text/event-stream`. A streamed answer calls
 * `onToken` for each `token` event as it arrives and resolves on `done`; a JSON answer (a server
 * without streaming) resolves with its `answer`. Faro's fetch instrumentation (when on) adds the
 * W3C `traceparent`, read back here so the page can tie later feedback to the same trace.
 */
export async function askAgent(
  chatUrl: string,
  body: { message: string; thread_id?: string },
  onToken: (text: string) => void,
): Promise<AgentAnswer> {
  const init: RequestInit = {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream, application/json;q=0.9" },
    body: JSON.stringify(body),
  };
  const pending = fetch(chatUrl, init);
  // The fetch instrumentation replaced init.headers synchronously with the headers it sent.
  const traceparent = new Headers(init.headers).get("traceparent") ?? undefined;
  const res = await pending;
  const type = res.headers.get("content-type") ?? "";
  if (!res.ok) {
    const error = parseJson(await res.text());
    throw new ChatError(str(error.error) ?? `the server answered ${res.status}`, str(error.trace_id));
  }
  if (!type.startsWith("text/event-stream") || res.body === null) {
    const json = parseJson(await res.text());
    const answer = str(json.answer);
    if (answer === undefined) throw new ChatError("the server's answer has no text", str(json.trace_id));
    return { answer, traceId: str(json.trace_id), feedbackToken: str(json.feedback_token), traceparent };
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  let streamed = "";
  for (;;) {
    const { value, done } = await reader.read();
    const events = done ? parser.end() : parser.push(value);
    for (const event of events) {
      const data = parseJson(event.data);
      if (event.event === "token") {
        const text = str(data.text) ?? "";
        streamed += text;
        onToken(text);
      } else if (event.event === "done") {
        await reader.cancel().catch(() => undefined);
        const d = data as DoneData;
        return { answer: str(d.answer) ?? streamed, traceId: str(d.trace_id), feedbackToken: str(d.feedback_token), traceparent };
      } else if (event.event === "error") {
        await reader.cancel().catch(() => undefined);
        throw new ChatError(str(data.error) ?? str(data.message) ?? "the agent failed", str(data.trace_id));
      }
    }
    if (done) throw new ChatError("the answer stream ended before the answer was complete");
  }
}

/** The trace id and span id in a W3C traceparent, if it is one. */
export function parseTraceparent(value: string | undefined): { traceId: string; spanId: string } | undefined {
  const m = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(value ?? "");
  return m?.[1] !== undefined && m[2] !== undefined ? { traceId: m[1], spanId: m[2] } : undefined;
}
