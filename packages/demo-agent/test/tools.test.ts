import { describe, expect, it } from "vitest";
import { createSupportTools, createTicket, lookupOrder, OrderServiceError, refundPolicy, supportTools } from "../src/index.js";

describe("support tools", () => {
  it("exports the three tools, in order", () => {
    expect(supportTools.map((t) => t.name)).toEqual(["lookup_order", "refund_policy", "create_ticket"]);
    expect(supportTools).toEqual([lookupOrder, refundPolicy, createTicket]);
  });

  it("looks orders up deterministically", async () => {
    expect(JSON.parse(await lookupOrder.invoke({ orderId: "ab-1234" }))).toMatchObject({
      orderId: "AB-1234",
      status: "shipped",
      carrier: "UPS",
    });
    expect(JSON.parse(await lookupOrder.invoke({ orderId: "ZZ-0001" }))).toEqual({ orderId: "ZZ-0001", status: "not_found" });
  });

  it("throws an OrderServiceError for ERR-500", async () => {
    const failure = lookupOrder.invoke({ orderId: "ERR-500" });
    await expect(failure).rejects.toBeInstanceOf(OrderServiceError);
    await expect(lookupOrder.invoke({ orderId: "ERR-500" })).rejects.toMatchObject({
      name: "OrderServiceError",
      message: "order service unavailable",
    });
  });

  it("returns a refund policy and a ticket id", async () => {
    expect(await refundPolicy.invoke({ topic: "refund" })).toContain("30 days");
    const ticket = JSON.parse(await createTicket.invoke({ summary: "blender broken" })) as { ticketId: string };
    expect(ticket.ticketId).toMatch(/^T-\d{4}$/);
    expect(JSON.parse(await createTicket.invoke({ summary: "blender broken" }))).toEqual(ticket);
  });

  it("waits delayMs inside each tool body and calls onCall first", async () => {
    const calls: string[] = [];
    const [order] = createSupportTools({ delayMs: 30, onCall: (name, input) => void calls.push(`${name} ${JSON.stringify(input)}`) });
    const start = performance.now();
    await order.invoke({ orderId: "AB-1234" });
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
    expect(calls).toEqual(['lookup_order {"orderId":"AB-1234"}']);
  });
});
