/**
 * A test copy of prometheus/alertmanager.yml: the same routes, grouping and inhibition, with every
 * timer divided by the rules' time-compression factor and the receivers' webhooks pointed at a
 * test server.
 */
import { parse, stringify } from "yaml";

import { Timing } from "./duration.js";

interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}

interface Receiver {
  name: string;
  webhook_configs?: { url: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

interface AlertmanagerConfig {
  route: Route;
  receivers: Receiver[];
  [key: string]: unknown;
}

const TIMERS = ["group_wait", "group_interval", "repeat_interval"] as const;

/**
 * `configText` with its timers divided by `timeScale` (at least 1 ms) and the webhook of each
 * receiver named in `webhooks` pointed at that URL; receivers not named keep no webhook, and every
 * other notifier (PagerDuty, Slack...) is dropped. @throws if a named receiver does not exist.
 */
export function compressAlertmanagerConfig(configText: string, options: { timeScale: number; webhooks: Record<string, string> }): string {
  const config = parse(configText) as AlertmanagerConfig;
  const timing = new Timing(options.timeScale);
  const scale = (route: Route) => {
    for (const key of TIMERS) if (route[key] !== undefined) route[key] = timing.d(route[key] as string);
    for (const child of route.routes ?? []) scale(child);
  };
  scale(config.route);
  const names = new Set(config.receivers.map((r) => r.name));
  for (const name of Object.keys(options.webhooks)) {
    if (!names.has(name))
      throw new Error(`alertmanager.yml has no receiver named ${JSON.stringify(name)} (it has: ${[...names].join(", ")})`);
  }
  config.receivers = config.receivers.map((r) => {
    const url = options.webhooks[r.name];
    return url === undefined ? { name: r.name } : { name: r.name, webhook_configs: [{ url, send_resolved: true }] };
  });
  return stringify(config, { lineWidth: 0 });
}

/** The route a severity takes in `configText`: the receiver of the first child route that matches `severity="..."`, else the root's. */
export function receiverForSeverity(configText: string, severity: string): string {
  const config = parse(configText) as AlertmanagerConfig;
  for (const route of config.route.routes ?? []) {
    const matchers = (route.matchers as string[] | undefined) ?? [];
    if (matchers.some((m) => m.replace(/\s/g, "") === `severity="${severity}"`)) return String(route.receiver);
  }
  return String(config.route.receiver);
}
