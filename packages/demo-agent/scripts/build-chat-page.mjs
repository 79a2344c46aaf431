// Bundles the chat page (src/chat-page, browser TypeScript with Grafana Faro) into dist/public with esbuild.
// `npm run build:page -w @agentwatch/demo-agent` runs it; the browser test calls buildChatPage() itself.
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Where the bundle goes by default, and where mountChatPage looks for it: packages/demo-agent/dist/public. */
export const defaultOutdir = fileURLToPath(new URL("../dist/public", import.meta.url));

/**
 * Bundles src/chat-page/main.ts (and the CSS it imports) into `outdir` as chat-page.js and
 * chat-page.css, with source maps.
 * @param {{ outdir?: string; minify?: boolean }} [options]
 * @returns {Promise<{ outdir: string; files: string[] }>}
 */
export async function buildChatPage(options = {}) {
  const outdir = options.outdir ?? defaultOutdir;
  const result = await build({
    absWorkingDir: packageDir,
    entryPoints: { "chat-page": "src/chat-page/main.ts" },
    tsconfig: "src/chat-page/tsconfig.json",
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022", "chrome110", "firefox110", "safari16"],
    minify: options.minify ?? true,
    sourcemap: "linked",
    legalComments: "linked",
    metafile: true,
    logLevel: "warning",
  });
  return { outdir, files: Object.keys(result.metafile.outputs) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outdir, files } = await buildChatPage({ outdir: process.argv[2] });
  console.log(`chat page bundled into ${outdir}: ${files.length} files`);
}
