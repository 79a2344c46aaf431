/**
 * `npm run soak`: drives the demo agent through one AgentWatchHandler with every feature on, for
 * 30,000 invocations (about 465,000 LangChain runs) or 600 s, whichever comes first: 85 % normal,
 * 10 % abandoned mid-stream (the iterator dropped; most of them hang, so their runs never end), 5 %
 * failing. Prints a progress table every 10 s and a verdict; exits 1 if an invariant broke, 2 for a
 * bad flag. See soak/README.md.
 */
import os from "node:os";

import { soakChecks } from "./checks.js";
import { progressHeader, progressRow, summary } from "./report.js";
import { runSoak, sweepPeriodMs } from "./run-soak.js";
import { parseSoakArgs, SoakUsageError } from "./soak-options.js";

async function main(): Promise<number> {
  let options;
  try {
    options = parseSoakArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof SoakUsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  console.log(
    `agentwatch soak: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}; ` +
      `${options.invocations} invocations or ${options.seconds} s, ${options.concurrency} in flight, ` +
      `run TTL ${options.ttlMs} ms (sweep every ${sweepPeriodMs(options.ttlMs)} ms), seed ${options.seed}`,
  );
  console.log(
    'the issue\'s "100k+ runs" are LangChain runs (about 15.5 per invocation): 100,000 invocations would take about 15 min on 2 cores',
  );
  console.log(`"bound": LangChain's runs open for less than TTL + sweep period + slack, plus the LLM judge's calls\n`);
  console.log(progressHeader());
  const report = await runSoak(options, {
    onProgress: (p) => console.log(progressRow(p)),
    onNote: (text) => console.log(`  … ${text}`),
  });
  const checks = soakChecks(report);
  console.log(summary(report, checks));
  return checks.every((c) => c.ok) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
