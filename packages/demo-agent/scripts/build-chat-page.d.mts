/** Where the bundle goes by default, and where mountChatPage looks for it: packages/demo-agent/dist/public. */
export declare const defaultOutdir: string;

/** Bundles src/chat-page/main.ts (and the CSS it imports) into `outdir` as chat-page.js and chat-page.css, with source maps. */
export declare function buildChatPage(options?: { outdir?: string; minify?: boolean }): Promise<{ outdir: string; files: string[] }>;
