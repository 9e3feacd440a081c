import { ApiError, SessionExpired, get, patch, post, query as queryString } from "../api.js";
import { announce, h, replace } from "../dom.js";
import { amountInput, money, parseMoney } from "../format.js";
import { clearErrors, errorSummary, field, setFieldError, showError } from "../problems.js";
import { currency } from "../settings.js";
import { orderList, statusFilter } from "./orders.js";

const PAGE_SIZE = 20;

function productInputs(product = {}) {
  return {
    sku: h("input", { name: "sku", autocomplete: "off", spellcheck: "false", value: product.sku ?? "" }),
    name: h("input", { name: "name", autocomplete: "off", value: product.name ?? "" }),
    price: h("input", { name: "price", inputmode: "decimal", autocomplete: "off", value: product.price_cents == null ? "" : amountInput(product.price_cents, currency()) }),
    stock: h("input", { name: "stock", type: "number", inputmode: "numeric", min: 0, autocomplete: "off", value: product.stock ?? "" }),
  };
}

// The form's values as the API takes them; null (with the field marked) when the price is not an amount.
function readValues(inputs) {
  const values = { name: inputs.name.value };
  const cents = parseMoney(inputs.price.value, currency());
  if (cents === null) {
    setFieldError(inputs.price, `Enter an amount such as 12.50 (${currency()}).`);
    inputs.price.focus();
    return null;
  }
  values.price_cents = cents;
  // A stock that is not a whole number goes as typed: the API says what is wrong with it.
  values.stock = /^\d+$/.test(inputs.stock.value.trim()) ? Number(inputs.stock.value) : inputs.stock.value;
  if (inputs.sku) values.sku = inputs.sku.value.trim();
  return values;
}

export async function productsAdminView({ root, query, signal, navigate }) {
  const cursor = query.get("cursor");
  const { body: page } = await get(`/products${queryString({ limit: PAGE_SIZE, cursor })}`);
  if (signal.aborted) return;

  const inputs = productInputs();
  const summary = errorSummary();
  const submit = h("button", { type: "submit", class: "primary" }, "Create product");
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "create-title" },
    h("h2", { id: "create-title" }, "New product"),
    summary,
    field("SKU", inputs.sku, "sku", "1-64 letters, digits, - or _."),
    field("Name", inputs.name, "name"),
    field(`Price (${currency()})`, inputs.price, "price_cents"),
    field("Stock", inputs.stock, "stock"),
    submit,
  );
  const create = async () => {
    clearErrors(form, summary);
    const values = readValues(inputs);
    if (!values) return;
    submit.disabled = true;
    try {
      const { body: product } = await post("/products", { body: values });
      announce(`Created ${product.name}.`);
      navigate(`/admin/products/${encodeURIComponent(product.sku)}`);
    } catch (error) {
      if (error instanceof SessionExpired) return;
      showError(form, summary, error, { retry: create });
      if (error instanceof ApiError && error.status === 409) setFieldError(inputs.sku, "A product with this SKU exists already.");
    } finally {
      submit.disabled = false;
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    create();
  });

  const rows = page.items.map((product) =>
    h(
      "li",
      { class: "card product-row" },
      h("a", { href: `/admin/products/${encodeURIComponent(product.sku)}` }, `Edit ${product.name}`),
      h("p", { class: "meta" }, `${product.sku} · ${money(product.price_cents, currency())} · ${product.stock} in stock · version ${product.version}`),
    ),
  );
  replace(
    root,
    h("h1", { tabindex: "-1" }, "Products"),
    form,
    h("h2", {}, "Catalog"),
    rows.length ? h("ul", { class: "products-admin", "aria-label": "Catalog products" }, rows) : h("p", {}, "No products yet."),
    h(
      "nav",
      { class: "pager", "aria-label": "Catalog pages" },
      cursor ? h("a", { href: "/admin/products" }, "First page") : null,
      page.next_cursor ? h("a", { href: `/admin/products${queryString({ cursor: page.next_cursor })}` }, "Next page") : null,
    ),
  );
}

