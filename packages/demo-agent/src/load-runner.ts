import { exponential, seededRandom } from "@agentwatch/fixtures";

import { combineEffects, isIncidentName } from "./incidents.js";
import type { LoadOptions } from "./load-cli.js";
import { simulateOutcome } from "./load-outcomes.js";
import { formatProgress, type LoadSummary, percentile, type RequestResult, summarize } from "./load-stats.js";
import { type MetricSample, parseMetricsText } from "./metrics-text.js";
import { type BundledQuestion, DEFAULT_FEEDBACK, pickQuestion, simulateFeedback } from "./questions.js";
import { readEventStream } from "./sse.js";

/** What a load run needs from the outside world (injectable for tests). */
export interface LoadDeps {
  fetch?: typeof fetch;
  /** Where progress lines and notes go. Default: stderr. */
  write?: (text: string) => void;
  /** Rewrite one progress line in place (a terminal) instead of printing one every 10 s. Default: stderr is a TTY. */
  interactive?: boolean;
  /** Milliseconds between progress updates. Default 1000. */
  progressEveryMs?: number;
  /** Stops sending early (e.g. Ctrl-C); the run still drains, stops its incidents and summarizes. */
  signal?: AbortSignal;
  /** ADMIN_TOKEN for the admin API, when the server needs one. Default: process.env.ADMIN_TOKEN. */
  adminToken?: string | undefined;
}

/** Thrown when the run cannot start (server down, admin API refused); the message says what to do. */
export class LoadSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadSetupError";
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * Drives the demo server: Poisson arrivals at `rps` for `durationMs` (at most `maxInFlight` at
 * once), each a bundled question over Server-Sent Events (the mix turns into a guardrail storm
 * while that incident is active), with simulated user feedback. Starts the requested incidents
 * first and stops them after; reads token and cost totals from `/metrics` before and after.
 * Bounded: no request is sent after `durationMs`, and each one times out after `timeoutMs`.
 */
export async function runLoad(options: LoadOptions, deps: LoadDeps = {}): Promise<LoadSummary> {
  const doFetch = deps.fetch ?? fetch;
  const write = deps.write ?? ((text: string) => void process.stderr.write(text));
  const interactive = deps.interactive ?? Boolean(process.stderr.isTTY);
  const token = "adminToken" in deps ? deps.adminToken : process.env.ADMIN_TOKEN;
  const adminHeaders: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const base = options.url;
  const arrivals = seededRandom(options.seed);
  const mix = seededRandom(options.seed + 1);
  const feedbackRandom = seededRandom(options.seed + 2);
  const outcomeRandom = seededRandom(options.seed + 3);

  try {
    const health = await doFetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
    if (!health.ok) throw new Error(`HTTP ${health.status}`);
  } catch (error) {
    throw new LoadSetupError(
      `no demo server answers at ${base} (${error instanceof Error ? error.message : String(error)}); start one with "npm run demo" or pass --url`,
    );
  }
  const scrape = async (): Promise<MetricSample[] | undefined> => {
    try {
      const res = await doFetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
      return res.ok ? parseMetricsText(await res.text()) : undefined;
    } catch {
      return undefined;
    }
  };
  const before = await scrape();

  const started: string[] = [];
  const stopIncidents = async () => {
    for (const name of started.splice(0)) {
      try {
        await doFetch(`${base}/admin/incidents/${name}`, { method: "DELETE", headers: adminHeaders, signal: AbortSignal.timeout(5000) });
      } catch {
        write(`load: could not stop incident ${name}; stop it with DELETE ${base}/admin/incidents/${name}\n`);
      }
    }
  };
  for (const name of options.incidents) {
    const res = await doFetch(`${base}/admin/incidents/${name}`, {
      method: "POST",
      headers: adminHeaders,
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json().catch(() => ({}))) as { error?: string; started?: boolean };
    if (!res.ok) {
      await stopIncidents();
      const hint = res.status === 401 || res.status === 403 ? " (set ADMIN_TOKEN to the server's token)" : "";
      throw new LoadSetupError(`the server refused to start incident ${name}: HTTP ${res.status} ${body.error ?? ""}${hint}`);
    }
    if (body.started) started.push(name);
  }

  // Traffic incidents (guardrail-storm, topic-shift) change what is sent: follow the server's active set.
  let traffic = combineEffects(options.incidents).traffic;
  const pollTraffic = async () => {
    try {
      const res = await doFetch(`${base}/admin/incidents`, { headers: adminHeaders, signal: AbortSignal.timeout(2000) });
      const active = res.ok ? ((await res.json()) as { active?: unknown }).active : undefined;
      if (Array.isArray(active)) traffic = combineEffects(active.filter(isIncidentName)).traffic;
    } catch {
      // the admin API may be refused to us; keep what --incident said
    }
  };
  await pollTraffic();

  const results: RequestResult[] = [];
  const feedback = { up: 0, down: 0, failed: 0 };
  const outcomes = { resolved: 0, converted: 0, left: 0, failed: 0 };
  const inFlight = new Set<Promise<void>>();
  let skipped = 0;
  let sent = 0;
  const startedAt = performance.now();
  const elapsed = () => performance.now() - startedAt;

  const progress = () => {
    const line = formatProgress({
      elapsedMs: Math.min(elapsed(), options.durationMs),
      durationMs: options.durationMs,
      sent,
      ok: results.filter((r) => r.ok).length,
      errors: results.filter((r) => !r.ok).length,
      inFlight: inFlight.size,
      latencyP95: percentile(
        results.map((r) => r.latencyMs),
        95,
      ),
    });
    write(interactive ? `\r${line}` : `${line}\n`);
  };
  let lastProgress = 0;
  let lastPoll = 0;
  const progressEvery = deps.progressEveryMs ?? 1000;

  const send = (question: BundledQuestion, n: number) => {
    const task = (async () => {
      const result = await ask(doFetch, base, question, n, options.timeoutMs);
      results.push(result.result);
      const rating = result.result.ok
        ? simulateFeedback(question, result.answer, feedbackRandom, { ...DEFAULT_FEEDBACK, rate: options.feedbackRate })
        : undefined;
      if (rating !== undefined && result.traceId !== undefined) {
        try {
          const res = await doFetch(`${base}/feedback`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            // The answer's feedback token when the demo has a secret: any replica behind a load balancer accepts it.
            body: JSON.stringify(
              result.feedbackToken !== undefined ? { feedback_token: result.feedbackToken, rating } : { trace_id: result.traceId, rating },
            ),
            signal: AbortSignal.timeout(options.timeoutMs),
          });
          if (res.status === 202) feedback[rating]++;
          else feedback.failed++;
          await res.body?.cancel();
        } catch {
          feedback.failed++;
        }
      }
      if (result.result.ok && result.traceId !== undefined) {
        const outcome = simulateOutcome(question, result.answer, outcomeRandom);
        if (outcome === undefined) outcomes.left++;
        else {
          try {
            const res = await doFetch(`${base}/outcome`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ trace_id: result.traceId, outcome }),
              signal: AbortSignal.timeout(options.timeoutMs),
            });
            if (res.status === 202) outcomes[outcome]++;
            else outcomes.failed++;
            await res.body?.cancel();
          } catch {
            outcomes.failed++;
          }
        }
      }
    })();
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  try {
    let next = exponential(arrivals, 1000 / options.rps);
    while (!deps.signal?.aborted) {
      const now = elapsed();
      if (now >= options.durationMs) break;
      if (next <= now) {
        if (inFlight.size >= options.maxInFlight) skipped++;
        else send(pickQuestion(mix, traffic), sent++);
        next += exponential(arrivals, 1000 / options.rps);
        continue;
      }
      if (now - lastPoll >= 5000) {
        lastPoll = now;
        void pollTraffic();
      }
      if (now - lastProgress >= (interactive ? progressEvery : Math.max(progressEvery, 10_000))) {
        lastProgress = now;
        progress();
      }
      await sleep(Math.min(next - now, options.durationMs - now, progressEvery), deps.signal);
    }
    while (inFlight.size > 0) await Promise.race([...inFlight]);
    progress();
    if (interactive) write("\n");
  } finally {
    await stopIncidents();
  }
  const after = await scrape();
  write(
    `load: outcomes resolved ${outcomes.resolved}, converted ${outcomes.converted}, left to be abandoned (or escalated) ${outcomes.left}` +
      (outcomes.failed > 0 ? `, not recorded ${outcomes.failed}` : "") +
      "\n",
  );
  return summarize({ results, durationMs: Math.min(elapsed(), options.durationMs), skipped, feedback, before, after });
}

