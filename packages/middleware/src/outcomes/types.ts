import type { SharedStore } from "../state/types.js";

/** The outcomes agentwatch knows without configuration. */
export const BUILT_IN_OUTCOMES = ["resolved", "escalated", "abandoned", "converted"] as const;

/** An outcome of a conversation: a built-in one or a name from `outcomes.names`. */
export type ConversationOutcome = (typeof BUILT_IN_OUTCOMES)[number] | (string & {});

/** Options of conversation outcomes (`AgentWatchOptions.outcomes`). Setting it turns them on. */
export interface OutcomeOptions {
  /** Outcome names besides resolved, escalated, abandoned and converted (each a label value). Default: none. */
  names?: string[];
  /** Tools whose successful call means the agent handed the conversation to a human: it is `escalated`. Default: none. */
  escalationTools?: string[];
  /** A conversation idle this long without an outcome is `abandoned`. Default: 1800000 (30 min). */
  abandonAfterMs?: number;
  /** How often idle conversations are looked for. Default: a quarter of `abandonAfterMs`, at most 60000. */
  sweepIntervalMs?: number;
  /** Where conversation state lives. Default: a new in-process `MemoryStore` (one replica, lost at restart). */
  store?: SharedStore;
  /** A store call slower than this is given up (counted in `agentwatch_outcome_store_errors_total`). Default: 2000. */
  storeTimeoutMs?: number;
  /** Store calls waiting or running at most; more are dropped and counted. Default: 1000. */
  maxPendingStoreCalls?: number;
  /** How long a conversation's state is kept after its last turn. Default: 7 days. */
  conversationTtlMs?: number;
}

/** What {@link AgentWatchHandler.recordOutcome} takes: the conversation, by thread id or by a trace of one of its turns. */
export type OutcomeRecord =
  | { threadId: string; traceId?: undefined; outcome: ConversationOutcome }
  | { traceId: string; threadId?: undefined; outcome: ConversationOutcome };

/** What became of a recorded outcome. */
export interface OutcomeResult {
  /**
   * `counted`: this call decided the conversation's outcome. `already-decided`: an outcome was
   * decided before (the first decision wins: a conversation is counted once). `unknown`: no turn
   * of that conversation or trace is known (never seen, expired, or the store failed).
   */
  status: "counted" | "already-decided" | "unknown";
  /** The conversation (its thread id; `trace:<id>` for a single run without one). */
  conversation?: string;
}