// Edits a product with If-Match from the ETag read; a 412 is shown as a conflict,
// with the current version, and is never overwritten without the person's say.
export async function productEditView({ root, params, signal }) {
  const [sku] = params;
  const path = `/products/${encodeURIComponent(sku)}`;
  let { body: base, headers } = await get(path);
  let etag = headers.get("ETag");
  if (signal.aborted) return;

  const inputs = productInputs(base);
  delete inputs.sku;
  const summary = errorSummary();
  const conflict = h("section", { class: "conflict", role: "alert", tabindex: "-1", hidden: true, "aria-labelledby": "conflict-title" });
  const version = h("p", { class: "meta" });
  const submit = h("button", { type: "submit", class: "primary" }, "Save changes");
  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "edit-title" },
    h("h2", { id: "edit-title" }, "Change"),
    summary,
    field("Name", inputs.name, "name"),
    field(`Price (${currency()})`, inputs.price, "price_cents"),
    field("Stock", inputs.stock, "stock"),
    submit,
  );
  const showVersion = () => {
    version.textContent = `SKU ${base.sku} · version ${base.version}`;
  };
  const load = (product) => {
    inputs.name.value = product.name;
    inputs.price.value = amountInput(product.price_cents, currency());
    inputs.stock.value = String(product.stock);
  };

  const save = async () => {
    clearErrors(form, summary);
    const values = readValues(inputs);
    if (!values) return;
    const changes = Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== base[name]));
    if (!Object.keys(changes).length) {
      replace(summary, h("p", {}, "Nothing to save: the form shows the stored values."));
      summary.hidden = false;
      summary.focus();
      return;
    }
    submit.disabled = true;
    try {
      const response = await patch(path, { body: changes, headers: { "If-Match": etag } });
      saved(response.body, response.headers.get("ETag"));
    } catch (error) {
      if (error instanceof SessionExpired) return;
      if (error instanceof ApiError && error.status === 412) await showConflict(changes);
      else showError(form, summary, error, { retry: save });
    } finally {
      submit.disabled = false;
    }
  };

  const saved = (product, productEtag) => {
    base = product;
    etag = productEtag;
    conflict.hidden = true;
    showVersion();
    load(base);
    announce(`Saved. ${base.name} is now at version ${base.version}.`);
    replace(summary, h("p", { class: "ok" }, `Saved: version ${base.version}.`));
    summary.hidden = false;
  };

  const showConflict = async (sent) => {
    let latest, latestHeaders;
    try {
      ({ body: latest, headers: latestHeaders } = await get(path));
    } catch (error) {
      if (error instanceof SessionExpired) return;
      const context = "Someone changed this product while you were editing it, so your changes were not saved, and its current version could not be loaded:";
      showError(form, summary, error, { retry: save, context });
      return;
    }
    // The current version already holds what was sent: a retried PATCH whose first answer
    // was lost (it was applied, so its If-Match is stale now). That is saved, not a conflict.
    if (Object.entries(sent).every(([name, value]) => latest[name] === value)) {
      saved(latest, latestHeaders.get("ETag"));
      return;
    }
    const describe = (product) => `${product.name} · ${money(product.price_cents, currency())} · ${product.stock} in stock`;
    const reapply = h("button", { type: "button", class: "primary" }, "Apply my changes to the current version");
    const discard = h("button", { type: "button" }, "Discard my changes");
    reapply.addEventListener("click", () => {
      base = latest;
      etag = latestHeaders.get("ETag");
      conflict.hidden = true;
      showVersion();
      save();
    });
    discard.addEventListener("click", () => {
      base = latest;
      etag = latestHeaders.get("ETag");
      conflict.hidden = true;
      showVersion();
      load(base);
      inputs.name.focus();
      announce(`Showing version ${base.version}.`);
    });
    replace(
      conflict,
      h("h2", { id: "conflict-title" }, "Changed meanwhile"),
      h("p", {}, `Someone changed this product while you were editing it, so your changes were not saved. You edited version ${base.version}; the current version is ${latest.version}.`),
      h("dl", {}, h("dt", {}, "Current version"), h("dd", {}, describe(latest)), h("dt", {}, "Your form"), h("dd", {}, `${inputs.name.value} · ${inputs.price.value} · ${inputs.stock.value} in stock`)),
      h("div", { class: "actions" }, reapply, discard),
    );
    conflict.hidden = false;
    conflict.focus();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  showVersion();
  replace(root, h("h1", { tabindex: "-1" }, `Product ${base.name}`), version, conflict, form, h("p", {}, h("a", { href: "/admin/products" }, "Back to products")));
}

export async function adminOrdersView({ root, query, signal, navigate }) {
  const customer = query.get("customer") || "";
  const status = query.get("status") || "";
  const input = h("input", { name: "customer", autocomplete: "off", spellcheck: "false", value: customer, required: true });
  const summary = errorSummary();
  const form = h("form", { class: "card", role: "search", "aria-label": "Find a customer's orders", novalidate: true }, summary, field("Customer id", input, "customer_id", "The customer's id (their sign-in subject)."), h("button", { type: "submit" }, "Find orders"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value.trim()) {
      clearErrors(form, summary);
      setFieldError(input, "Enter a customer id.");
      input.focus();
      return;
    }
    navigate(`/admin/orders${queryString({ customer: input.value.trim() })}`);
  });
  const parts = [h("h1", { tabindex: "-1" }, "Customer orders"), form];
  if (customer) {
    try {
      const list = await orderList({ customer_id: customer, status }, signal);
      if (!list) return;
      parts.push(
        h("h2", {}, `Orders of ${customer}`),
        statusFilter(status, (chosen) => navigate(`/admin/orders${queryString({ customer, status: chosen })}`)),
        list,
      );
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 422) throw error;
      replace(root, ...parts);
      showError(form, summary, error);
      return;
    }
  }
  replace(root, ...parts);
}
