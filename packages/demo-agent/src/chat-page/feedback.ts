import type { Faro } from "@grafana/faro-web-sdk";

import { withinTrace } from "./telemetry.js";

export type Rating = "up" | "down";

/**
 * Sends the user's rating of one answer: `POST feedbackUrl` `{ trace_id, feedback_token, rating }` (inside the
 * answer's trace), then a Faro event `feedback` with the trace id and rating, tied to the answer's
 * browser span. The event says `already_recorded: "true"` when the POST was accepted, so a Faro
 * receiver that records feedback (the server's /faro/collect) does not count it twice; when the
 * POST failed, the event is how the feedback still arrives. Resolves true when the feedback was
 * delivered one way or the other.
 */
export async function sendFeedback(
  faro: Faro | undefined,
  feedbackUrl: string,
  answer: { traceId: string; spanId?: string | undefined; feedbackToken?: string | undefined },
  rating: Rating,
): Promise<boolean> {
  const parent = answer.spanId === undefined ? undefined : { traceId: answer.traceId, spanId: answer.spanId };
  let recorded: boolean;
  try {
    const res = await withinTrace(faro, parent, () =>
      fetch(feedbackUrl, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(
          answer.feedbackToken === undefined
            ? { trace_id: answer.traceId, rating }
            : { feedback_token: answer.feedbackToken, trace_id: answer.traceId, rating },
        ),
      }),
    );
    recorded = res.ok;
  } catch {
    recorded = false;
  }
  if (faro === undefined) return recorded;
  const attributes: Record<string, string> = { trace_id: answer.traceId, rating };
  if (recorded) attributes.already_recorded = "true";
  faro.api.pushEvent(
    "feedback",
    attributes,
    undefined,
    parent === undefined ? { skipDedupe: true } : { skipDedupe: true, spanContext: parent },
  );
  return true;
}
