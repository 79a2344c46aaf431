/**
 * Names the dashboards share with the rest of the stack: datasource uids (grafana/provisioning),
 * dashboard uids (the alert rules in prometheus/ link to them), the folder tag, and the URLs the
 * compose stack publishes on the host.
 */

/** Provisioned datasources (grafana/provisioning/datasources/datasources.yaml). */
export const DATASOURCE = {
  prometheus: { type: "prometheus", uid: "prometheus" },
  tempo: { type: "tempo", uid: "tempo" },
  alertmanager: { type: "alertmanager", uid: "alertmanager" },
} as const;

/** The dashboards' uids: stable, since alert annotations and bookmarks link to `/d/<uid>`. */
export const DASHBOARD_UID = {
  overview: "agentwatch-overview",
  cost: "agentwatch-cost",
  internals: "agentwatch-internals",
  quality: "agentwatch-quality",
  health: "agentwatch-health",
} as const;
export type DashboardKey = keyof typeof DASHBOARD_UID;

/** Every dashboard carries this tag (and a tag of its own). */
export const TAG = "agentwatch";

/** What docker-compose.yml publishes on the host (127.0.0.1). */
export const HOST_URL = {
  grafana: "http://localhost:3001",
  prometheus: "http://localhost:9090",
  alertmanager: "http://localhost:9093",
  demoAgent: "http://localhost:3000",
} as const;
