import type { SharedStore } from "../state/types.js";
import { fail, option, positiveInt, record } from "../util/validate.js";
import type { OutcomeSettings } from "./conversations.js";
import { BUILT_IN_OUTCOMES } from "./types.js";

/** An outcome name: a short label value. */
const NAME = /^[a-z][a-z0-9_]{0,31}$/;
/** Configured outcome names kept at most (each is a label value). */
const MAX_NAMES = 20;
const KNOWN = [
  "names",
  "escalationTools",
  "abandonAfterMs",
  "sweepIntervalMs",
  "store",
  "storeTimeoutMs",
  "maxPendingStoreCalls",
  "conversationTtlMs",
];

/** Validates `options.outcomes` and fills in defaults; undefined when outcomes are off. */
export function checkOutcomes(outcomes: unknown, handlerStore: SharedStore): OutcomeSettings | undefined {
  if (outcomes === undefined) return undefined;
  const o = record(option("outcomes"), outcomes, { fix: 'pass e.g. { escalationTools: ["create_ticket"], abandonAfterMs: 1800000 }' });
  const unknown = Object.keys(o).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) fail(option(`outcomes.${unknown[0]}`), { problem: "is not an outcome option", fix: `use ${KNOWN.join(", ")}` });
  const names = new Set<string>(BUILT_IN_OUTCOMES);
  for (const name of list("outcomes.names", o.names, 'pass e.g. ["refunded"]')) {
    if (!NAME.test(name))
      fail(option("outcomes.names"), {
        problem: `has ${JSON.stringify(name)}, which is not an outcome name (lowercase letters, digits and _, at most 32)`,
        fix: 'pass e.g. ["refunded", "booked"]',
      });
    names.add(name);
  }
  if (names.size > BUILT_IN_OUTCOMES.length + MAX_NAMES)
    fail(option("outcomes.names"), {
      problem: `has more than ${MAX_NAMES} names (each is a label value)`,
      fix: "keep the outcome set small",
    });
  const abandonAfterMs = positiveInt(option("outcomes.abandonAfterMs"), o.abandonAfterMs, {
    fallback: 30 * 60_000,
    fix: "pass e.g. 1800000 (30 min)",
  });
  const store = o.store;
  if (store !== undefined && !isStore(store))
    fail(option("outcomes.store"), {
      problem: "is not a SharedStore (getJson, setJson, claim, touch, idle, forget)",
      fix: "pass a MemoryStore or a Redis store, or leave it out",
    });
  return {
    names,
    escalationTools: new Set(list("outcomes.escalationTools", o.escalationTools, 'pass e.g. ["create_ticket"]')),
    abandonAfterMs,
    sweepIntervalMs: positiveInt(option("outcomes.sweepIntervalMs"), o.sweepIntervalMs, {
      fallback: Math.max(10, Math.min(60_000, Math.floor(abandonAfterMs / 4))),
      fix: "pass e.g. 60000 or leave it out",
    }),
    store: store ?? handlerStore,
    storeTimeoutMs: positiveInt(option("outcomes.storeTimeoutMs"), o.storeTimeoutMs, { fallback: 2000, fix: "pass e.g. 2000" }),
    maxPendingStoreCalls: positiveInt(option("outcomes.maxPendingStoreCalls"), o.maxPendingStoreCalls, {
      fallback: 1000,
      fix: "pass e.g. 1000",
    }),
    conversationTtlMs: positiveInt(option("outcomes.conversationTtlMs"), o.conversationTtlMs, {
      fallback: 7 * 24 * 3_600_000,
      fix: "pass e.g. 604800000 (7 days)",
    }),
  };
}

function list(field: string, value: unknown, fix: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === ""))
    fail(option(field), { problem: `must be a list of non-empty strings, got ${JSON.stringify(value)}`, fix });
  return value as string[];
}

function isStore(value: unknown): value is OutcomeSettings["store"] {
  const s = value as Record<string, unknown> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    ["getJson", "setJson", "claim", "touch", "idle", "forget"].every((m) => typeof s[m] === "function")
  );
}
