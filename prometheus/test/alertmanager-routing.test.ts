/**
 * prometheus/alertmanager.yml in a real Alertmanager (timers 60 times shorter): alerts posted to
 * its API reach the pager or chat webhook by severity, info alerts notify nobody, notifications
 * are grouped by alert name and agent, and a critical alert holds back its warning sibling.
 */
import { afterAll, describe, expect, it } from "vitest";

import { type Alertmanager, startAlertmanager } from "../../test-support/prometheus.js";
import { sleep, startWebhookRecorder, testAlertmanagerConfig, type WebhookRecorder } from "./support/webhooks.js";

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
  receivers: { name: string }[];
}

describe("alertmanager.yml routing", { timeout: 60_000 }, () => {
  let webhooks: WebhookRecorder | undefined;
  let alertmanager: Alertmanager | undefined;
  let setup: Promise<{ am: Alertmanager; hooks: WebhookRecorder }> | undefined;
  /** Set up inside the first test (a failing beforeAll would mark the tests skipped, not failed). */
  const ready = () =>
    (setup ??= (async () => {
      webhooks = await startWebhookRecorder();
      alertmanager = await startAlertmanager({ config: await testAlertmanagerConfig(webhooks.url, 60) });
      const hooks = webhooks;
      const am = alertmanager;
      const alert = (labels: Record<string, string>) => ({
        labels,
        annotations: { summary: "test", description: "test" },
        startsAt: new Date().toISOString(),
      });
      const res = await fetch(`${am.url}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([
          alert({ alertname: "AgentErrorRateHigh", agent: "a", severity: "critical" }),
          alert({ alertname: "AgentToolLoop", agent: "a", tool: "lookup_order", severity: "warning" }),
          alert({ alertname: "AgentToolLoop", agent: "a", tool: "refund_policy", severity: "warning" }),
          alert({ alertname: "AgentResponseLengthShift", agent: "a", model: "m", severity: "info" }),
          alert({ alertname: "AgentLatencyBudgetBurn", agent: "a", severity: "critical", long_window: "1h", short_window: "5m" }),
          alert({ alertname: "AgentLatencyBudgetBurn", agent: "a", severity: "warning", long_window: "3d", short_window: "6h" }),
          alert({ alertname: "AgentLatencyBudgetBurn", agent: "b", severity: "warning", long_window: "3d", short_window: "6h" }),
          alert({ alertname: "AgentDailyBudget", scope: "global", budget: "global", severity: "critical", threshold: "100%" }),
          alert({ alertname: "AgentDailyBudget", scope: "global", budget: "global", severity: "warning", threshold: "80%" }),
          alert({
            alertname: "AgentDailyBudget",
            scope: "feature",
            budget: "orders",
            feature: "orders",
            severity: "warning",
            threshold: "80%",
          }),
        ]),
      });
      expect(res.status, await res.text()).toBe(200);
      // group_wait is 500 ms; wait until every group that should notify has.
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && hooks.notifications.length < 5) await sleep(100);
      await sleep(1_500);
      return { am, hooks };
    })());

  afterAll(async () => {
    await alertmanager?.stop();
    await webhooks?.close();
  });

  const key = (a: { labels: Record<string, string> }) => `${a.labels.alertname} ${a.labels.agent ?? a.labels.budget} ${a.labels.severity}`;

  it("sends critical alerts to the pager and warnings to chat, grouped by alert name and agent", async () => {
    const { hooks } = await ready();
    expect(hooks.firing("/pager").map(key).sort()).toEqual([
      "AgentDailyBudget global critical",
      "AgentErrorRateHigh a critical",
      "AgentLatencyBudgetBurn a critical",
    ]);
    expect(hooks.firing("/chat").map(key).sort()).toEqual([
      "AgentDailyBudget orders warning",
      "AgentLatencyBudgetBurn b warning",
      "AgentToolLoop a warning",
      "AgentToolLoop a warning",
    ]);
    const toolLoop = hooks.notifications.filter((n) => n.groupLabels.alertname === "AgentToolLoop");
    expect(toolLoop, "both tool-loop alerts of agent a in one notification").toHaveLength(1);
    expect(toolLoop[0]?.alerts).toHaveLength(2);
    expect(new Set(hooks.notifications.map((n) => n.receiver))).toEqual(new Set(["pager", "chat"]));
  });

  it("notifies nobody of info alerts (the dashboard receiver)", async () => {
    const { am, hooks } = await ready();
    expect(hooks.firing().filter((a) => a.labels.severity === "info")).toEqual([]);
    const alerts = (await am.alerts()) as unknown as AmAlert[];
    const info = alerts.find((a) => a.labels.alertname === "AgentResponseLengthShift");
    expect(info?.receivers.map((r) => r.name)).toEqual(["dashboard"]);
  });

  it("holds back a warning while the critical alert of the same name and agent (or budget) fires", async () => {
    const { am } = await ready();
    const alerts = (await am.alerts()) as unknown as AmAlert[];
    const state = (alertname: string, who: string, severity: string) =>
      alerts.find((a) => a.labels.alertname === alertname && (a.labels.agent ?? a.labels.budget) === who && a.labels.severity === severity)
        ?.status.state;
    expect(state("AgentLatencyBudgetBurn", "a", "warning")).toBe("suppressed");
    expect(state("AgentLatencyBudgetBurn", "b", "warning")).toBe("active");
    expect(state("AgentDailyBudget", "global", "warning")).toBe("suppressed");
    expect(state("AgentDailyBudget", "orders", "warning")).toBe("active");
  });
});
