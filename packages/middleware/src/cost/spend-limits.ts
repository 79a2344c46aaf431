import { diag } from "@opentelemetry/api";

import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { RootState } from "../runs/run-record.js";
import { ATTR, EVENT } from "../semconv.js";
import type { SharedStore } from "../state/types.js";
import { AgentSpendLimitExceededError } from "./spend-limit-error.js";
import type { RunGuardOptions, SpendLimitName } from "./types.js";

/** Windows whose total this replica keeps a view of (least recently used dropped first). */
const MAX_VIEWS = 10_000;
/** A view older than this is re-read from the store (asynchronously) at the subject's next model call. */
const REFRESH_MS = 1_000;

interface Limit {
  name: SpendLimitName;
  usd: number;
  windowMs: number;
  subject: (root: RootState) => string | undefined;
}

/** This replica's view of one window's total: its own charges at once, the store's total when it answers. */
interface View {
  slot: number;
  total: number;
  readAt: number;
  reading: boolean;
}

/**
 * Spend limits across runs and replicas: per user per hour, per tenant per day. Each priced model
 * call adds its cost to the subject's fixed window in the `SharedStore`; the check at a model
 * call's start reads only this replica's view of the window, never the store, so a slow or
 * unreachable Redis never delays a call. The view takes this replica's charges at once, the
 * store's total (all replicas) when each increment answers, and is re-read in the background
 * when older than a second.
 */
export class SpendLimits {
  private readonly limits: Limit[] = [];
  private readonly views = new Map<string, View>();

  constructor(
    private readonly options: RunGuardOptions | undefined,
    private readonly store: SharedStore,
    private readonly metrics: AgentWatchMetrics,
    private readonly now: () => number = Date.now,
  ) {
    if (options?.perUserUsdPerHour !== undefined)
      this.limits.push({ name: "user_usd_per_hour", usd: options.perUserUsdPerHour, windowMs: 3_600_000, subject: (r) => r.userId });
    if (options?.perTenantUsdPerDay !== undefined)
      this.limits.push({ name: "tenant_usd_per_day", usd: options.perTenantUsdPerDay, windowMs: 86_400_000, subject: (r) => r.tenantId });
  }

  /** Whether any spend limit is set. */
  get enabled(): boolean {
    return this.limits.length > 0;
  }

  /** At a model call's start: trips a limit whose window (as this replica sees it) is used up. */
  check(root: RootState): void {
    const now = this.now();
    for (const limit of this.limits) {
      const subject = limit.subject(root);
      if (subject === undefined) continue;
      const view = this.view(limit, subject, now);
      if (now - view.readAt >= REFRESH_MS) this.refresh(limit, subject, view, now);
      if (view.total >= limit.usd) this.trip(root, limit, subject, view.total);
    }
  }

  /** A priced model call of `root` cost `usd`: added to its subjects' windows, here at once and in the store. */
  spent(root: RootState, usd: number): void {
    if (usd <= 0) return;
    const now = this.now();
    for (const limit of this.limits) {
      const subject = limit.subject(root);
      if (subject === undefined) continue;
      const view = this.view(limit, subject, now);
      view.total += usd;
      const slot = view.slot;
      this.store.incrementWindow(storeKey(limit, subject), usd, limit.windowMs, now).then(
        (total) => {
          if (view.slot !== slot) return;
          // Increments answer in any order; a window's total only grows.
          view.total = Math.max(view.total, total);
          view.readAt = Math.max(view.readAt, now);
        },
        (error: unknown) => diag.debug(`agentwatch: spend window not stored: ${String(error)}`),
      );
    }
  }

  private view(limit: Limit, subject: string, now: number): View {
    const key = storeKey(limit, subject);
    const slot = Math.floor(now / limit.windowMs);
    let view = this.views.get(key);
    if (view === undefined || view.slot !== slot) view = { slot, total: 0, readAt: -Infinity, reading: false };
    // Re-inserted on use: Map order is then least recently used first.
    this.views.delete(key);
    this.views.set(key, view);
    if (this.views.size > MAX_VIEWS) this.views.delete(this.views.keys().next().value as string);
    return view;
  }

  private refresh(limit: Limit, subject: string, view: View, now: number): void {
    if (view.reading) return;
    view.reading = true;
    this.store.readWindow(storeKey(limit, subject), limit.windowMs, now).then(
      (total) => {
        view.reading = false;
        view.readAt = now;
        if (view.slot === Math.floor(now / limit.windowMs)) view.total = Math.max(view.total, total);
      },
      () => {
        view.reading = false;
        view.readAt = now;
      },
    );
  }

  private trip(root: RootState, limit: Limit, subject: string, observed: number): void {
    if (root.trips.has(limit.name)) return;
    root.trips.add(limit.name);
    const action = this.options?.action ?? "record";
    root.span?.addEvent(EVENT.guardTrip, {
      [ATTR.guardName]: limit.name,
      [ATTR.guardLimit]: limit.usd,
      [ATTR.guardObserved]: observed,
      [ATTR.guardAction]: action,
    });
    this.metrics.cost.limitTrip({ agent: root.agent, limit: limit.name });
    if (action === "abort" && root.abort === undefined) {
      root.abort = new AgentSpendLimitExceededError(limit.name, limit.usd, observed, subject, root.id);
      diag.debug(`${root.abort.message}; its next model or tool call is stopped`);
    }
  }
}

function storeKey(limit: Limit, subject: string): string {
  return `spend:${limit.name}:${subject}`;
}
