import type { AddressInfo } from "node:net";

import express from "express";
import { describe, expect, it } from "vitest";

import { mountAlertsInbox, parseAlertmanagerWebhook } from "../src/alerts-inbox.js";

const notification = {
  version: "4",
  receiver: "pager",
  status: "firing",
  alerts: [
    {
      status: "firing",
      labels: { alertname: "AgentErrorRateHigh", severity: "critical", agent: "acme-support" },
      annotations: { summary: "Agent error rate above 5 %", description: "12.5 % of acme-support runs failed <b>" },
    },
  ],
};

describe("alerts inbox", () => {
  it("keeps what Alertmanager posts and lists it as JSON and HTML", async () => {
    const app = express();
    mountAlertsInbox(app);
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const posted = await fetch(`${base}/alerts/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(notification),
      });
      expect(posted.status).toBe(202);
      const json = (await (await fetch(`${base}/alerts`)).json()) as {
        alerts: { alertname: string; severity: string; receiver: string }[];
      };
      expect(json.alerts).toMatchObject([{ alertname: "AgentErrorRateHigh", severity: "critical", receiver: "pager" }]);
      const html = await (await fetch(`${base}/alerts`, { headers: { accept: "text/html" } })).text();
      expect(html).toContain("AgentErrorRateHigh");
      expect(html).toContain("&lt;b&gt;");
      const bad = await fetch(`${base}/alerts/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ receiver: "x", alerts: [{}] }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^alerts\[0\]\.labels/);
    } finally {
      server.close();
    }
  });

  it("names the field of a malformed notification", () => {
    expect(() => parseAlertmanagerWebhook(null)).toThrow(/^body/);
    expect(() => parseAlertmanagerWebhook({ alerts: [] })).toThrow(/^receiver/);
    expect(() => parseAlertmanagerWebhook({ receiver: "chat" })).toThrow(/^alerts/);
  });
});
