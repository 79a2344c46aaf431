/** Command-line options of `npm run demo`. */
export interface DemoOptions {
  port: number;
  host: string;
  /** Exit after the sample conversations instead of serving. */
  once: boolean;
}

const USAGE = "usage: npm run demo -- [--port N] [--host ADDRESS] [--once]";

/** Parses argv (flags override the PORT and HOST environment variables); errors name the flag and the fix. */
export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
  const options: DemoOptions = { port: 3000, host: "127.0.0.1", once: false };
  const port = (raw: string | undefined, from: string): number => {
    const n = Number(raw);
    if (raw === undefined || raw === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
      throw new Error(`${from} must be a port number from 0 to 65535 (0 picks a free one), got ${JSON.stringify(raw ?? "")}. ${USAGE}`);
    }
    return n;
  };
  if (env.PORT !== undefined) options.port = port(env.PORT, "PORT");
  if (env.HOST) options.host = env.HOST;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--port") options.port = port(argv[++i], "--port");
    else if (arg === "--host") {
      const host = argv[++i];
      if (!host) throw new Error(`--host needs an address such as 127.0.0.1 or 0.0.0.0. ${USAGE}`);
      options.host = host;
    } else if (arg === "--once") options.once = true;
    else throw new Error(`unknown flag ${JSON.stringify(arg)}. ${USAGE}`);
  }
  return options;
}
