/**
 * Test harness: a real Prometheus Pushgateway (Debian's `prometheus-pushgateway`; `.ci/run` installs
 * it) as a child process on 127.0.0.1 at a free port, in memory only (no persistence file).
 */
import { Child, freePort, requireBinary } from "./prometheus.js";

export class Pushgateway {
  private constructor(
    readonly url: string,
    private readonly child: Child,
  ) {}

  static async start(readyTimeoutMs = 30_000): Promise<Pushgateway> {
    const binary = requireBinary("prometheus-pushgateway", "prometheus-pushgateway");
    const port = await freePort();
    // Debian's build persists to /var/lib/prometheus/pushgateway.data by default: an empty value keeps
    // the metrics in memory only, so no test sees another's pushes.
    const child = new Child("prometheus-pushgateway", binary, [`--web.listen-address=127.0.0.1:${port}`, "--persistence.file="]);
    const gateway = new Pushgateway(`http://127.0.0.1:${port}`, child);
    try {
      await child.waitReady(`${gateway.url}/-/ready`, readyTimeoutMs);
    } catch (error) {
      await gateway.stop();
      throw error;
    }
    return gateway;
  }

  /** The gateway's own `/metrics` (every pushed series, with its grouping labels). */
  async metrics(): Promise<string> {
    const res = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`Pushgateway /metrics answered HTTP ${res.status}: ${await res.text()}`);
    return res.text();
  }

  logTail(lines = 25): string {
    return this.child.tail(lines);
  }

  /** SIGTERM, SIGKILL after 5 s. Safe to call twice. */
  async stop(): Promise<void> {
    await this.child.stop(5_000);
  }
}
