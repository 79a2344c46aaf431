import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { createSupportGraph } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { afterEach, describe, expect, it, vi } from "vitest";

import { type AgentWatchHandler, FeedbackTokenError } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only, parentId, spanId, traceId } from "./support/otel.js";

const make = handlerMaker();
const SECRET = "replicas-share-this-secret-0123456789";
const OTHER = "a-different-secret-nobody-shares-9876543210";
const ask = (text: string) => ({ messages: [new HumanMessage(text)] });

afterEach(() => {
  vi.restoreAllMocks();
});

/** Replica A answers a question; returns the root span and the answer's feedback token. */
async function answer(replica: ReturnType<typeof make>) {
  const runId = crypto.randomUUID();
  await createSupportGraph().invoke(ask("Where is my order AB-1234?"), {
    callbacks: [replica.handler],
    runId,
    metadata: { feature: "chat" },
  });
  const root = only(replica.tracing.exporter.getFinishedSpans(), "invoke_agent acme-support");
  const token = replica.handler.feedbackToken({ runId });
  if (token === undefined) throw new Error("no feedback token");
  return { root, token };
}

async function served(handler: AgentWatchHandler) {
  const server = createServer((req, res) => void handler.feedbackHandler()(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feedback`;
  const post = async (body: unknown) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: string; code?: string; field?: string } };
  };
  return { post, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The token with its payload replaced and the signature kept. */
function tampered(token: string, edit: (claims: unknown[]) => void): string {
  const [prefix, payload, signature] = token.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
  edit(claims);
  return `${prefix}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}

/** A token signed, correctly in form, with a secret the replicas do not hold. */
function forged(token: string, secret: string): string {
  const [prefix, payload] = token.split(".") as [string, string];
  const signature = createHmac("sha256", secret).update(`${prefix}.${payload}`).digest("base64url");
  return `${prefix}.${payload}.${signature}`;
}

describe("feedback by token, with no memory of the run", () => {
  it("is accepted by another replica with the same secret: counted under the answer's labels, in the answer's trace", async () => {
    const a = make({ feedback: { secret: SECRET } });
    const b = make({ feedback: { secret: SECRET } });
    const { root, token } = await answer(a);
    expect(token).toMatch(/^aw1\.[\w-]+\.[\w-]+$/);
    expect(token.length).toBeLessThan(400);

    expect(b.handler.recordFeedback({ token, score: 0, category: "wrong" })).toBe(true);
    const span = only(b.tracing.exporter.getFinishedSpans(), "user_feedback");
    expect(traceId(span)).toBe(traceId(root));
    expect(parentId(span)).toBe(spanId(root));
    expect(span.events[0]?.attributes).toMatchObject({ "agentwatch.feedback.category": "wrong", "agentwatch.feedback.score": 0 });
    const m = parseExposition(await b.handler.registry.metrics());
    expect(
      value(m, "agentwatch_user_feedback_total", {
        agent: "acme-support",
        rating: "negative",
        prompt_version: "v1",
        feature: "chat",
        category: "wrong",
      }),
    ).toBe(1);
    // Nothing reached replica A.
    expect(a.tracing.exporter.getFinishedSpans().filter((s) => s.name === "user_feedback")).toEqual([]);
  });

  it("is accepted after a restart (a new handler), for feedback and for scores", async () => {
    const before = make({ feedback: { secret: SECRET } });
    const { root, token } = await answer(before);
    before.handler.shutdown();
    const after = make({ feedback: { secret: SECRET } });
    expect(after.handler.recordFeedback({ token, score: 1 })).toBe(true);
    expect(after.handler.recordEvaluation({ token, name: "helpfulness", score: 0.7 })).toBe(true);
    for (const s of after.tracing.exporter.getFinishedSpans()) {
      expect(traceId(s)).toBe(traceId(root));
      expect(parentId(s)).toBe(spanId(root));
    }
    const m = parseExposition(await after.handler.registry.metrics());
    expect(value(m, "agentwatch_user_feedback_total", { agent: "acme-support", rating: "positive", category: "" })).toBe(1);
    expect(value(m, "agentwatch_eval_score_sum", { name: "helpfulness", agent: "acme-support", prompt_version: "v1" })).toBeCloseTo(0.7);
  });

  it("takes labels from the token, not from this replica's memory of another run", async () => {
    const a = make({ feedback: { secret: SECRET } });
    const { token } = await answer(a);
    const relabelled = forged(
      tampered(token, (c) => (c[4] = "other-agent")),
      SECRET,
    );
    expect(a.handler.recordFeedback({ token: relabelled, score: 1 })).toBe(true);
    const m = parseExposition(await a.handler.registry.metrics());
    expect(value(m, "agentwatch_user_feedback_total", { agent: "other-agent" })).toBe(1);
  });

  it("accepts rotated secrets: the first signs, any verifies", async () => {
    const old = make({ feedback: { secret: OTHER } });
    const { token } = await answer(old);
    const rotated = make({ feedback: { secret: [SECRET, OTHER] } });
    expect(rotated.handler.recordFeedback({ token, score: 1 })).toBe(true);
    const fresh = await answer(rotated);
    expect(make({ feedback: { secret: SECRET } }).handler.recordFeedback({ token: fresh.token, score: 1 })).toBe(true);
    expect(() => make({ feedback: { secret: OTHER } }).handler.recordFeedback({ token: fresh.token, score: 1 })).toThrow(
      FeedbackTokenError,
    );
  });

  it("reads the secret(s) from AGENTWATCH_FEEDBACK_SECRET, comma separated, and checks their length", () => {
    vi.stubEnv("AGENTWATCH_FEEDBACK_SECRET", `${SECRET}, ${OTHER}`);
    try {
      expect(make().handler.feedbackToken({ runId: "unknown" })).toBeUndefined();
      vi.stubEnv("AGENTWATCH_FEEDBACK_SECRET", "short");
      expect(() => make()).toThrow(/AGENTWATCH_FEEDBACK_SECRET has a secret shorter than 32 characters/);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(() => make({ feedback: { secret: "short" } })).toThrow(/option "feedback.secret" has a secret shorter than 32/);
    expect(() => make({ feedback: { tokenTtlMs: -1 } })).toThrow(/option "feedback.tokenTtlMs" must be a positive integer/);
    expect(() => make({ feedback: { categories: ["Not Ok"] } })).toThrow(/option "feedback.categories"/);
  });

  it("gives no token without a secret", async () => {
    const plain = make();
    const runId = crypto.randomUUID();
    await createSupportGraph().invoke(ask("hello"), { callbacks: [plain.handler], runId });
    expect(plain.handler.feedbackToken({ runId })).toBeUndefined();
  });
});

describe("refused tokens", () => {
  it("answers 400 malformed, 403 forged / tampered / wrong secret, 410 expired, each saying so", async () => {
    const a = make({ feedback: { secret: SECRET, tokenTtlMs: 60_000 } });
    const b = make({ feedback: { secret: SECRET } });
    const stranger = make({ feedback: { secret: OTHER } });
    const { token } = await answer(a);
    const server = await served(b.handler);
    const strangerServer = await served(stranger.handler);
    try {
      expect((await server.post({ feedback_token: token, rating: "up" })).status).toBe(202);

      const malformed = await server.post({ feedback_token: "not-a-token", rating: "up" });
      expect(malformed).toMatchObject({ status: 400, body: { code: "token_malformed", field: "feedback_token" } });
      expect(malformed.body.error).toMatch(/feedback token is malformed/);

      const edited = await server.post({ feedback_token: tampered(token, (c) => (c[4] = "other-agent")), rating: "up" });
      expect(edited).toMatchObject({ status: 403, body: { code: "token_forged" } });
      expect(edited.body.error).toMatch(/signature does not match/);

      expect((await server.post({ feedback_token: forged(token, OTHER), rating: "up" })).status).toBe(403);
      expect((await strangerServer.post({ feedback_token: token, rating: "up" })).status).toBe(403);

      const later = Date.now() + 61_000;
      vi.spyOn(Date, "now").mockReturnValue(later);
      const expired = await server.post({ feedback_token: token, rating: "up" });
      expect(expired).toMatchObject({ status: 410, body: { code: "token_expired" } });
      expect(expired.body.error).toMatch(/feedback token expired at/);
    } finally {
      await server.close();
      await strangerServer.close();
    }
    // Only the one accepted feedback was counted.
    const m = parseExposition(await b.handler.registry.metrics());
    expect(find(m, "agentwatch_user_feedback_total").reduce((n, s) => n + s.value, 0)).toBe(1);
  });

  it("throws a FeedbackTokenError from code, and a server without a secret says it cannot check tokens", async () => {
    const a = make({ feedback: { secret: SECRET } });
    const { token } = await answer(a);
    const error = (() => {
      try {
        a.handler.recordFeedback({ token: tampered(token, (c) => (c[1] = "0".repeat(32))), score: 1 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FeedbackTokenError);
    expect(error).toMatchObject({ problem: "forged", status: 403 });
    const none = make();
    const server = await served(none.handler);
    try {
      const res = await server.post({ feedback_token: token, rating: "up" });
      expect(res).toMatchObject({ status: 400, body: { code: "token_unverifiable" } });
      expect(res.body.error).toMatch(/AGENTWATCH_FEEDBACK_SECRET/);
    } finally {
      await server.close();
    }
  });
});

describe("feedback by trace id + span id", () => {
  it("needs no memory either: labelled as the caller says", async () => {
    const a = make();
    const { root } = await answer(make({ feedback: { secret: SECRET } }));
    expect(
      a.handler.recordFeedback({ traceId: traceId(root), spanId: spanId(root), agent: "acme-support", promptVersion: "v1", score: 1 }),
    ).toBe(true);
    const span = only(a.tracing.exporter.getFinishedSpans(), "user_feedback");
    expect(parentId(span)).toBe(spanId(root));
    const m = parseExposition(await a.handler.registry.metrics());
    expect(value(m, "agentwatch_user_feedback_total", { agent: "acme-support", prompt_version: "v1" })).toBe(1);
    expect(() => a.handler.recordFeedback({ traceId: traceId(root), spanId: "xyz", score: 1 })).toThrow(
      /recordFeedback.spanId must be 16 hex characters/,
    );
  });
});

describe("score names and feedback kinds", () => {
  it("keeps two criteria scored from code as two series", async () => {
    const a = make({ feedback: { secret: SECRET } });
    const { token } = await answer(a);
    a.handler.recordEvaluation({ token, name: "relevance", score: 1 });
    a.handler.recordEvaluation({ token, name: "tone", score: 0 });
    const m = parseExposition(await a.handler.registry.metrics());
    const series = find(m, "agentwatch_eval_score_count").map((s) => s.labels.name);
    expect(series.sort()).toEqual(["relevance", "tone"]);
    expect(value(m, "agentwatch_eval_score_sum", { evaluator: "code", name: "tone" })).toBe(0);
  });

  it("bounds categories to the configured set and records corrections only with captureContent, redacted", async () => {
    const a = make({ feedback: { secret: SECRET, categories: ["wrong", "rude"] }, captureContent: true });
    const { token } = await answer(a);
    expect(() => a.handler.recordFeedback({ token, score: 0, category: "slow" })).toThrow(
      /recordFeedback.category is not one of the configured categories.*use one of wrong, rude/,
    );
    expect(a.handler.recordFeedback({ token, score: 0, category: "rude", correction: "Mail jo@example.com instead" })).toBe(true);
    const event = only(a.tracing.exporter.getFinishedSpans(), "user_feedback").events[0];
    expect(event?.attributes?.["agentwatch.feedback.correction"]).toBe("Mail [REDACTED_EMAIL] instead");
    const server = await served(a.handler);
    try {
      const res = await server.post({ feedback_token: token, rating: "down", category: "slow" });
      expect(res).toMatchObject({ status: 400, body: { field: "category" } });
      expect(res.body.error).toMatch(/must be one of wrong, rude/);
    } finally {
      await server.close();
    }

    const quiet = make({ feedback: { secret: SECRET } });
    expect(quiet.handler.recordFeedback({ token, score: 0, correction: "secret text" })).toBe(true);
    const quietEvent = only(quiet.tracing.exporter.getFinishedSpans(), "user_feedback").events[0];
    expect(quietEvent?.attributes?.["agentwatch.feedback.correction"]).toBeUndefined();
  });
});
