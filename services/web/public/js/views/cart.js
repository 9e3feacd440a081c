import { ApiError, SessionExpired, post } from "../api.js";
import * as cart from "../cart.js";
import { announce, h, replace } from "../dom.js";
import { money } from "../format.js";
import { clearErrors, errorSummary, setFieldError, showError } from "../problems.js";
import { currency } from "../settings.js";

export async function cartView({ root, navigate }) {
  const lines = cart.lines();
  if (!lines.length) {
    replace(root, h("h1", { tabindex: "-1" }, "Cart"), h("p", {}, "Your cart is empty. ", h("a", { href: "/" }, "Browse the catalog")));
    return;
  }
  const summary = errorSummary();
  const total = h("p", { class: "total" });
  const submit = h("button", { type: "submit", class: "primary" }, "Place order");
  const list = h("ul", { class: "cart-lines", "aria-label": "Cart lines" }, lines.map((line, index) => cartLine(line, index, root, navigate)));
  // Disabled while the order is in flight: an edit then would make a new checkout, and
  // a retry after a lost answer a second order.
  const editable = h("fieldset", { class: "cart-edit" }, h("legend", { class: "visually-hidden" }, "Your cart"), list);
  const form = h("form", { class: "checkout", novalidate: true }, summary, editable, total, h("p", { class: "hint" }, "Prices are confirmed when the order is decided."), submit);
  const refreshTotal = () => {
    const cents = cart.lines().reduce((sum, line) => sum + line.price_cents * line.quantity, 0);
    total.textContent = `Estimated total: ${money(cents, currency())}`;
  };
  refreshTotal();
  form.addEventListener("input", refreshTotal);

  let inFlight = false;
  const place = async () => {
    if (inFlight) return;
    clearErrors(form, summary);
    const invalid = [...form.querySelectorAll("input[data-field$='.quantity']")].filter((input) => !cart.isQuantity(Number(input.value)));
    if (invalid.length) {
      for (const input of invalid) setFieldError(input, `Enter a whole number from 1 to ${cart.MAX_QUANTITY}.`);
      invalid[0].focus();
      return;
    }
    inFlight = true;
    editable.disabled = true;
    submit.disabled = true;
    submit.textContent = "Placing order…";
    announce("Placing your order…");
    // One key per checkout: a retry, a double click or a reload sends the same one.
    const key = cart.checkoutKey();
    try {
      const body = { lines: cart.lines().map(({ sku, quantity }) => ({ sku, quantity })) };
      const { body: order } = await post("/orders", { body, headers: { "Idempotency-Key": key } });
      cart.clear();
      announce("Order placed.");
      navigate(`/orders/${encodeURIComponent(order.id)}`);
    } catch (error) {
      if (error instanceof SessionExpired) return;
      showError(form, summary, error, { retry: place, words: checkoutWords });
    } finally {
      inFlight = false;
      editable.disabled = false;
      submit.disabled = false;
      submit.textContent = "Place order";
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    place();
  });
  replace(root, h("h1", { tabindex: "-1" }, "Cart"), form);
}

function checkoutWords(error) {
  if (error instanceof ApiError && error.status === 409) {
    return "This order is still being placed. Wait a moment, then retry: it will not be placed twice.";
  }
  return null;
}

function cartLine(line, index, root, navigate) {
  const quantity = h("input", {
    type: "number",
    inputmode: "numeric",
    min: 1,
    max: cart.MAX_QUANTITY,
    value: line.quantity,
    id: `cart-quantity-${index}`,
  });
  const label = h("label", { for: quantity.id }, "Quantity ", h("span", { class: "visually-hidden" }, `of ${line.name}`));
  quantity.addEventListener("input", () => {
    const units = Number(quantity.value);
    if (cart.isQuantity(units)) cart.setQuantity(line.sku, units);
  });
  const error = h("p", { class: "field-error", id: `${quantity.id}-error`, hidden: true });
  quantity.dataset.field = `lines.${index}.quantity`;
  quantity.setAttribute("aria-describedby", error.id);
  const removeButton = h(
    "button",
    {
      type: "button",
      class: "link-button",
      onclick: () => {
        cart.remove(line.sku);
        announce(`Removed ${line.name} from the cart.`);
        navigate("/cart", { replace: true });
      },
    },
    "Remove ",
    h("span", { class: "visually-hidden" }, line.name),
  );
  const stockNote = line.quantity > line.stock ? h("p", { class: "hint" }, `Only ${line.stock} were in stock when you added it.`) : null;
  return h(
    "li",
    { class: "card cart-line" },
    h("h2", {}, line.name),
    h("p", { class: "meta" }, `${line.sku} · ${money(line.price_cents, currency())} each`),
    stockNote,
    h("div", { class: "field inline" }, label, quantity, removeButton),
    error,
  );
}
