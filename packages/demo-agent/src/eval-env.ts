// The environment the demo's eval target (eval-target.ts) reads when it is imported.

/** The environment variable naming the incident(s) an evaluation runs under (comma-separated). */
export const EVAL_INCIDENT_ENV = "AGENTWATCH_EVAL_INCIDENT";
/** The environment variable dividing the scripted model's simulated delays. */
export const EVAL_SPEED_ENV = "AGENTWATCH_EVAL_SPEED";
