/**
 * End to end: demo agents (one per incident, plus a control agent that stays healthy) under load,
 * scraped by a real Prometheus that evaluates a time-compressed copy of the rules (every window,
 * offset and `for` 60 times shorter, latency thresholds divided by the demo's speed, generated from
 * prometheus/src), alerting a real Alertmanager running prometheus/alertmanager.yml (timers 60
 * times shorter) whose pager and chat receivers post to a local webhook.
 *
 * Normal traffic first: nothing fires, nothing notifies. Then each incident starts on its own
 * agent, and its alert must reach the webhook of its severity within a bounded time, while the
 * control agent and every alert the incident does not explain stay quiet. The guardrail storm runs
 * against its own Prometheus: guardrail checks carry no agent label, so a storm in one agent
 * among seven would be diluted by the others' traffic.
 */
import { setMaxListeners } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";

import { loadDemoCanaries } from "../../packages/demo-agent/src/demo-canaries.js";
import { createDemoHandler, IncidentController, type IncidentName } from "../../packages/demo-agent/src/index.js";
import { runLoad } from "../../packages/demo-agent/src/load-runner.js";
import type { LoadSummary } from "../../packages/demo-agent/src/load-stats.js";
import { createApp } from "../../packages/demo-agent/src/server.js";
import { type Alertmanager, type Prometheus, startAlertmanager, startPrometheus } from "../../test-support/prometheus.js";
import { buildRules, PROMETHEUS_DIR, ruleFileTexts, SEVERITY, type Severity } from "../src/index.js";
import { type NotifiedAlert, sleep, startWebhookRecorder, testAlertmanagerConfig, type WebhookRecorder } from "./support/webhooks.js";

/** Rules and Alertmanager timers run 60 times faster: an hour is a minute, 7 days are 2h48m. */
const TIME_SCALE = 60;
/** The demo agents run with --speed 4 (every simulated delay 4 times shorter); latency thresholds follow. */
const SPEED = 4;
/** Normal traffic before the incidents start: longer than the compressed baseline offset (1 h → 60 s) the baseline alerts need. */
const BASELINE_MS = 75_000;
/** How long after the incidents start every expected alert must have reached its webhook. */
const DETECT_MS = 150_000;
/** Requests per second sent to each agent. */
const RPS = 1.2;

const PATH_OF: Record<Severity, string | undefined> = { critical: "/pager", warning: "/chat", info: undefined };

interface Expected {
  alert: string;
  severity: Severity;
  /** Labels of an alert without an agent label that identify this incident's alert. */
  global?: Record<string, string>;
}

interface Scenario {
  incident: IncidentName | undefined;
  /** Prometheus instance ("world") the agent is scraped by. */
  world: "agents" | "guardrails";
  expected: Expected[];
  /** Other alerts the incident explains (side effects), allowed but not required: of its agent, or without an agent label. */
  allowed: (string | { alert: string; global: Record<string, string> })[];
  /** Runs the demo's canaries (every CANARY_INTERVAL_MS); the others do not, to keep the machine's load down. */
  canaries?: boolean;
  /** Tests drift (the demo's settings, every 5 s); the others do not, for the same reason. */
  drift?: boolean;
  /** Requests per second to this agent, when not {@link RPS}. */
  rps?: number;
}

/** Canary rounds on the agents that run them: well inside the compressed stale window (30 m → 30 s). */
const CANARY_INTERVAL_MS = 5_000;

