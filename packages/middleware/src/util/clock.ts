/** Wall-clock milliseconds since the epoch with sub-millisecond resolution (OpenTelemetry `TimeInput`). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
