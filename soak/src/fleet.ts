import { randomUUID } from "node:crypto";

import {
  type BundledQuestion,
  IncidentController,
  type IncidentName,
  pickQuestion,
  SUPPORT_QUESTIONS,
  SupportRuntime,
  type SupportRuntimeOptions,
} from "@agentwatch/demo-agent";
import { ProviderError, type Random, ScriptedChatModel } from "@agentwatch/fixtures";
import type { AgentWatchHandler } from "@agentwatch/middleware";

import type { InvocationKind } from "./run-ledger.js";
import { StallingChatModel } from "./stalling-chat-model.js";

/** Divides every simulated delay of the demo runtime: the scripted model, tools and retrieval run without sleeps. */
const NO_SLEEP_SPEED = 1e9;

/** How an abandoned invocation's caller behaves: reads this many stream chunks, then drops the iterator. */
export interface Abandon {
  chunks: number;
  /** Whether the graph then hangs (its runs never end in LangChain) or runs on to its end by itself. */
  stalls: boolean;
}

/** One way of running the demo agent: a runtime (graph, model, incidents) and what the caller does with it. */
export interface Variant {
  name: string;
  kind: InvocationKind;
  runtime: SupportRuntime;
  /** Relative weight within its kind. */
  weight: number;
  /** Questions it is asked (default: the demo's traffic mix, with jailbreaks and personal data). */
  questions?: readonly BundledQuestion[];
  abandon?: Abandon;
}

/** One invocation of the soak. */
export interface InvocationPlan {
  index: number;
  variant: Variant;
  question: string;
  /** The root run's id, so feedback and the run ledger can find it. */
  runId: string;
  metadata: Record<string, string>;
  threadId: string;
  /** User feedback to send once it completes, if any. */
  feedback?: { score: number; comment: string };
}

/** Share of invocations of each kind (the rest are normal). */
export const MIX = { abandoned: 0.1, failing: 0.05 } as const;

/** More agents and tenants than the label cap, so `other` appears; user, session and thread ids are unbounded. */
const AGENTS = ["acme-support", "acme-billing", "acme-shipping", "acme-returns", "acme-accounts", "acme-vip", "acme-b2b", "acme-eu"];
const TENANTS = Array.from({ length: 50 }, (_, i) => `tenant-${i}`);
const TIERS = ["free", "pro", "enterprise"];
const FEATURES = ["chat", "email", "voice", "widget"];
const FEEDBACK_RATE = 0.1;
/** Order questions: they call `lookup_order`, so the tool-loop variant loops on them. */
const ORDER_QUESTIONS = SUPPORT_QUESTIONS.filter((q) => /order [A-Z]{2}-\d{4}/.test(q.text));
/** A question whose `lookup_order` call fails (the order service throws); the agent still answers. */
const FAILING_TOOL_QUESTION = "Where is my order ERR-500? It has not moved for a week.";

function pick<T>(list: readonly T[], random: Random): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error("pick: empty list");
  return item;
}

function pickWeighted(list: readonly Variant[], random: Random): Variant {
  const total = list.reduce((sum, v) => sum + v.weight, 0);
  let r = random() * total;
  for (const v of list) {
    r -= v.weight;
    if (r < 0) return v;
  }
  return list[list.length - 1] as Variant;
}

/** The soak's variants of the demo agent, each a {@link SupportRuntime} (guarded graph, vector retrieval) with its own model or incidents. */
export class Fleet {
  readonly variants: readonly Variant[];

  private constructor(variants: Variant[]) {
    this.variants = variants;
  }

  static async create(handler: AgentWatchHandler, seed: number): Promise<Fleet> {
    const runtime = (incidents: IncidentName[], extra: Partial<SupportRuntimeOptions> = {}) =>
      new SupportRuntime({ handler, speed: NO_SLEEP_SPEED, seed, incidents: new IncidentController(incidents), ...extra });
    let providerErrors = 0;
    const plain = runtime([]);
    const variants: Variant[] = [
      { name: "v1", kind: "normal", weight: 40, runtime: plain },
      { name: "prompt-v2", kind: "normal", weight: 10, runtime: runtime(["prompt-regression"]) },
      { name: "prompt-drift", kind: "normal", weight: 8, runtime: runtime(["prompt-drift"]) },
      {
        name: "mini-model",
        kind: "normal",
        weight: 15,
        runtime: runtime([], { model: new ScriptedChatModel({ model: "acme-scripted-mini", provider: "acme", seed }) }),
      },
      { name: "cost-runaway", kind: "normal", weight: 5, runtime: runtime(["cost-runaway"]) },
      { name: "model-update", kind: "normal", weight: 8, runtime: runtime(["silent-model-update"]) },
      { name: "cache-miss", kind: "normal", weight: 7, runtime: runtime(["cache-miss"]) },
      { name: "bad-retrieval", kind: "normal", weight: 5, runtime: runtime(["retrieval-degradation"]) },
      {
        name: "tool-error",
        kind: "normal",
        weight: 2,
        runtime: plain,
        questions: [{ kind: "support", text: FAILING_TOOL_QUESTION }],
      },
      {
        name: "provider-error",
        kind: "failing",
        weight: 3,
        runtime: runtime([], {
          model: new ScriptedChatModel({
            streaming: true,
            seed,
            failWith: () => new ProviderError(providerErrors++ % 3 === 0 ? 500 : 429),
          }),
        }),
        questions: SUPPORT_QUESTIONS,
      },
      { name: "tool-loop-abort", kind: "failing", weight: 2, runtime: runtime(["tool-loop"]), questions: ORDER_QUESTIONS },
      {
        name: "stall-first-chunk",
        kind: "abandoned",
        weight: 4,
        runtime: runtime([], { model: new StallingChatModel("first-call", { seed }) }),
        abandon: { chunks: 2, stalls: true },
      },
      {
        name: "stall-after-tool",
        kind: "abandoned",
        weight: 4,
        runtime: runtime([], { model: new StallingChatModel("after-tool", { seed }) }),
        abandon: { chunks: 2, stalls: true },
      },
      { name: "dropped", kind: "abandoned", weight: 2, runtime: plain, abandon: { chunks: 1, stalls: false } },
    ];
    await Promise.all(variants.map((v) => v.runtime.ready()));
    return new Fleet(variants);
  }

  /** The `index`-th invocation: its kind by {@link MIX}, a variant of that kind, a question and metadata. */
  plan(index: number, random: Random): InvocationPlan {
    const r = random();
    const kind: InvocationKind = r < MIX.abandoned ? "abandoned" : r < MIX.abandoned + MIX.failing ? "failing" : "normal";
    const variant = pickWeighted(
      this.variants.filter((v) => v.kind === kind),
      random,
    );
    const question = variant.questions !== undefined ? pick(variant.questions, random).text : pickQuestion(random).text;
    const plan: InvocationPlan = {
      index,
      variant,
      question,
      runId: randomUUID(),
      threadId: `thread-${index}`,
      metadata: {
        agent_name: pick(AGENTS, random),
        tenant: pick(TENANTS, random),
        tier: pick(TIERS, random),
        feature: pick(FEATURES, random),
        user_id: `user-${index}`,
        session_id: `session-${Math.floor(index / 4)}`,
      },
    };
    if (kind === "normal" && random() < FEEDBACK_RATE) {
      const good = random() < 0.7;
      plan.feedback = { score: good ? 1 : 0, comment: good ? "Thanks, that helped." : "Wrong answer. Call me on +1 415 555 0100." };
    }
    return plan;
  }
}