/** One chat request over Server-Sent Events. */
async function ask(
  doFetch: typeof fetch,
  base: string,
  question: BundledQuestion,
  n: number,
  timeoutMs: number,
): Promise<{ result: RequestResult; answer: string; traceId: string | undefined; feedbackToken?: string | undefined }> {
  const t0 = performance.now();
  let ttftMs: number | undefined;
  let tokens = 0;
  let status = 0;
  try {
    const res = await doFetch(`${base}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: question.text, user_id: `load-user-${n % 50}` }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    if (!res.ok || res.body === null) {
      const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
      const errorKind = `HTTP ${status}${body.code ? ` ${body.code}` : ""}`;
      return {
        result: {
          ok: false,
          status,
          errorKind,
          latencyMs: performance.now() - t0,
          tokens,
          blocked: false,
          error: body.error ?? `HTTP ${status}`,
        },
        answer: "",
        traceId: undefined,
      };
    }
    for await (const event of readEventStream(res.body)) {
      if (event.event === "token") {
        ttftMs ??= performance.now() - t0;
        tokens++;
      } else if (event.event === "done") {
        const done = JSON.parse(event.data) as { answer?: string; trace_id?: string; blocked?: boolean; feedback_token?: string };
        return {
          result: {
            ok: true,
            status,
            latencyMs: performance.now() - t0,
            ...(ttftMs !== undefined ? { ttftMs } : {}),
            tokens,
            blocked: done.blocked === true,
          },
          answer: done.answer ?? "",
          traceId: done.trace_id,
          feedbackToken: done.feedback_token,
        };
      } else if (event.event === "error") {
        const failure = JSON.parse(event.data) as { error?: string; code?: string; provider_status?: number };
        const errorKind = failure.provider_status !== undefined ? `provider ${failure.provider_status}` : (failure.code ?? "error event");
        return {
          result: {
            ok: false,
            status,
            errorKind,
            latencyMs: performance.now() - t0,
            tokens,
            blocked: false,
            error: failure.error ?? "error event",
          },
          answer: "",
          traceId: undefined,
        };
      }
    }
    return {
      result: {
        ok: false,
        status,
        errorKind: "stream cut",
        latencyMs: performance.now() - t0,
        tokens,
        blocked: false,
        error: "stream ended without a done event",
      },
      answer: "",
      traceId: undefined,
    };
  } catch (error) {
    return {
      result: {
        ok: false,
        status,
        errorKind: error instanceof Error && error.name === "TimeoutError" ? "timeout" : "no response",
        latencyMs: performance.now() - t0,
        tokens,
        blocked: false,
        error: error instanceof Error ? error.message : String(error),
      },
      answer: "",
      traceId: undefined,
    };
  }
}
