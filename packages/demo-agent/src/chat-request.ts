/** A validated `POST /chat` body. */
export interface ChatRequest {
  message: string;
  threadId?: string;
  userId?: string;
}

/** Thrown for a bad request body; `field` names what is wrong. */
export class BadRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "BadRequestError";
  }
}

const MAX_MESSAGE = 4000;
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Validates a `POST /chat` JSON body; errors name the field and the fix. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BadRequestError(
      "body",
      'body must be a JSON object such as {"message": "Where is my order AB-1234?"} sent with Content-Type: application/json',
    );
  }
  const b = body as Record<string, unknown>;
  if (typeof b.message !== "string" || b.message.trim() === "") {
    throw new BadRequestError("message", 'field "message" is required: a non-empty string with the user\'s question');
  }
  if (b.message.length > MAX_MESSAGE) {
    throw new BadRequestError("message", `field "message" is ${b.message.length} characters; send at most ${MAX_MESSAGE}`);
  }
  /** `thread_id` / `user_id`, or their camelCase spelling (`threadId` / `userId`), never two different values. */
  const id = (field: "thread_id" | "user_id", camel: "threadId" | "userId"): string | undefined => {
    const snake = b[field];
    const other = b[camel];
    if (snake !== undefined && other !== undefined && snake !== other) {
      throw new BadRequestError(field, `fields "${field}" and "${camel}" differ; send one of them`);
    }
    const name = snake !== undefined ? field : camel;
    const v = snake ?? other;
    if (v === undefined) return undefined;
    if (typeof v !== "string" || !ID.test(v)) {
      throw new BadRequestError(name, `field "${name}" must be 1-128 characters of letters, digits, '.', '_', ':' or '-'`);
    }
    return v;
  };
  return { message: b.message, threadId: id("thread_id", "threadId"), userId: id("user_id", "userId") };
}
