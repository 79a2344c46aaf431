/**
 * Writes grafana/dashboards/*.json from the TypeScript in grafana/src. Run `npm run generate:dashboards`
 * after changing a dashboard (or slo.ts) and commit the JSON: a test fails while they differ.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { DASHBOARDS_DIR, renderDashboards } from "./render.js";

async function main(): Promise<void> {
  await mkdir(DASHBOARDS_DIR, { recursive: true });
  for (const [file, text] of await renderDashboards()) {
    await writeFile(join(DASHBOARDS_DIR, file), text);
    console.log(`wrote grafana/dashboards/${file}`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
