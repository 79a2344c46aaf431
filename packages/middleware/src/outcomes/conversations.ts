import { isSpanContextValid } from "@opentelemetry/api";

import { EVALUATOR_AGENT } from "../evaluations/evaluator-agent.js";
import type { RootState } from "../runs/run-record.js";
import type { SharedStore } from "../state/types.js";
import type { Guard } from "../util/callback-guard.js";
import type { OutcomeMetrics } from "./metrics.js";
import { SerialQueues } from "./serial-queues.js";
import { FAILED, StoreCalls } from "./store-calls.js";
import type { OutcomeResult } from "./types.js";

/** Outcome options with every default filled in (outcomes/outcome-options.ts). */
export interface OutcomeSettings {
  /** Every outcome name that may be recorded: the built-ins and the configured ones. */
  names: ReadonlySet<string>;
  escalationTools: ReadonlySet<string>;
  abandonAfterMs: number;
  sweepIntervalMs: number;
  store: SharedStore;
  storeTimeoutMs: number;
  maxPendingStoreCalls: number;
  conversationTtlMs: number;
}

/** What the store holds of one conversation, under `agentwatch:conversation:<id>`. */
interface ConversationState {
  agent: string;
  turns: number;
  /** Start of its latest turn, epoch ms. */
  lastMs: number;
  /** Set once its outcome is decided. */
  outcome?: string;
}

/** What the store holds of one trace (a turn), so an outcome can be recorded by trace id on any replica. */
interface TraceState {
  conversation: string;
  agent: string;
}

const IDLE_INDEX = "agentwatch:conversations:idle";
const conversationKey = (id: string) => `agentwatch:conversation:${id}`;
const outcomeKey = (id: string) => `agentwatch:conversation-outcome:${id}`;
const traceKey = (traceId: string) => `agentwatch:conversation-trace:${traceId}`;
/** Idle conversations looked at per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 100;

/**
 * Conversation outcomes and turns over a `SharedStore`, so every replica sees one conversation:
 * a turn (root agent run) counts into its conversation's state and the idle index; an outcome is
 * decided once across replicas by a store `claim` (recorded, escalated by a marked tool, or
 * abandoned by the sweeper) and then counted with the conversation's turns. Store calls never
 * block or fail a run: they are fired from the callbacks, bounded in time and number, and ordered
 * per conversation in this process.
 */
