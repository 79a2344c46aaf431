/** What the chat page is told by the server (mirrored by src/chat-page/config.ts in the browser). */
export interface ChatPageConfig {
  collectorUrl: string;
  app: { name: string; version: string; environment?: string };
  chatUrl: string;
  feedbackUrl: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** JSON that is safe inside a `<script type="application/json">` element. */
const inlineJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** The chat page's HTML: the form and conversation the bundle (chat-page.js) brings to life, and its config inline. */
export function renderChatPage(config: ChatPageConfig, assetsPath: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Acme support · agentwatch demo</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${escapeHtml(assetsPath)}/chat-page.css" />
    <script type="application/json" id="chat-page-config">${inlineJson(config)}</script>
    <script type="module" src="${escapeHtml(assetsPath)}/chat-page.js"></script>
  </head>
  <body>
    <a class="skip" href="#question">Skip to the question box</a>
    <header>
      <h1>Acme support</h1>
      <p>The offline demo agent, traced and measured by agentwatch. Its <a href="/metrics">Prometheus metrics are at /metrics</a>.</p>
    </header>
    <main>
      <h2 class="visually-hidden" id="conversation-heading">Conversation</h2>
      <ol id="conversation" aria-labelledby="conversation-heading" aria-live="polite"></ol>
      <form id="ask" action="${escapeHtml(config.chatUrl)}" method="post">
        <label for="question">Your question</label>
        <textarea id="question" name="message" rows="2" maxlength="4000" required placeholder="Where is my order AB-1234?"></textarea>
        <button id="send" type="submit">Send</button>
      </form>
      <p id="status" role="status"></p>
      <noscript><p>This page needs JavaScript. Without it, ask with <code>curl -d '{"message":"…"}' -H 'content-type: application/json' ${escapeHtml(config.chatUrl)}</code>.</p></noscript>
    </main>
    <footer>
      <p><a href="/metrics">Metrics</a> · <a href="/healthz">Health</a> · Front-end telemetry by Grafana Faro → <code>${escapeHtml(config.collectorUrl)}</code></p>
    </footer>
  </body>
</html>
`;
}
