import express, { type Express, type Request, type Response } from "express";

/** One alert of an Alertmanager webhook notification, as the demo keeps it. */
export interface ReceivedAlert {
  receivedAt: string;
  receiver: string;
  status: string;
  alertname: string;
  severity: string;
  labels: Record<string, string>;
  summary: string;
  description: string;
}

const MAX_KEPT = 200;

function strings(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Validates an Alertmanager webhook body (version 4); errors name the field. */
export function parseAlertmanagerWebhook(body: unknown, now = new Date()): ReceivedAlert[] {
  const b = body as { receiver?: unknown; alerts?: unknown } | null;
  if (typeof b !== "object" || b === null)
    throw new Error('body: expected the JSON object Alertmanager posts ({"receiver", "status", "alerts": [...]})');
  if (typeof b.receiver !== "string") throw new Error("receiver: expected a string (the Alertmanager receiver name)");
  if (!Array.isArray(b.alerts)) throw new Error("alerts: expected an array of alerts");
  return b.alerts.map((raw: unknown, i: number) => {
    const a = raw as { status?: unknown; labels?: unknown; annotations?: unknown } | null;
    const labels = strings(a?.labels);
    if (labels === undefined || typeof labels.alertname !== "string")
      throw new Error(`alerts[${i}].labels: expected an object with an alertname`);
    const annotations = strings(a?.annotations) ?? {};
    return {
      receivedAt: now.toISOString(),
      receiver: b.receiver as string,
      status: typeof a?.status === "string" ? a.status : "firing",
      alertname: labels.alertname,
      severity: labels.severity ?? "",
      labels,
      summary: annotations.summary ?? "",
      description: annotations.description ?? "",
    };
  });
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);

/**
 * The pages and chat messages Alertmanager sends in the local stack (its pager and chat receivers
 * post to `POST /alerts/webhook`), newest first, bounded, listed at `GET /alerts` (HTML for a
 * browser, JSON otherwise): paging is visible without PagerDuty or Slack accounts.
 */
export function mountAlertsInbox(app: Express): { received: () => readonly ReceivedAlert[] } {
  const kept: ReceivedAlert[] = [];
  app.post("/alerts/webhook", express.json({ limit: "1mb" }), (req: Request, res: Response) => {
    try {
      const alerts = parseAlertmanagerWebhook(req.body);
      kept.unshift(...alerts.reverse());
      kept.length = Math.min(kept.length, MAX_KEPT);
      res.status(202).json({ received: alerts.length });
    } catch (error) {
      res.status(400).json({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  app.get("/alerts", (req: Request, res: Response) => {
    if (!req.accepts(["json", "html"]) || req.accepts(["json", "html"]) === "json") {
      res.json({ alerts: kept });
      return;
    }
    const rows = kept
      .map(
        (a) =>
          `<tr><td>${escape(a.receivedAt)}</td><td>${escape(a.receiver)}</td><td>${escape(a.status)}</td><td>${escape(a.severity)}</td><td>${escape(a.alertname)}</td><td>${escape(a.summary)}</td><td>${escape(a.description)}</td></tr>`,
      )
      .join("\n");
    res
      .type("html")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pages received</title></head><body><h1>Pages and chat messages from Alertmanager</h1><table><thead><tr><th>received</th><th>receiver</th><th>status</th><th>severity</th><th>alert</th><th>summary</th><th>description</th></tr></thead><tbody>${rows}</tbody></table></body></html>`,
      );
  });
  return { received: () => kept };
}
