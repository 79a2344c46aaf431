/** A webhook receiver for Alertmanager on 127.0.0.1: records every notification, by path. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { startMetricsServer } from "../../../test-support/prometheus.js";
import { compressAlertmanagerConfig, PROMETHEUS_DIR } from "../../src/index.js";

export interface NotifiedAlert {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
}

/** One webhook notification as Alertmanager sends it (version 4 payload). */
export interface Notification {
  path: string;
  receivedAt: number;
  receiver: string;
  status: string;
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
}

export interface WebhookRecorder {
  url: string;
  notifications: Notification[];
  /** Firing alerts received on `path` (e.g. "/pager"). */
  firing(path?: string): (NotifiedAlert & { path: string; receiver: string })[];
  close(): Promise<void>;
}

export async function startWebhookRecorder(): Promise<WebhookRecorder> {
  const notifications: Notification[] = [];
  const server = await startMetricsServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Omit<Notification, "path" | "receivedAt">;
    notifications.push({ ...body, path: req.url ?? "", receivedAt: Date.now() });
    res.statusCode = 200;
    res.end("ok");
  });
  return {
    url: server.url,
    notifications,
    firing: (path) =>
      notifications
        .filter((n) => path === undefined || n.path === path)
        .flatMap((n) => n.alerts.filter((a) => a.status === "firing").map((a) => ({ ...a, path: n.path, receiver: n.receiver }))),
    close: () => server.close(),
  };
}

/** prometheus/alertmanager.yml, time-compressed, with the pager and chat receivers posting to `/pager` and `/chat` of `webhookBase`. */
export async function testAlertmanagerConfig(webhookBase: string, timeScale: number): Promise<string> {
  const text = await readFile(join(PROMETHEUS_DIR, "alertmanager.yml"), "utf8");
  return compressAlertmanagerConfig(text, { timeScale, webhooks: { pager: `${webhookBase}/pager`, chat: `${webhookBase}/chat` } });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
