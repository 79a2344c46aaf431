import { createHash, timingSafeEqual } from "node:crypto";

import express, { type Request, type Response } from "express";

import { type IncidentController, INCIDENTS, UnknownIncidentError } from "./incidents.js";

/**
 * Whether `address` (as Node reports a socket's remote address) is a loopback address:
 * 127.0.0.0/8, ::1, or either written as an IPv4-mapped / expanded IPv6 address
 * (::ffff:127.0.0.1, 0:0:0:0:0:0:0:1).
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (typeof address !== "string") return false;
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone >= 0) a = a.slice(0, zone);
  if (a === "::1" || a === "0:0:0:0:0:0:0:1") return true;
  const mapped = /^(?:0:0:0:0:0:ffff:|::ffff:)(.+)$/.exec(a);
  const v4 = mapped?.[1] ?? a;
  const octets = v4.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** The facts about a request that decide admin access. */
export interface AdminRequestFacts {
  /** The socket's remote address. */
  remoteAddress: string | undefined;
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** Whether the request carries X-Forwarded-For / Forwarded (it came through a proxy). */
  forwarded: boolean;
}

/** Allowed, or refused with a status and a message that says how to get in. */
export type AdminDecision = { ok: true } | { ok: false; status: 401 | 403; error: string };

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Admin access: with the right `Authorization: Bearer <ADMIN_TOKEN>` (when a token is set), or
 * from a loopback address without proxy headers (a same-host reverse proxy makes every client look
 * local, so a request that says it was forwarded never counts as local).
 */
export function adminAccess(request: AdminRequestFacts, token: string | undefined): AdminDecision {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? "")?.[1];
  if (token && bearer !== undefined && sameSecret(bearer, token)) return { ok: true };
  if (!request.forwarded && isLoopbackAddress(request.remoteAddress)) return { ok: true };
  if (!token) {
    return {
      ok: false,
      status: 403,
      error:
        "admin routes answer only requests from this machine (loopback); to use them from elsewhere start the server with ADMIN_TOKEN set and send Authorization: Bearer <token>",
    };
  }
  return {
    ok: false,
    status: 401,
    error:
      bearer === undefined
        ? "admin routes need Authorization: Bearer <ADMIN_TOKEN> from a non-loopback address"
        : "the bearer token does not match ADMIN_TOKEN",
  };
}

/** Options of {@link adminRouter}. */
export interface AdminRouterOptions {
  incidents: IncidentController;
  /** The admin token; default process.env.ADMIN_TOKEN. */
  token?: string | undefined;
  /** The client's address; default the socket's remote address (injectable for tests). */
  remoteAddress?: (req: Request) => string | undefined;
  /** Called after an incident starts or stops (e.g. to log it). */
  onChange?: (change: { incident: string; action: "start" | "stop" }) => void;
}

/**
 * `/admin/incidents`: `GET` lists the active and the valid incidents, `POST /:name` starts one,
 * `DELETE /:name` stops one (unknown names get 400 listing the valid ones). Every route checks
 * {@link adminAccess} first.
 */
export function adminRouter(options: AdminRouterOptions): express.Router {
  const { incidents } = options;
  const token = "token" in options ? options.token : process.env.ADMIN_TOKEN;
  const remote = options.remoteAddress ?? ((req: Request) => req.socket.remoteAddress);
  const router = express.Router();
  router.use((req, res, next) => {
    const decision = adminAccess(
      {
        remoteAddress: remote(req),
        authorization: req.get("authorization"),
        forwarded: req.get("x-forwarded-for") !== undefined || req.get("forwarded") !== undefined,
      },
      token,
    );
    if (decision.ok) {
      next();
      return;
    }
    if (decision.status === 401) res.set("WWW-Authenticate", 'Bearer realm="agentwatch-demo-admin"');
    res.status(decision.status).json({ error: decision.error });
  });
  const state = () => ({ active: incidents.list(), valid: INCIDENTS.map((i) => i.name) });
  router.get("/incidents", (_req, res) => {
    res.json({
      ...state(),
      incidents: INCIDENTS.map((i) => ({
        name: i.name,
        active: incidents.isActive(i.name),
        description: i.description,
        signal: i.signal,
        alert: i.alert,
      })),
    });
  });
  const change = (action: "start" | "stop") => (req: Request, res: Response) => {
    const name = String(req.params.name);
    try {
      const changed = action === "start" ? incidents.start(name) : incidents.stop(name);
      if (changed) options.onChange?.({ incident: name, action });
      res.json({ incident: name, [action === "start" ? "started" : "stopped"]: changed, ...state() });
    } catch (error) {
      if (!(error instanceof UnknownIncidentError)) throw error;
      res.status(400).json({ error: error.message, field: "name", valid: error.valid });
    }
  };
  router.post("/incidents/:name", change("start"));
  router.delete("/incidents/:name", change("stop"));
  return router;
}