export class Conversations {
  private readonly calls: StoreCalls;
  private readonly queues: SerialQueues;
  private readonly timer: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly settings: OutcomeSettings,
    private readonly metrics: OutcomeMetrics,
    private readonly guard: Guard,
    private readonly now: () => number = Date.now,
  ) {
    this.calls = new StoreCalls({ timeoutMs: settings.storeTimeoutMs, maxPending: settings.maxPendingStoreCalls }, (reason) =>
      metrics.storeError(reason),
    );
    this.queues = new SerialQueues(settings.maxPendingStoreCalls, () => metrics.storeError("overflow"), guard);
    this.timer = setInterval(() => void this.sweep(), settings.sweepIntervalMs);
    this.timer.unref();
  }

  /** Every outcome name that may be recorded. */
  get names(): ReadonlySet<string> {
    return this.settings.names;
  }

  /** A root agent run started: one more turn of its conversation. */
  turnStarted(root: RootState): void {
    if (!tracked(root)) return;
    const span = root.span?.spanContext();
    const conversation = root.conversationId;
    const agent = root.agent;
    const ttl = this.settings.conversationTtlMs;
    if (span !== undefined && isSpanContextValid(span)) {
      const trace: TraceState = { conversation: conversation ?? `trace:${span.traceId}`, agent };
      void this.calls.run(() => this.settings.store.setJson(traceKey(span.traceId), trace, ttl));
    }
    // A run without a thread id is a conversation of one turn: it has an outcome only when one is recorded.
    if (conversation === undefined) return;
    const atMs = this.now();
    this.queues.add(conversation, async () => {
      const store = this.settings.store;
      const state = await this.calls.run(() => store.getJson<ConversationState>(conversationKey(conversation)));
      if (state === FAILED) return; // writing now could overwrite turns another replica counted
      const next: ConversationState = { agent, turns: (state?.turns ?? 0) + 1, lastMs: atMs };
      if (state?.outcome !== undefined) next.outcome = state.outcome;
      await this.calls.run(() => store.setJson(conversationKey(conversation), next, ttl));
      if (next.outcome === undefined) await this.calls.run(() => store.touch(IDLE_INDEX, conversation, atMs));
    });
  }

  /** A root agent run ended: its conversation was active until now. */
  turnEnded(root: RootState): void {
    const conversation = root.conversationId;
    if (!tracked(root) || conversation === undefined) return;
    const atMs = this.now();
    this.queues.add(conversation, async () => {
      await this.calls.run(() => this.settings.store.touch(IDLE_INDEX, conversation, atMs));
    });
  }

  /** A tool run ended; a marked escalation tool that succeeded escalates the conversation. */
  toolEnded(root: RootState, tool: string, failed: boolean): void {
    if (failed || !tracked(root) || !this.settings.escalationTools.has(tool)) return;
    const span = root.span?.spanContext();
    const conversation = root.conversationId ?? (span !== undefined && isSpanContextValid(span) ? `trace:${span.traceId}` : undefined);
    if (conversation === undefined) return;
    const agent = root.agent;
    this.queues.add(conversation, async () => {
      await this.decide(conversation, "escalated", agent);
    });
  }

  /** Records `outcome` for a conversation found by thread id or by the trace of one of its turns. */
  record(ref: { threadId?: string | undefined; traceId?: string | undefined }, outcome: string): Promise<OutcomeResult> {
    return new Promise<OutcomeResult>((resolve) => {
      const run = async () => {
        const store = this.settings.store;
        let conversation = ref.threadId;
        let agent: string | undefined;
        if (conversation === undefined) {
          const trace = await this.calls.run(() => store.getJson<TraceState>(traceKey((ref.traceId ?? "").toLowerCase())));
          if (trace === FAILED || trace === undefined) return resolve({ status: "unknown" });
          ({ conversation, agent } = trace);
        } else {
          const state = await this.calls.run(() => store.getJson<ConversationState>(conversationKey(conversation as string)));
          if (state === FAILED || state === undefined) return resolve({ status: "unknown", conversation });
        }
        const id = conversation;
        // Decided in the conversation's queue, after the turns this process is still writing.
        const queued = this.queues.add(id, async () => resolve({ status: await this.decide(id, outcome, agent), conversation: id }));
        if (!queued) resolve({ status: "unknown", conversation: id });
      };
      run().catch((error: unknown) => {
        this.guard.report("recordOutcome", error);
        resolve({ status: "unknown" });
      });
    });
  }

  /** Counts conversations idle past `abandonAfterMs` as abandoned (each once, whichever replica claims it). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const store = this.settings.store;
      const before = this.now() - this.settings.abandonAfterMs;
      const idle = await this.calls.run(() => store.idle(IDLE_INDEX, before, SWEEP_BATCH));
      if (idle === FAILED) return;
      for (const conversation of idle) {
        this.queues.add(conversation, async () => {
          const state = await this.calls.run(() => store.getJson<ConversationState>(conversationKey(conversation)));
          if (state === FAILED) return;
          // Expired, decided, or active again since the index was read: nothing to abandon.
          if (state === undefined || state.outcome !== undefined) {
            await this.calls.run(() => store.forget(IDLE_INDEX, conversation));
            return;
          }
          if (state.lastMs >= this.now() - this.settings.abandonAfterMs) return;
          await this.decide(conversation, "abandoned", state.agent);
        });
      }
    } catch (error) {
      this.guard.report("outcomes.sweep", error);
    } finally {
      this.sweeping = false;
    }
  }

  /** Resolves when no store call or queued conversation update is pending (tests, graceful shutdown). */
  async idle(): Promise<void> {
    await this.queues.idle();
    await this.calls.idle();
  }

  /** Stops the abandonment sweeper. */
  close(): void {
    clearInterval(this.timer);
  }

  /**
   * Decides a conversation's outcome unless one was decided before (on any replica): the claim
   * makes exactly one caller count it. The turns come from the conversation's state (1 for a
   * single run without a thread id).
   */
  private async decide(conversation: string, outcome: string, agentHint: string | undefined): Promise<OutcomeResult["status"]> {
    const store = this.settings.store;
    const ttl = this.settings.conversationTtlMs;
    const won = await this.calls.run(() => store.claim(outcomeKey(conversation), ttl));
    if (won === FAILED) return "unknown";
    if (!won) return "already-decided";
    const state = await this.calls.run(() => store.getJson<ConversationState>(conversationKey(conversation)));
    const known = state === FAILED ? undefined : state;
    const agent = known?.agent ?? agentHint ?? "";
    this.metrics.decided(agent, outcome, Math.max(known?.turns ?? 1, 1));
    if (known !== undefined) await this.calls.run(() => store.setJson(conversationKey(conversation), { ...known, outcome }, ttl));
    await this.calls.run(() => store.forget(IDLE_INDEX, conversation));
    return "counted";
  }
}

/** Canary (synthetic) traffic and agentwatch's own evaluator runs have no outcomes. */
function tracked(root: RootState): boolean {
  return root.synthetic !== true && root.agent !== EVALUATOR_AGENT;
}
