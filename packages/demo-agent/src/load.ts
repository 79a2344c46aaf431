import { LOAD_USAGE, parseLoadArgs } from "./load-cli.js";
import { LoadSetupError, runLoad } from "./load-runner.js";
import { formatSummary } from "./load-stats.js";

/** `npm run load`: drives a running demo server and prints a summary. */
async function main(): Promise<void> {
  let options: ReturnType<typeof parseLoadArgs>;
  try {
    options = parseLoadArgs(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message === LOAD_USAGE ? message : `load: ${message}`);
    process.exit(2);
  }
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write("\nload: stopping (Ctrl-C again to quit at once)\n");
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  console.error(
    `load: ${options.rps} rps for ${options.durationMs / 1000}s against ${options.url}${options.incidents.length > 0 ? ` with ${options.incidents.join(", ")}` : ""}`,
  );
  try {
    const summary = await runLoad(options, { signal: controller.signal });
    console.log(formatSummary(summary, { url: options.url, rps: options.rps, incidents: options.incidents }));
  } catch (error) {
    if (error instanceof LoadSetupError) {
      console.error(`load: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

await main();
