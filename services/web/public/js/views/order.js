import { ApiError, NetworkError, SessionExpired, get, post } from "../api.js";
import { announce, h, replace } from "../dom.js";
import { STATUS_WORDS, dateTime, money } from "../format.js";
import { clearErrors, errorSummary, showError } from "../problems.js";

// Polling while the worker decides: quick at first, then slower, never faster than this.
const FIRST_DELAY_MS = 400;
const MAX_DELAY_MS = 5000;

const REASONS = {
  OUT_OF_STOCK: (skus) => `Not enough stock for ${skus}.`,
  UNKNOWN_PRODUCT: (skus) => `These products are not in the catalog: ${skus}.`,
  TOTAL_TOO_LARGE: (skus) => `The total would be more than one order may hold (products ${skus}).`,
};

const CANCELLABLE = new Set(["PENDING", "CONFIRMED"]);

export async function orderView({ root, params, signal }) {
  const [orderId] = params;
  const path = `/orders/${encodeURIComponent(orderId)}`;
  let { body: order } = await get(path);
  if (signal.aborted) return;

  const status = h("p", { class: "order-status", "aria-live": "polite", "aria-atomic": "true" });
  const details = h("div", {});
  const summary = errorSummary();
  const cancelButton = h("button", { type: "button", class: "danger" }, "Cancel order");
  const dialog = cancelDialog();
  const page = h("div", {}, summary, status, details, h("div", { class: "actions" }, cancelButton), dialog.element);
  // Polling ends with the page, or once the order is decided or cancelled here: a read
  // answered after that is stale and must not bring Pending (and its cancel button) back.
  const polling = new AbortController();
  signal.addEventListener("abort", () => polling.abort());

  const show = (next) => {
    order = next;
    if (order.status !== "PENDING") polling.abort();
    replace(status, "Status: ", h("strong", { class: `badge status-${order.status.toLowerCase()}` }, STATUS_WORDS[order.status]));
    replace(details, orderDetails(order));
    cancelButton.hidden = !CANCELLABLE.has(order.status);
  };

  cancelButton.addEventListener("click", async () => {
    if (!(await dialog.confirm())) {
      cancelButton.focus();
      return;
    }
    cancelButton.disabled = true;
    try {
      const { body } = await post(`${path}/cancel`);
      show(body);
      announce("Order cancelled.");
      status.setAttribute("tabindex", "-1");
      status.focus();
    } catch (error) {
      if (error instanceof SessionExpired) return;
      showError(page, summary, error, { retry: () => cancelButton.click(), words: cancelWords });
      if (error instanceof ApiError && error.status === 409) await showCurrent(cancelWords(error));

    } finally {
      cancelButton.disabled = false;
    }
  });

  // After a refused cancel, the order as it is now, beside the refusal's words.
  const showCurrent = async (refusal) => {
    try {
      show((await get(path)).body);
      summary.focus();
    } catch (error) {
      if (error instanceof SessionExpired) return;
      showError(page, summary, error, { retry: () => location.reload(), context: `${refusal} Its current status could not be loaded:` });
    }
  };

  show(order);
  replace(root, h("h1", { tabindex: "-1" }, `Order ${order.id}`), page);
  if (order.status === "PENDING") poll(path, polling.signal, show, page, summary);
}

// Re-reads a pending order, backing off, until it is decided, cancelled or the person leaves the page.
async function poll(path, signal, show, page, summary) {
  let delay = FIRST_DELAY_MS;
  let dropped = null; // the words said about a dropped connection, while they are shown
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (signal.aborted) return;
    try {
      const { body } = await get(path);
      if (signal.aborted) return;
      // The connection is back: its words no longer hold (unless something else was said since).
      if (dropped && summary.contains(dropped)) clearErrors(page, summary);
      dropped = null;
      show(body);
      delay = Math.min(delay * 1.5, MAX_DELAY_MS);
    } catch (error) {
      if (error instanceof SessionExpired || signal.aborted) return;
      if (!(error instanceof NetworkError)) {
        showError(page, summary, error);
        return;
      }
      // A dropped connection is retried on the same backoff, and said once.
      if (summary.hidden) {
        showError(page, summary, error, { retry: () => location.reload() });
        dropped = summary.firstElementChild;
      }
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}

function cancelWords(error) {
  if (error instanceof ApiError && error.status === 409) {
    return `This order can no longer be cancelled: ${error.problem.detail || "it has already been rejected or cancelled."}`;
  }
  return null;
}

function orderDetails(order) {
  const rows = order.lines.map((line) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, line.sku),
      h("td", {}, String(line.quantity)),
      h("td", {}, line.unit_price_cents == null ? "—" : money(line.unit_price_cents, order.currency)),
      h("td", {}, line.unit_price_cents == null ? "—" : money(line.unit_price_cents * line.quantity, order.currency)),
    ),
  );
  const parts = [
    h("p", { class: "meta" }, `Placed ${dateTime(order.created_at)} · last changed ${dateTime(order.updated_at)}`),
    h(
      "table",
      { class: "lines" },
      h("caption", { class: "visually-hidden" }, "Order lines"),
      h("thead", {}, h("tr", {}, ["SKU", "Quantity", "Unit price", "Line total"].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows),
    ),
  ];
  if (order.status === "PENDING") parts.push(h("p", { class: "hint" }, "Being decided: stock is checked and the order priced. This page updates by itself."));
  if (order.total_cents != null) parts.push(h("p", { class: "total" }, `Total: ${money(order.total_cents, order.currency)}`));
  if (order.status === "REJECTED") {
    const skus = (order.rejected_skus || []).join(", ") || "some products";
    const words = REASONS[order.rejection_reason]?.(skus) || `Rejected (${order.rejection_reason}).`;
    parts.push(h("p", { class: "rejection" }, h("strong", {}, "Why: "), words));
  }
  if (order.status === "CANCELLED" && order.total_cents != null) parts.push(h("p", { class: "hint" }, "Cancelled: its stock went back to the catalog."));
  return parts;
}

// A confirmation in a modal <dialog>: focus moves into it and Escape answers "no".
function cancelDialog() {
  const keep = h("button", { type: "button", value: "keep" }, "Keep the order");
  const confirm = h("button", { type: "button", class: "danger", value: "cancel" }, "Yes, cancel it");
  const element = h(
    "dialog",
    { "aria-labelledby": "cancel-title", "aria-describedby": "cancel-text" },
    h("h2", { id: "cancel-title" }, "Cancel this order?"),
    h("p", { id: "cancel-text" }, "A cancelled order cannot be placed again; its stock goes back to the catalog."),
    h("div", { class: "actions" }, keep, confirm),
  );
  return {
    element,
    confirm: () =>
      new Promise((resolve) => {
        const close = (answer) => {
          element.close();
          resolve(answer);
        };
        keep.onclick = () => close(false);
        confirm.onclick = () => close(true);
        element.oncancel = (event) => {
          event.preventDefault();
          close(false);
        };
        element.showModal();
        keep.focus();
      }),
  };
}
