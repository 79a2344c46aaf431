import { afterEach, describe, expect, it, vi } from "vitest";

import { createDemoHandler } from "../src/demo-handler.js";
import { sumSamples } from "../src/metrics-text.js";
import { type DemoServer, globalTracing, startDemo } from "./support/demo-server.js";

const { provider, exporter } = globalTracing();
const SECRET = "demo-replicas-share-this-secret-0123456789";
const started: DemoServer[] = [];

/** A demo replica as `npm run demo` starts it: the secret from AGENTWATCH_FEEDBACK_SECRET, its own handler and memory. */
async function replica(): Promise<DemoServer> {
  vi.stubEnv("AGENTWATCH_FEEDBACK_SECRET", SECRET);
  try {
    const demo = await startDemo({ handler: createDemoHandler({ tracerProvider: provider, evaluationSampleRate: 0 }) });
    started.push(demo);
    return demo;
  } finally {
    vi.unstubAllEnvs();
  }
}

afterEach(async () => {
  for (const demo of started.splice(0)) await demo.close();
});

function rootOf(traceId: string) {
  const root = exporter.getFinishedSpans().find((s) => s.name === "invoke_agent acme-support" && s.spanContext().traceId === traceId);
  if (root === undefined) throw new Error(`no root span in trace ${traceId}`);
  return root;
}

describe("demo replicas: feedback on another replica, or after a restart", () => {
  it("accepts feedback on replica B for an answer from replica A: 202, counted under the answer's agent, in its trace", async () => {
    const a = await replica();
    const b = await replica();
    const { status, body } = await a.chat("Where is my order AB-1234?");
    expect(status).toBe(200);
    expect(body.feedback_token).toMatch(/^aw1\./);
    const before = sumSamples(await b.metrics(), "agentwatch_user_feedback_total", { agent: "acme-support", rating: "negative" });

    const res = await b.post("/feedback", { feedback_token: body.feedback_token, rating: "down", category: "wrong" });
    expect(res.status).toBe(202);
    const metrics = await b.metrics();
    expect(sumSamples(metrics, "agentwatch_user_feedback_total", { agent: "acme-support", rating: "negative", category: "wrong" })).toBe(
      before + 1,
    );
    const root = rootOf(body.trace_id ?? "");
    const feedback = exporter.getFinishedSpans().filter((s) => s.name === "user_feedback" && s.spanContext().traceId === body.trace_id);
    expect(feedback).toHaveLength(1);
    expect(feedback[0]?.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    // Without the token, replica B cannot know the run.
    expect((await b.post("/feedback", { trace_id: body.trace_id, rating: "down" })).status).toBe(404);
  });

  it("accepts feedback after a restart, and a streamed answer's token too", async () => {
    const first = await replica();
    const { events } = await first.stream("How do I reset my password?");
    const done = events.find((e) => e.event === "done");
    const token = (JSON.parse(done?.data ?? "{}") as { feedback_token?: string }).feedback_token;
    expect(token).toMatch(/^aw1\./);
    await first.close();
    started.splice(started.indexOf(first), 1);

    const restarted = await replica();
    expect((await restarted.post("/feedback", { feedback_token: token, rating: "up" })).status).toBe(202);
    expect(sumSamples(await restarted.metrics(), "agentwatch_user_feedback_total", { agent: "acme-support", rating: "positive" })).toBe(1);
  });

  it("refuses a tampered token with 403 and says why", async () => {
    const a = await replica();
    const b = await replica();
    const { body } = await a.chat("Where is my order AB-1234?");
    const [prefix, payload, signature] = (body.feedback_token ?? "").split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    claims[4] = "someone-else";
    const edited = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    const res = await b.post("/feedback", { feedback_token: edited, rating: "down" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/signature does not match/);
  });
});
