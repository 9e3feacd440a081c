// problem+json errors in plain words, each next to the field it concerns.
//
// A field carries data-field="<location without its first part>": the API's
// ["body", "lines", 0, "quantity"] lands on data-field="lines.0.quantity".

import { ApiError, NetworkError } from "./api.js";
import { h, replace, uid } from "./dom.js";

export function fieldKey(location) {
  return location.slice(1).join(".");
}

// A labelled input with its own error line, announced with the field.
export function field(labelText, input, key, hint) {
  const id = input.id || uid("field");
  input.id = id;
  input.dataset.field = key;
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const described = [`${id}-error`];
  let hintElement = null;
  if (hint) {
    hintElement = h("p", { class: "hint", id: `${id}-hint` }, hint);
    described.unshift(`${id}-hint`);
  }
  input.setAttribute("aria-describedby", described.join(" "));
  return h("div", { class: "field" }, h("label", { for: id }, labelText), hintElement, input, error);
}

export function errorSummary() {
  return h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true });
}

export function setFieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  input.setAttribute("aria-invalid", "true");
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
}

export function clearErrors(container, summary) {
  for (const input of container.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    const error = document.getElementById(`${input.id}-error`);
    if (error) {
      error.textContent = "";
      error.hidden = true;
    }
  }
  if (summary) {
    summary.replaceChildren();
    summary.hidden = true;
  }
}

const NETWORK_WORDS = "Pedidos could not be reached. Check your connection, then retry.";

// Shows an error from the API (or the network) in `summary` and beside its fields;
// `retry`, when given, is offered as a button for a network failure; `context`, when
// given, says first what the error stopped.
export function showError(container, summary, error, { retry, words, context } = {}) {
  clearErrors(container, summary);
  const lines = context ? [h("p", {}, context)] : [];
  let firstField = null;
  if (error instanceof NetworkError) {
    lines.push(h("p", {}, NETWORK_WORDS));
    if (retry) lines.push(h("button", { type: "button", class: "retry", onclick: retry }, "Retry"));
  } else if (error instanceof ApiError) {
    const problem = error.problem;
    lines.push(h("p", {}, words?.(error) || [problem.title, problem.detail].filter(Boolean).join(": ")));
    const unplaced = [];
    for (const each of problem.errors) {
      const key = fieldKey(each.location || []);
      const input = key && container.querySelector(`[data-field="${CSS.escape(key)}"]`);
      if (input) {
        setFieldError(input, each.message);
        firstField ??= input;
      } else {
        unplaced.push(h("li", {}, `${(each.location || []).slice(1).join(" ") || "request"}: ${each.message}`));
      }
    }
    if (unplaced.length) lines.push(h("ul", {}, unplaced));
  } else {
    lines.push(h("p", {}, String(error?.message || error)));
  }
  replace(summary, lines);
  summary.hidden = false;
  (firstField || summary).focus();
}
