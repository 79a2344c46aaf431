import { OrderServiceError } from "./errors.js";

/** One row of the in-memory order table. */
export interface OrderRecord {
  orderId: string;
  status: "processing" | "shipped" | "delivered" | "cancelled" | "not_found";
  carrier?: string;
  trackingNumber?: string;
  estimatedDelivery?: string;
}

/** The order id that makes the simulated order service fail. */
export const FAILING_ORDER_ID = "ERR-500";

const orders: ReadonlyMap<string, OrderRecord> = new Map(
  [
    { orderId: "AB-1234", status: "shipped", carrier: "UPS", trackingNumber: "1Z999AA10123456784", estimatedDelivery: "2026-11-04" },
    { orderId: "CD-5678", status: "processing", estimatedDelivery: "2026-11-09" },
    { orderId: "EF-9012", status: "delivered", carrier: "DHL", trackingNumber: "JD014600006281230001", estimatedDelivery: "2026-10-28" },
    { orderId: "GH-3456", status: "cancelled" },
  ].map((o) => [o.orderId, o as OrderRecord]),
);

/**
 * Looks an order up in the in-memory table. Unknown ids get status "not_found".
 * @throws OrderServiceError for {@link FAILING_ORDER_ID}.
 */
export function findOrder(orderId: string): OrderRecord {
  const id = orderId.trim().toUpperCase();
  if (id === FAILING_ORDER_ID) throw new OrderServiceError();
  return orders.get(id) ?? { orderId: id, status: "not_found" };
}
