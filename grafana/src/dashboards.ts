/** Every generated dashboard, with the file it is written to under grafana/dashboards/. */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import { costDashboard } from "./dashboards/cost.js";
import { healthDashboard } from "./dashboards/health.js";
import { internalsDashboard } from "./dashboards/internals.js";
import { overviewDashboard } from "./dashboards/overview.js";
import { qualityDashboard } from "./dashboards/quality.js";
import type { DashboardKey } from "./stack.js";

export interface GeneratedDashboard {
  key: DashboardKey;
  /** File name under grafana/dashboards/. */
  file: string;
  model: dashboard.Dashboard;
}

/** Builds every dashboard (a fresh object each call). */
export function buildDashboards(): GeneratedDashboard[] {
  return [
    { key: "overview", file: "overview.json", model: overviewDashboard() },
    { key: "cost", file: "cost.json", model: costDashboard() },
    { key: "internals", file: "internals.json", model: internalsDashboard() },
    { key: "quality", file: "quality.json", model: qualityDashboard() },
    { key: "health", file: "health.json", model: healthDashboard() },
  ];
}
