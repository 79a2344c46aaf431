import "./chat-page.css";

import type { Faro } from "@grafana/faro-web-sdk";

import { askAgent, ChatError, parseTraceparent } from "./chat-client.js";
import { type ChatPageConfig, loadConfig } from "./config.js";
import { type Rating, sendFeedback } from "./feedback.js";
import { startFaro } from "./telemetry.js";

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string } = {},
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  return el;
}

function required<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`chat page: element #${id} is missing`);
  return el;
}

/** A conversation id for this page view (crypto.randomUUID needs a secure context; getRandomValues does not). */
function newThreadId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const SVG = "http://www.w3.org/2000/svg";

/** A thumb icon drawn inline (no emoji font needed), pointing up or down; hidden from assistive tech. */
function thumb(direction: Rating): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "20");
  svg.setAttribute("height", "20");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const g = document.createElementNS(SVG, "g");
  g.setAttribute("fill", "currentColor");
  if (direction === "down") g.setAttribute("transform", "rotate(180 12 12)");
  const cuff = document.createElementNS(SVG, "rect");
  for (const [k, v] of Object.entries({ x: "2", y: "10", width: "4", height: "11", rx: "1" })) cuff.setAttribute(k, v);
  const hand = document.createElementNS(SVG, "path");
  hand.setAttribute("d", "M8 10 12 3c1.5 0 2.5 1 2 3l-1 4h7c1.2 0 2 1 1.7 2.2l-1.9 7.3c-.3.9-1 1.5-1.9 1.5H8z");
  g.append(cuff, hand);
  svg.append(g);
  return svg;
}

function feedbackButtons(onRate: (rating: Rating, buttons: HTMLButtonElement[]) => void): HTMLElement {
  const group = element("div", { className: "feedback" });
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", "Was this answer helpful?");
  group.append(element("span", { className: "feedback-prompt", text: "Helpful?" }));
  const buttons: HTMLButtonElement[] = [];
  for (const [rating, label] of [
    ["up", "Helpful"],
    ["down", "Not helpful"],
  ] as const) {
    const button = element("button", { className: "rate" });
    button.append(thumb(rating));
    button.type = "button";
    button.dataset.rating = rating;
    button.setAttribute("aria-label", label);
    button.setAttribute("aria-pressed", "false");
    button.title = label;
    button.addEventListener("click", () => onRate(rating, buttons));
    buttons.push(button);
  }
  group.append(...buttons);
  return group;
}

function start(config: ChatPageConfig, faro: Faro | undefined): void {
  const form = required("ask", HTMLFormElement);
  const question = required("question", HTMLTextAreaElement);
  const send = required("send", HTMLButtonElement);
  const conversation = required("conversation", HTMLElement);
  const status = required("status", HTMLElement);
  const threadId = newThreadId();

  const ask = async (message: string): Promise<void> => {
    const turn = element("li", { className: "turn" });
    const asked = element("p", { className: "question" });
    asked.append(element("span", { className: "who", text: "You" }), element("span", { text: message }));
    const answer = element("div", { className: "answer" });
    answer.setAttribute("aria-busy", "true");
    const text = element("p", { className: "answer-text" });
    answer.append(element("span", { className: "who", text: "Agent" }), text);
    turn.append(asked, answer);
    conversation.append(turn);
    turn.scrollIntoView({ block: "end" });
    status.textContent = "The agent is answering…";
    try {
      const result = await askAgent(config.chatUrl, { message, thread_id: threadId }, (token) => {
        text.textContent = (text.textContent ?? "") + token;
      });
      text.textContent = result.answer;
      answer.setAttribute("aria-busy", "false");
      status.textContent = "Answer received.";
      const traceId = result.traceId;
      if (traceId === undefined) {
        answer.append(element("p", { className: "trace", text: "No trace id came back with this answer, so it cannot be rated." }));
        return;
      }
      answer.dataset.traceId = traceId;
      const sent = parseTraceparent(result.traceparent);
      const spanId = sent?.traceId === traceId ? sent.spanId : undefined;
      const trace = element("p", { className: "trace" });
      trace.append("trace ", element("code", { text: traceId }));
      answer.append(
        feedbackButtons((rating, buttons) => {
          for (const b of buttons) {
            b.disabled = true;
            b.setAttribute("aria-pressed", String(b.dataset.rating === rating));
          }
          status.textContent = "Sending your feedback…";
          void sendFeedback(faro, config.feedbackUrl, { traceId, spanId, feedbackToken: result.feedbackToken }, rating).then(
            (delivered) => {
              status.textContent = delivered ? "Thank you for your feedback." : "Your feedback could not be sent.";
              answer.dataset.feedback = delivered ? rating : "failed";
            },
          );
        }),
        trace,
      );
    } catch (error) {
      answer.setAttribute("aria-busy", "false");
      answer.classList.add("failed");
      const why = error instanceof Error ? error.message : String(error);
      text.textContent = `Sorry, no answer: ${why}`;
      status.textContent = "The question failed.";
      if (error instanceof ChatError && error.traceId) answer.dataset.traceId = error.traceId;
      else faro?.api.pushError(error instanceof Error ? error : new Error(why));
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = question.value.trim();
    if (message === "" || send.disabled) return;
    question.value = "";
    send.disabled = true;
    void ask(message).finally(() => {
      send.disabled = false;
      question.focus();
    });
  });
  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.dataset.ready = "true";
  question.focus();
}

async function boot(): Promise<void> {
  try {
    const config = await loadConfig();
    start(config, startFaro(config));
  } catch (error) {
    const status = document.getElementById("status");
    if (status) status.textContent = `The chat page could not start: ${error instanceof Error ? error.message : String(error)}`;
    throw error;
  }
}

void boot();
