/** The dashboards as the JSON text committed under grafana/dashboards/ (formatted as Prettier formats it). */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as prettier from "prettier";

import { buildDashboards } from "./dashboards.js";

/** grafana/ (this file is in grafana/src, or compiled into grafana/dist). */
export const GRAFANA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the dashboard JSON files live. */
export const DASHBOARDS_DIR = join(GRAFANA_DIR, "dashboards");

/** File name → JSON text, exactly what `npm run generate:dashboards` writes. */
export async function renderDashboards(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { file, model } of buildDashboards()) {
    const filepath = join(DASHBOARDS_DIR, file);
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    files.set(file, await prettier.format(JSON.stringify(model), { ...config, filepath }));
  }
  return files;
}
