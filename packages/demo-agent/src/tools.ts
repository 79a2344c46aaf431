import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { findOrder } from "./orders.js";
import { sleep } from "./sleep.js";
import { stableHash } from "./stable-hash.js";

/** Options of {@link createSupportTools}. */
export interface SupportToolsOptions {
  /** A real delay inside every tool body, in milliseconds. Default 0. */
  delayMs?: number;
  /** Awaited at the start of every tool body, inside the tool run (e.g. to start a span as a DB client would). */
  onCall?: (toolName: string, input: Record<string, unknown>) => void | Promise<void>;
}

const REFUND_POLICIES: Readonly<Record<string, string>> = {
  refund: "Refunds are accepted within 30 days of delivery and go back to the original payment method within 5-7 business days.",
  damaged: "Damaged items are refunded in full, shipping included, when reported with a photo within 14 days.",
  exchange: "Exchanges are free within 30 days: start a return from the Orders page and pick the replacement item.",
};

/** The `lookup_order` tool: status and shipping info of an order; fails for order "ERR-500". */
export function createLookupOrderTool(options: SupportToolsOptions = {}) {
  return tool(
    async ({ orderId }, config) => {
      await options.onCall?.("lookup_order", { orderId });
      await sleep(options.delayMs ?? 0, config?.signal);
      return JSON.stringify(findOrder(orderId));
    },
    {
      name: "lookup_order",
      description: "Look up the status and shipping information of an order by its id, e.g. AB-1234.",
      schema: z.object({ orderId: z.string().describe("The order id, e.g. AB-1234") }),
    },
  );
}

/** The `refund_policy` tool: the refund policy for a topic (refund, damaged, exchange). */
export function createRefundPolicyTool(options: SupportToolsOptions = {}) {
  return tool(
    async ({ topic }, config) => {
      await options.onCall?.("refund_policy", { topic });
      await sleep(options.delayMs ?? 0, config?.signal);
      return REFUND_POLICIES[topic.toLowerCase()] ?? REFUND_POLICIES.refund ?? "";
    },
    {
      name: "refund_policy",
      description: "Get Acme's refund policy for a topic: refund, damaged or exchange.",
      schema: z.object({ topic: z.string().describe("The policy topic, e.g. refund") }),
    },
  );
}

/** The `create_ticket` tool: opens a support ticket; its id is derived from the summary. */
export function createTicketTool(options: SupportToolsOptions = {}) {
  return tool(
    async ({ summary }, config) => {
      await options.onCall?.("create_ticket", { summary });
      await sleep(options.delayMs ?? 0, config?.signal);
      const n = 1000 + (Number.parseInt(stableHash(summary, 8), 16) % 9000);
      return JSON.stringify({ ticketId: `T-${n}` });
    },
    {
      name: "create_ticket",
      description: "Open a support ticket so that a human agent follows up.",
      schema: z.object({ summary: z.string().describe("A short summary of the customer's problem") }),
    },
  );
}

/** The three Acme support tools, in this order. */
export type SupportTools = [
  ReturnType<typeof createLookupOrderTool>,
  ReturnType<typeof createRefundPolicyTool>,
  ReturnType<typeof createTicketTool>,
];

/** Creates fresh `lookup_order`, `refund_policy` and `create_ticket` tools sharing `options`. */
export function createSupportTools(options: SupportToolsOptions = {}): SupportTools {
  return [createLookupOrderTool(options), createRefundPolicyTool(options), createTicketTool(options)];
}

/** The default support tools (no delay, no hook). */
export const supportTools: SupportTools = createSupportTools();

/** The default `lookup_order` tool (the first of {@link supportTools}). */
export const lookupOrder = supportTools[0];
/** The default `refund_policy` tool (the second of {@link supportTools}). */
export const refundPolicy = supportTools[1];
/** The default `create_ticket` tool (the third of {@link supportTools}). */
export const createTicket = supportTools[2];
