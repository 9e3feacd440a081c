import { get, query as queryString } from "../api.js";
import { h, replace, uid } from "../dom.js";
import { STATUS_WORDS, dateTime, money } from "../format.js";
import { errorSummary, showError } from "../problems.js";
import { customerId } from "../session.js";

const PAGE_SIZE = 10;

export async function ordersView({ root, query, signal, navigate }) {
  const status = query.get("status") || "";
  const list = await orderList({ status }, signal);
  if (!list) return;
  replace(
    root,
    h("h1", { tabindex: "-1" }, "My orders"),
    h("p", { class: "meta" }, "Your customer id: ", h("code", {}, customerId())),
    statusFilter(status, (chosen) => navigate(`/orders${queryString({ status: chosen })}`)),
    list,
  );
}

export function statusFilter(status, onChange) {
  const select = h(
    "select",
    { id: uid("status"), name: "status" },
    h("option", { value: "" }, "All"),
    Object.entries(STATUS_WORDS).map(([value, words]) => h("option", { value, selected: value === status }, words)),
  );
  const form = h(
    "form",
    { class: "filter", role: "search", "aria-label": "Filter orders" },
    h("label", { for: select.id }, "Status"),
    select,
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onChange(select.value);
  });
  return form;
}

// A listing of orders, newest first, with "Load more" following the cursors.
export async function orderList(filters, signal) {
  const { body: first } = await get(`/orders${queryString({ ...filters, limit: PAGE_SIZE })}`);
  if (signal.aborted) return null;
  const items = h("ul", { class: "orders", "aria-label": "Orders" });
  const summary = errorSummary();
  const container = h("section", { "aria-label": "Orders, newest first" }, items, summary);
  let cursor = null;
  const more = h("button", { type: "button" }, "Load more");
  const show = (page) => {
    const firstNew = page.items.length ? orderItem(page.items[0]) : null;
    items.append(...(firstNew ? [firstNew, ...page.items.slice(1).map(orderItem)] : []));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    return firstNew;
  };
  const loadMore = async () => {
    more.disabled = true;
    more.textContent = "Loading…";
    try {
      const { body: page } = await get(`/orders${queryString({ ...filters, limit: PAGE_SIZE, cursor })}`);
      // Keep the keyboard where the new orders begin.
      show(page)?.querySelector("a")?.focus();
    } catch (error) {
      showError(container, summary, error, { retry: loadMore });
    } finally {
      more.disabled = false;
      more.textContent = "Load more";
    }
  };
  more.addEventListener("click", loadMore);
  show(first);
  if (!first.items.length) container.prepend(h("p", {}, "No orders."));
  container.append(more);
  return container;
}

function orderItem(order) {
  return h(
    "li",
    { class: "card order-summary" },
    h("a", { href: `/orders/${encodeURIComponent(order.id)}` }, `Order ${order.id}`),
    h(
      "p",
      { class: "meta" },
      h("span", { class: `badge status-${order.status.toLowerCase()}` }, STATUS_WORDS[order.status]),
      ` · ${dateTime(order.created_at)} · ${order.lines.length} line${order.lines.length === 1 ? "" : "s"}`,
      order.total_cents !== null && order.total_cents !== undefined ? ` · ${money(order.total_cents, order.currency)}` : "",
    ),
  );
}
