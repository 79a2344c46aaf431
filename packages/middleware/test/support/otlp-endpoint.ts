import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

import { spanNames } from "./otlp-proto.js";

/** How the endpoint answers export requests. */
export type EndpointMode =
  | { kind: "ok" }
  /** Reads the request, never answers. */
  | { kind: "hang" }
  | { kind: "status"; status: number }
  /** Answers 200 after `delayMs`. */
  | { kind: "slow"; delayMs: number };

/** One export request the endpoint read. */
export interface ReceivedExport {
  spans: string[];
  /** The status it was answered with; undefined while unanswered. */
  status?: number;
  /** The client gave up on it (timeout) or the endpoint stopped before answering. */
  abandoned: boolean;
}

/**
 * A local OTLP/HTTP trace endpoint (`POST /v1/traces`, protobuf) on 127.0.0.1 whose behaviour a test
 * switches: healthy, hanging, answering an error status, slow; `stop()` makes the port refuse
 * connections and `start()` listens on the same port again.
 */
export class FakeOtlpEndpoint {
  mode: EndpointMode = { kind: "ok" };
  readonly received: ReceivedExport[] = [];
  private readonly held = new Map<ReceivedExport, ServerResponse>();
  private readonly server = createServer((req, res) => this.handle(req, res));
  private port = 0;

  /** Listens on a free port (first call) or the port it had (after `stop()`). */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and cuts every connection: from now on the port refuses connections. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1/traces`;
  }

  /** Requests read and not yet answered (nor given up by the client). */
  pending(): number {
    return this.received.filter((r) => r.status === undefined && !r.abandoned).length;
  }

  /** Spans in requests answered with `status`. */
  spansAnswered(status: number): number {
    return this.received.filter((r) => r.status === status).reduce((n, r) => n + r.spans.length, 0);
  }

  /** Every span that reached the endpoint, answered or not. */
  spansReceived(): number {
    return this.received.reduce((n, r) => n + r.spans.length, 0);
  }

  /** Answers every held (hanging) request with `status`. */
  release(status = 200): void {
    for (const [request, res] of this.held) this.answer(request, res, status);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const request: ReceivedExport = { spans: req.url === "/v1/traces" ? spanNames(body) : [], abandoned: false };
      this.received.push(request);
      res.on("close", () => {
        this.held.delete(request);
        if (request.status === undefined) request.abandoned = true;
      });
      const mode = this.mode;
      if (req.url !== "/v1/traces") this.answer(request, res, 404);
      else if (mode.kind === "ok") this.answer(request, res, 200);
      else if (mode.kind === "status") this.answer(request, res, mode.status);
      else if (mode.kind === "slow") setTimeout(() => this.answer(request, res, 200), mode.delayMs);
      else this.held.set(request, res);
    });
  }

  private answer(request: ReceivedExport, res: ServerResponse, status: number): void {
    this.held.delete(request);
    if (res.destroyed || request.abandoned) return;
    request.status = status;
    res.writeHead(status, { "content-type": "application/x-protobuf" });
    res.end();
  }
}