const SCENARIOS: Scenario[] = [
  { incident: undefined, world: "agents", expected: [], allowed: [], canaries: true, drift: true },
  {
    incident: "latency-spike",
    world: "agents",
    expected: [
      { alert: "AgentLatencyP99High", severity: SEVERITY.warning },
      { alert: "AgentLatencyBudgetBurn", severity: SEVERITY.critical },
      { alert: "AgentTTFTP95High", severity: SEVERITY.warning },
      { alert: "AgentTTFTBudgetBurn", severity: SEVERITY.critical },
    ],
    // Slow runs mean fewer evaluations per (compressed) hour, near the rule's minimum of 10, where
    // the mean relevance of whichever questions were sampled can dip 10 % by chance (seen once).
    allowed: ["AgentEvalScoreDrop"],
  },
  {
    incident: "stream-stall",
    world: "agents",
    expected: [{ alert: "AgentTimeBetweenTokensHigh", severity: SEVERITY.warning }],
    // The stall (0.5 s at speed 4) lengthens every streamed run.
    allowed: ["AgentLatencyP99High", "AgentLatencyBudgetBurn"],
    // The alert needs 100 chunk gaps in its (compressed) 5-second window; about 21 a request.
    rps: 2.5,
  },
  {
    incident: "error-burst",
    world: "agents",
    expected: [
      { alert: "AgentErrorRateHigh", severity: SEVERITY.critical },
      { alert: "AgentAvailabilityBudgetBurn", severity: SEVERITY.critical },
      // A 429 is retried once: about 19 % of chat calls are throttled.
      { alert: "AgentProviderThrottled", severity: SEVERITY.warning },
    ],
    allowed: ["AgentTaskCompletionLow"],
  },
  {
    incident: "tool-loop",
    world: "agents",
    expected: [{ alert: "AgentToolLoop", severity: SEVERITY.warning }],
    // Looping runs end at the recursion limit (errors) with tool-call-only, empty answers.
    allowed: [
      "AgentTaskCompletionLow",
      "AgentErrorRateHigh",
      "AgentAvailabilityBudgetBurn",
      "AgentResponseLengthShift",
      "AgentEvalScoreDrop",
      "AgentNegativeFeedbackHigh",
    ],
  },
  {
    incident: "cost-runaway",
    world: "agents",
    expected: [{ alert: "AgentCostPerHourHigh", severity: SEVERITY.warning }],
    // Four model calls over huge prompts per run: slower runs, and the answers drift off the question.
    allowed: [
      "AgentTaskCompletionLow",
      "AgentRunawaySpend",
      "AgentLatencyP99High",
      "AgentLatencyBudgetBurn",
      "AgentEvalScoreDrop",
      "AgentNegativeFeedbackHigh",
      "AgentResponseLengthShift",
    ],
  },
  {
    incident: "silent-model-update",
    world: "agents",
    expected: [
      {
        alert: "AgentModelFingerprintChanged",
        severity: SEVERITY.warning,
        global: { request_model: "acme-scripted-1", response_model: "acme-scripted-1-2027-04-27", fingerprint: "fp_acme_0427" },
      },
      // The new snapshot answers in ten words.
      { alert: "AgentResponseLengthShift", severity: SEVERITY.info },
      // ... so the canaries' facts past the tenth word go missing, twice in a row,
      { alert: "AgentCanaryFailing", severity: SEVERITY.critical },
      // ... and answer lengths and output tokens leave their reference distribution.
      { alert: "AgentOutputDrift", severity: SEVERITY.warning },
    ],
    allowed: ["AgentTaskCompletionLow", "AgentEvalScoreDrop", "AgentNegativeFeedbackHigh"],
    canaries: true,
    drift: true,
  },
  {
    incident: "prompt-drift",
    world: "agents",
    expected: [{ alert: "AgentPromptHashChanged", severity: SEVERITY.warning, global: { prompt: "acme-support-system", version: "v1" } }],
    allowed: [],
  },
  {
    incident: "prompt-regression",
    world: "agents",
    expected: [
      { alert: "AgentEvalScoreDrop", severity: SEVERITY.warning },
      // v1 stays in agentwatch_prompt_info for 15 minutes after v2 takes over.
      { alert: "AgentPromptVersionsLive", severity: SEVERITY.info, global: { prompt: "acme-support-system" } },
      // Short off-topic answers resolve fewer conversations (the load generator resolves only answers that state what was asked).
      { alert: "AgentTaskCompletionLow", severity: SEVERITY.warning },
    ],
    // Users unhappy, and v2's prefix is not cached.
    allowed: ["AgentNegativeFeedbackHigh", "AgentResponseLengthShift", "AgentPromptCacheHitRatioLow"],
  },
  {
    incident: "retrieval-degradation",
    world: "agents",
    expected: [{ alert: "AgentRetrievalLowScore", severity: SEVERITY.warning }],
    allowed: ["AgentTaskCompletionLow", "AgentEvalScoreDrop", "AgentNegativeFeedbackHigh"],
  },
  {
    incident: "cache-miss",
    world: "agents",
    // Info: it goes to the dashboard receiver and notifies nobody.
    expected: [{ alert: "AgentPromptCacheHitRatioLow", severity: SEVERITY.info }],
    allowed: [],
  },
  {
    incident: "topic-shift",
    world: "agents",
    expected: [{ alert: "AgentInputDrift", severity: SEVERITY.warning }],
    // Questions no article answers: low retrieval scores (none above the demo's minimum score, so
    // no document at all for most), answers that miss, unresolved conversations.
    allowed: [
      "AgentRetrievalLowScore",
      "AgentRetrievalNoDocuments",
      "AgentOutputDrift",
      "AgentTaskCompletionLow",
      "AgentEvalScoreDrop",
      "AgentNegativeFeedbackHigh",
      "AgentResponseLengthShift",
    ],
    drift: true,
  },
  {
    incident: "poisoned-document",
    world: "agents",
    // One answer in about 20 (the two-factor questions) quotes the poisoned article: the output guardrail blocks it.
    expected: [
      { alert: "AgentHarmfulOutputBlocked", severity: SEVERITY.critical, global: { guardrail: "harmful_content", stage: "output" } },
    ],
    allowed: ["AgentNegativeFeedbackHigh", "AgentTaskCompletionLow", "AgentEvalScoreDrop"],
  },
  {
    incident: "guardrail-storm",
    world: "guardrails",
    expected: [
      { alert: "AgentGuardrailBlockRatioHigh", severity: SEVERITY.warning, global: { guardrail: "prompt_injection", stage: "input" } },
    ],
    // Blocked and PII-laden questions get refusals: shorter answers, lower scores, unhappy users.
    allowed: ["AgentEvalScoreDrop", "AgentNegativeFeedbackHigh", "AgentResponseLengthShift"],
  },
];

