import { createHmac, timingSafeEqual } from "node:crypto";

import type { RunRef } from "./recent-runs.js";

/** Why a feedback token was refused; `status` is the HTTP status `POST /feedback` answers with. */
export type FeedbackTokenProblem = "malformed" | "forged" | "expired" | "unverifiable";

const STATUS: Record<FeedbackTokenProblem, number> = { malformed: 400, forged: 403, expired: 410, unverifiable: 400 };

/** A feedback token that is not accepted: says why, with the HTTP status to answer. */
export class FeedbackTokenError extends Error {
  readonly problem: FeedbackTokenProblem;
  readonly status: number;
  constructor(problem: FeedbackTokenProblem, message: string) {
    super(message);
    this.name = "FeedbackTokenError";
    this.problem = problem;
    this.status = STATUS[problem];
  }
}

const PREFIX = "aw1";
const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Longest token accepted (a token from us is about 200 characters with short labels). */
export const MAX_TOKEN_LENGTH = 2048;

/** What a token holds: the run's root span context, its metric labels and its validity. */
export interface FeedbackClaims extends RunRef {
  issuedAtMs: number;
  expiresAtMs: number;
}

/**
 * Feedback tokens: `aw1.<payload>.<HMAC-SHA256>` (base64url), the payload a JSON array of the
 * root span context (trace id, span id, flags), agent, prompt version, feature, issue and expiry
 * times in seconds. Signed with the first secret; any of the secrets verifies (rotation: put the
 * new secret first, keep the old one until its tokens expired).
 */
export class FeedbackTokens {
  private readonly keys: Buffer[];

  constructor(
    secrets: readonly string[],
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.keys = secrets.map((s) => Buffer.from(s, "utf8"));
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** A signed token for feedback on `run`, valid for the configured time from now. */
  issue(run: RunRef): string | undefined {
    const key = this.keys[0];
    if (key === undefined) return undefined;
    const iat = Math.floor(this.now() / 1000);
    const exp = Math.ceil((this.now() + this.ttlMs) / 1000);
    const sc = run.spanContext;
    const body = [1, sc.traceId, sc.spanId, sc.traceFlags, run.agent, run.promptVersion, run.feature, iat, exp];
    const payload = Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
    return `${PREFIX}.${payload}.${sign(key, payload).toString("base64url")}`;
  }

  /** The claims of a valid token; throws a {@link FeedbackTokenError} saying what is wrong otherwise. */
  verify(token: unknown): FeedbackClaims {
    if (!this.enabled)
      throw new FeedbackTokenError(
        "unverifiable",
        "this server has no feedback secret, so it cannot check feedback tokens: set AGENTWATCH_FEEDBACK_SECRET (the same on every replica)",
      );
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw malformed("it is not a string of at most 2048 characters");
    const parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== PREFIX) throw malformed(`it must look like "${PREFIX}.<payload>.<signature>"`);
    const [, payload, signature] = parts as [string, string, string];
    if (!B64URL.test(payload) || !B64URL.test(signature)) throw malformed("payload and signature must be base64url");
    const given = Buffer.from(signature, "base64url");
    const valid = this.keys.some((key) => {
      const expected = sign(key, payload);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!valid)
      throw new FeedbackTokenError(
        "forged",
        "feedback token signature does not match: it was changed, forged, or signed with a secret this server does not hold (check AGENTWATCH_FEEDBACK_SECRET on every replica)",
      );
    const claims = parseClaims(payload);
    if (claims.expiresAtMs <= this.now()) {
      throw new FeedbackTokenError(
        "expired",
        `feedback token expired at ${new Date(claims.expiresAtMs).toISOString()}: feedback is accepted for a limited time after the answer`,
      );
    }
    return claims;
  }
}

function sign(key: Buffer, payload: string): Buffer {
  return createHmac("sha256", key).update(`${PREFIX}.${payload}`).digest();
}

function malformed(why: string): FeedbackTokenError {
  return new FeedbackTokenError("malformed", `feedback token is malformed: ${why}; send the feedback_token of the answer unchanged`);
}

function parseClaims(payload: string): FeedbackClaims {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw malformed("its payload is not JSON");
  }
  if (!Array.isArray(body) || body.length !== 9 || body[0] !== 1) throw malformed("its payload is not a version 1 token");
  const [, traceId, spanId, flags, agent, promptVersion, feature, iat, exp] = body as unknown[];
  const ok =
    typeof traceId === "string" &&
    HEX32.test(traceId) &&
    typeof spanId === "string" &&
    HEX16.test(spanId) &&
    typeof flags === "number" &&
    Number.isInteger(flags) &&
    typeof agent === "string" &&
    typeof promptVersion === "string" &&
    typeof feature === "string" &&
    typeof iat === "number" &&
    typeof exp === "number";
  if (!ok) throw malformed("its payload has a field of the wrong type");
  return {
    spanContext: { traceId, spanId, traceFlags: flags, isRemote: true },
    agent,
    promptVersion,
    feature,
    issuedAtMs: iat * 1000,
    expiresAtMs: exp * 1000,
  };
}
