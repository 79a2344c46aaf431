/** What the server tells the page (inline in the page, and at /chat-page/config.json). */
export interface ChatPageConfig {
  /** Where Faro sends its payloads: the server's own /faro/collect, or Grafana Alloy's faro.receiver. */
  collectorUrl: string;
  /** Faro's `app` meta, also the `service.name` / `service.version` of the browser's spans. */
  app: { name: string; version: string; environment?: string };
  chatUrl: string;
  feedbackUrl: string;
}

const CONFIG_ELEMENT_ID = "chat-page-config";
const CONFIG_URL = "/chat-page/config.json";

function isConfig(value: unknown): value is ChatPageConfig {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const app = v.app as Record<string, unknown> | undefined;
  return (
    typeof v.collectorUrl === "string" &&
    typeof v.chatUrl === "string" &&
    typeof v.feedbackUrl === "string" &&
    typeof app === "object" &&
    app !== null &&
    typeof app.name === "string" &&
    typeof app.version === "string"
  );
}

/** The config the server put in the page, else the one at /chat-page/config.json. */
export async function loadConfig(): Promise<ChatPageConfig> {
  const inline = document.getElementById(CONFIG_ELEMENT_ID)?.textContent;
  if (inline) {
    const parsed: unknown = JSON.parse(inline);
    if (isConfig(parsed)) return parsed;
  }
  const res = await fetch(CONFIG_URL, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`GET ${CONFIG_URL} answered ${res.status}`);
  const parsed: unknown = await res.json();
  if (!isConfig(parsed)) throw new Error(`${CONFIG_URL} is not a chat page config`);
  return parsed;
}