const agentOf = (s: Scenario) => `acme-${s.incident ?? "control"}`;

interface Agent {
  scenario: Scenario;
  name: string;
  base: string;
  server: Server;
  close: () => Promise<void>;
}

/** Which scenario explains a firing alert, or undefined if none does. */
function explain(alert: { labels: Record<string, string> }, world: string | undefined): Scenario | undefined {
  const { alertname, agent } = alert.labels;
  if (agent !== undefined) {
    const s = SCENARIOS.find((x) => agentOf(x) === agent);
    if (s === undefined) return undefined;
    return s.expected.some((e) => e.alert === alertname) || s.allowed.includes(alertname ?? "") ? s : undefined;
  }
  const matches = (global: Record<string, string> | undefined, name: string) =>
    global !== undefined && name === alertname && Object.entries(global).every(([k, v]) => alert.labels[k] === v);
  return SCENARIOS.find(
    (s) =>
      (world === undefined || s.world === world) &&
      (s.expected.some((e) => matches(e.global, e.alert)) || s.allowed.some((a) => typeof a !== "string" && matches(a.global, a.alert))),
  );
}

function describeAlert(a: { labels: Record<string, string> }): string {
  const { alertname, severity, ...rest } = a.labels;
  return `${alertname}{severity=${severity}, ${Object.entries(rest)
    .filter(([k]) => !["alertstate", "__name__"].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(", ")}}`;
}

