/**
 * The committed dashboards are exactly what grafana/src generates, and follow the house rules:
 * stable uids, tags, links between the dashboards, the template variables, a unit and a
 * description on every panel, unique panel ids and a grid that fits.
 */
import { describe, expect, it } from "vitest";

import { THRESHOLDS } from "../../prometheus/src/config.js";
import { buildDashboards } from "../src/dashboards.js";
import { CANARY_ALERTS } from "../src/dashboards/quality.js";
import { renderDashboards } from "../src/render.js";
import { SLO } from "../src/slo.js";
import { DASHBOARD_UID, TAG } from "../src/stack.js";
import { allPanels, committedDashboards } from "./support/dashboards.js";

const committed = committedDashboards();
const byUid = new Map(committed.map((d) => [d.json.uid, d.json]));

describe("generated dashboards", () => {
  it("equal the committed grafana/dashboards/*.json (run `npm run generate:dashboards` and commit the result)", async () => {
    const generated = await renderDashboards();
    expect(committed.map((d) => d.file).sort(), "files in grafana/dashboards/").toEqual([...generated.keys()].sort());
    for (const { file, text } of committed) {
      const expected = generated.get(file);
      expect(
        text === expected,
        `grafana/dashboards/${file} differs from what grafana/src generates: run \`npm run generate:dashboards\` and commit the JSON`,
      ).toBe(true);
    }
  });

  it("have the stable uids the alert rules link to", () => {
    expect([...byUid.keys()].sort()).toEqual(Object.values(DASHBOARD_UID).sort());
    expect(buildDashboards().map((d) => d.model.uid)).toEqual(Object.values(DASHBOARD_UID));
  });

  it("are tagged agentwatch and have a title and a description", () => {
    for (const { json } of committed) {
      expect(json.tags, json.uid).toContain(TAG);
      expect((json.tags ?? []).length, json.uid).toBeGreaterThanOrEqual(2);
      expect(json.title, json.uid).toBeTruthy();
      expect((json.description ?? "").length, json.uid).toBeGreaterThan(40);
    }
  });

  it("link to every other dashboard, keeping the time range and the variables", () => {
    for (const { json } of committed) {
      const targets = (json.links ?? []).filter((l) => l.url?.startsWith("/d/"));
      const uids = targets.map((l) => l.url?.slice(3));
      expect(uids.sort(), json.uid).toEqual(
        Object.values(DASHBOARD_UID)
          .filter((u) => u !== json.uid)
          .sort(),
      );
      for (const link of targets) expect(link, `${json.uid} → ${link.url}`).toMatchObject({ includeVars: true, keepTime: true });
    }
  });

  it("link panels only to dashboards that exist", () => {
    for (const { json } of committed) {
      for (const panel of allPanels(json)) {
        for (const link of [...(panel.links ?? []), ...(panel.fieldConfig?.defaults?.links ?? [])]) {
          const uid = /^\/d\/([^/?]+)/.exec(link.url ?? "")?.[1];
          if (uid !== undefined) expect(byUid.has(uid), `${json.uid} / ${panel.title} links to /d/${uid}`).toBe(true);
        }
      }
    }
  });

  it("have the datasource variable, and agent / model / prompt-version variables where they filter", () => {
    const names = (uid: string) => (byUid.get(uid)?.templating.list ?? []).map((v) => v.name);
    for (const uid of Object.values(DASHBOARD_UID)) expect(names(uid)[0], uid).toBe("datasource");
    for (const uid of [DASHBOARD_UID.overview, DASHBOARD_UID.cost, DASHBOARD_UID.internals, DASHBOARD_UID.quality]) {
      expect(names(uid), uid).toEqual(expect.arrayContaining(["agent", "model"]));
    }
    expect(names(DASHBOARD_UID.quality)).toContain("prompt_version");
    for (const { json } of committed) {
      for (const v of json.templating.list ?? []) {
        if (v.type !== "query") continue;
        expect(v, `${json.uid} $${v.name}`).toMatchObject({ includeAll: true, allValue: ".*", datasource: { uid: "${datasource}" } });
      }
    }
  });

  it("use every variable they define, and define every variable they use", () => {
    for (const { json, text } of committed) {
      const defined = (json.templating.list ?? []).map((v) => v.name);
      for (const name of defined) {
        const uses = text.split(`$${name}`).length - 1 + (text.split(`\${${name}`).length - 1);
        expect(uses, `${json.uid}: $${name} is never used`).toBeGreaterThan(0);
      }
      const used = new Set([...text.matchAll(/\$\{?([a-z_][a-z0-9_]*)/g)].map((m) => m[1] ?? ""));
      for (const name of used) {
        if (name.startsWith("__")) continue;
        expect(defined, `${json.uid} uses $${name}`).toContain(name);
      }
    }
  });

  it("give every panel a title, a description and a unit", () => {
    const missing: string[] = [];
    for (const { json } of committed) {
      for (const panel of allPanels(json)) {
        if (panel.type === "row") continue;
        const where = `${json.uid} / ${panel.title ?? `panel ${panel.id}`}`;
        if (!panel.title) missing.push(`${where}: title`);
        if ((panel.description ?? "").length < 20) missing.push(`${where}: description`);
        if (!panel.fieldConfig?.defaults?.unit) missing.push(`${where}: fieldConfig.defaults.unit`);
        if (panel.type === "heatmap" && !panel.options?.yAxis?.unit) missing.push(`${where}: options.yAxis.unit`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("number panels uniquely and fit them on the 24-column grid without overlaps", () => {
    for (const { json } of committed) {
      const panels = allPanels(json);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size, `${json.uid} panel ids`).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of panels) {
        const g = p.gridPos;
        expect(g, `${json.uid} / ${p.title}`).toBeDefined();
        if (g === undefined) continue;
        expect(g.x + g.w, `${json.uid} / ${p.title} is wider than the grid`).toBeLessThanOrEqual(24);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            const cell = `${x},${y}`;
            expect(cells.has(cell), `${json.uid} / ${p.title} overlaps another panel at ${cell}`).toBe(false);
            cells.add(cell);
          }
        }
      }
    }
  });

  it("draw the SLO targets from slo.ts", () => {
    const overview = committed.find((d) => d.json.uid === DASHBOARD_UID.overview)?.text ?? "";
    expect(overview).toContain(`le=\\"${SLO.latency.thresholdSeconds}\\"`);
    expect(overview).toContain(`"value": ${SLO.latency.target}`);
    expect(overview).toContain(`"value": ${SLO.availability.target}`);
  });

  it("draw the canary alert thresholds of prometheus/src/config.ts", () => {
    expect(CANARY_ALERTS).toEqual({ failing: THRESHOLDS.canaryFailing.consecutive, staleIntervals: THRESHOLDS.canaryStale.intervals });
  });
});