describe("alerts end to end: demo incidents → Prometheus → Alertmanager → webhook", { timeout: 420_000 }, () => {
  const agents: Agent[] = [];
  const worlds = new Map<string, Prometheus>();
  let alertmanager: Alertmanager | undefined;
  let webhooks: WebhookRecorder | undefined;
  const stopLoad = new AbortController();
  setMaxListeners(SCENARIOS.length * 2, stopLoad.signal); // one listener per load generator
  let loads: Promise<LoadSummary[]> | undefined;

  interface Outcome {
    hooks: WebhookRecorder;
    am: Alertmanager;
    incidentsStartedAt: number;
    /** Prometheus alerts firing when the normal-traffic phase ended, by world. */
    firingAtBaseline: { world: string; labels: Record<string, string> }[];
    /** Every alert that fired at any time, by world (ALERTS series). */
    firedEver: { world: string; labels: Record<string, string> }[];
    /** Expected alerts not seen at their webhook by the deadline. */
    missing: string[];
    /** Seconds from the incidents' start to each expected alert's first notification. */
    detected: string[];
    summaries: LoadSummary[];
  }
  let outcome: Promise<Outcome> | undefined;
  const ready = () => (outcome ??= scenario());

  async function scenario(): Promise<Outcome> {
    // The OpenTelemetry set-up the demo's main does: without an AsyncLocalStorage context manager agentwatch counts handler errors.
    const manager = new AsyncLocalStorageContextManager();
    manager.enable();
    context.setGlobalContextManager(manager);
    const tracerProvider = new BasicTracerProvider();
    trace.setGlobalTracerProvider(tracerProvider);

    const hooks = await startWebhookRecorder();
    webhooks = hooks;
    const am = await startAlertmanager({ config: await testAlertmanagerConfig(hooks.url, TIME_SCALE) });
    alertmanager = am;

    const canaryCases = await loadDemoCanaries();
    for (const [i, s] of SCENARIOS.entries()) {
      const name = agentOf(s);
      const handler = createDemoHandler({
        tracerProvider,
        agentName: name,
        evaluationSampleRate: 1,
        ...(s.drift === true ? {} : { drift: undefined }),
      });
      const app = createApp({
        handler,
        incidents: new IncidentController(),
        speed: SPEED,
        seed: i + 1,
        adminToken: undefined,
        ...(s.canaries === true
          ? { canaries: { cases: canaryCases, intervalMs: CANARY_INTERVAL_MS, firstDelayMs: 1_000, agent: name } }
          : {}),
      });
      const server = app.listen(0, "127.0.0.1");
      await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      agents.push({
        scenario: s,
        name,
        base,
        server,
        close: async () => {
          await (app.locals.canaries as { stop(): Promise<void> } | undefined)?.stop();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          handler.shutdown();
        },
      });
    }

    const texts = await ruleFileTexts(buildRules({ timeScale: TIME_SCALE, latencyScale: SPEED }));
    for (const world of ["agents", "guardrails"] as const) {
      const targets = agents.filter((a) => a.scenario.world === world).map((a) => new URL(a.base).host);
      worlds.set(world, await startPrometheus({ targets, rules: [texts.recording, texts.alerting], alertmanagerUrl: am.url }));
    }
    for (const [world, prom] of worlds) {
      await prom.waitFor(
        `count(up{job="agentwatch"} == 1)`,
        (s) => s[0]?.value === agents.filter((a) => a.scenario.world === world).length,
        30_000,
      );
    }

    // Normal traffic on every agent, for the whole run.
    const quiet = { write: () => {}, interactive: false, adminToken: undefined, signal: stopLoad.signal };
    loads = Promise.all(
      agents.map((a, i) =>
        runLoad(
          {
            rps: a.scenario.rps ?? RPS,
            durationMs: BASELINE_MS + DETECT_MS + 30_000,
            incidents: [],
            url: a.base,
            seed: 100 + i,
            maxInFlight: 8,
            // Every answer rated: a compressed hour then holds about 70 ratings, not 14, so the
            // negative share of a healthy agent cannot double by chance (with 0.2 it once did, on
            // the control agent: AgentNegativeFeedbackHigh).
            feedbackRate: 1,
            timeoutMs: 15_000,
          },
          quiet,
        ),
      ),
    );
    await sleep(BASELINE_MS);

    const firingNow = async () =>
      (
        await Promise.all(
          [...worlds].map(async ([world, prom]) =>
            (await prom.query('ALERTS{alertstate="firing"}')).samples.map((s) => ({ world, labels: s.metric })),
          ),
        )
      ).flat();
    const firingAtBaseline = await firingNow();

    const incidentsStartedAt = Date.now();
    for (const a of agents) {
      if (a.scenario.incident === undefined) continue;
      const res = await fetch(`${a.base}/admin/incidents/${a.scenario.incident}`, { method: "POST" });
      expect(res.status, `start ${a.scenario.incident}`).toBe(200);
    }

    const expected = agents.flatMap((a) => a.scenario.expected.map((e) => ({ agent: a.name, ...e })));
    const isIt = (e: (typeof expected)[number], labels: Record<string, string>) =>
      labels.alertname === e.alert &&
      labels.severity === e.severity &&
      (e.global === undefined ? labels.agent === e.agent : Object.entries(e.global).every(([k, v]) => labels[k] === v));
    /** Info alerts notify nobody: Alertmanager holds them for the dashboard receiver. */
    let dashboardAlerts: { labels: Record<string, string>; receivers: { name: string }[] }[] = [];
    const seen = (e: (typeof expected)[number]) =>
      PATH_OF[e.severity] === undefined
        ? dashboardAlerts.some((a) => isIt(e, a.labels) && a.receivers.map((r) => r.name).join() === "dashboard")
        : hooks.firing(PATH_OF[e.severity]).some((n) => isIt(e, n.labels));
    const deadline = incidentsStartedAt + DETECT_MS;
    const detected: string[] = [];
    const pending = new Set(expected);
    while (Date.now() < deadline && pending.size > 0) {
      dashboardAlerts = (await am.alerts()) as unknown as typeof dashboardAlerts;
      for (const e of pending) {
        if (!seen(e)) continue;
        pending.delete(e);
        detected.push(`${e.agent}: ${e.alert} (${e.severity}) after ${((Date.now() - incidentsStartedAt) / 1000).toFixed(1)} s`);
      }
      await sleep(500);
    }
    // A little longer, so side effects and unrelated alerts have time to show up too.
    await sleep(10_000);
    dashboardAlerts = (await am.alerts()) as unknown as typeof dashboardAlerts;
    const missing = expected.filter((e) => !seen(e)).map((e) => `${e.alert} (${e.severity}) for ${e.agent}`);

    const firedEver = (
      await Promise.all(
        [...worlds].map(async ([world, prom]) =>
          (await prom.query(`max_over_time(ALERTS{alertstate="firing"}[10m])`)).samples.map((s) => ({ world, labels: s.metric })),
        ),
      )
    ).flat();
    stopLoad.abort();
    const summaries = await loads;
    process.stdout.write(
      `\nalerts end to end (time scale ${TIME_SCALE}, demo speed ${SPEED}):\n  ${detected.join("\n  ")}\n  everything that fired:\n    ${firedEver
        .map((a) => `${a.world}: ${describeAlert(a)}`)
        .sort()
        .join("\n    ")}\n`,
    );
    return { hooks, am, incidentsStartedAt, firingAtBaseline, firedEver, missing, detected, summaries };
  }

  afterAll(async () => {
    stopLoad.abort();
    await loads?.catch(() => undefined);
    for (const prom of worlds.values()) await prom.stop();
    await alertmanager?.stop();
    await webhooks?.close();
    for (const a of agents) await a.close();
  }, 60_000);

  it("normal traffic fires nothing and notifies nobody", async () => {
    const { hooks, incidentsStartedAt, firingAtBaseline, summaries } = await ready();
    expect(firingAtBaseline.map((a) => `${a.world}: ${describeAlert(a)}`)).toEqual([]);
    const early = hooks.notifications.filter((n) => n.receivedAt < incidentsStartedAt);
    expect(early.flatMap((n) => n.alerts.map((a) => `${n.path}: ${describeAlert(a)}`))).toEqual([]);
    for (const s of summaries) expect(s.sent).toBeGreaterThan(50);
  });

  it("each incident's alert reaches the receiver of its severity (critical → pager, warning → chat, info → dashboard only)", async () => {
    const { missing, hooks } = await ready();
    expect(
      missing,
      `received:\n${hooks
        .firing()
        .map((a) => `${a.path} ${describeAlert(a)}`)
        .join("\n")}`,
    ).toEqual([]);
    for (const n of hooks.notifications) {
      const expectedReceiver = n.path === "/pager" ? "pager" : "chat";
      expect(n.receiver).toBe(expectedReceiver);
      for (const a of n.alerts) expect(PATH_OF[a.labels.severity as Severity], describeAlert(a)).toBe(n.path);
    }
  });

  it("the control agent and every alert no incident explains stay quiet (info alerts included)", async () => {
    const { hooks, firedEver } = await ready();
    const unexplainedNotified = hooks
      .firing()
      .filter((a: NotifiedAlert) => explain(a, undefined) === undefined)
      .map((a) => `${a.path}: ${describeAlert(a)}`);
    expect(unexplainedNotified).toEqual([]);
    const unexplainedFired = firedEver.filter((a) => explain(a, a.world) === undefined).map((a) => `${a.world}: ${describeAlert(a)}`);
    expect(unexplainedFired).toEqual([]);
    expect(firedEver.filter((a) => a.labels.agent === agentOf(SCENARIOS[0] as Scenario))).toEqual([]);
  });

  it("holds back a burn-rate ticket while its page fires for the same agent", async () => {
    const { hooks } = await ready();
    for (const page of hooks.firing("/pager").filter((a) => /BudgetBurn$/.test(a.labels.alertname ?? ""))) {
      const ticket = hooks
        .firing("/chat")
        .filter((a) => a.labels.alertname === page.labels.alertname && a.labels.agent === page.labels.agent && a.startsAt > page.startsAt);
      expect(ticket.map(describeAlert), `${describeAlert(page)} was paging`).toEqual([]);
    }
  });

  it("every runbook query evaluates in Prometheus", async () => {
    await ready();
    const prom = worlds.get("agents") as Prometheus;
    const dir = join(PROMETHEUS_DIR, "..", "docs", "runbooks");
    const failures: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".md"))) {
      for (const block of readFileSync(join(dir, file), "utf8").matchAll(/```promql\n([\s\S]*?)```/g)) {
        // Queries are separated by blank and comment lines; an indented line continues the one before.
        const queries: string[] = [];
        for (const line of (block[1] ?? "").split("\n")) {
          if (line.trim() === "" || line.trim().startsWith("#")) continue;
          if (/^\s/.test(line) && queries.length > 0) queries[queries.length - 1] += ` ${line.trim()}`;
          else queries.push(line.trim());
        }
        for (const q of queries)
          await prom.query(q).catch((e: unknown) => failures.push(`${file}: ${q}\n  ${e instanceof Error ? e.message : String(e)}`));
      }
    }
    expect(failures).toEqual([]);
  });
});
