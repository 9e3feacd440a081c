import { get, query as queryString } from "../api.js";
import * as cart from "../cart.js";
import { announce, h, replace } from "../dom.js";
import { money } from "../format.js";
import { currency } from "../settings.js";

const PAGE_SIZE = 12;

export async function catalogView({ root, query, signal }) {
  const cursor = query.get("cursor");
  const { body: page } = await get(`/products${queryString({ limit: PAGE_SIZE, cursor })}`);
  if (signal.aborted) return;
  const pager = h(
    "nav",
    { class: "pager", "aria-label": "Catalog pages" },
    cursor ? h("a", { href: "/" }, "First page") : null,
    page.next_cursor ? h("a", { href: `/${queryString({ cursor: page.next_cursor })}`, rel: "next" }, "Next page") : null,
  );
  replace(
    root,
    h("h1", { tabindex: "-1" }, "Catalog"),
    page.items.length
      ? h("ul", { class: "products", "aria-label": "Products" }, page.items.map(productCard))
      : h("p", {}, "No products here yet."),
    pager,
  );
}

function productCard(product) {
  const quantity = h("input", {
    type: "number",
    inputmode: "numeric",
    min: 1,
    max: cart.MAX_QUANTITY,
    value: 1,
    id: `quantity-${product.sku}`,
    name: "quantity",
  });
  const message = h("p", { class: "field-error", id: `quantity-${product.sku}-error`, hidden: true });
  quantity.setAttribute("aria-describedby", message.id);
  const form = h(
    "form",
    { class: "add-to-cart", novalidate: true },
    h("label", { for: quantity.id }, "Quantity"),
    quantity,
    h("button", { type: "submit" }, "Add ", h("span", { class: "visually-hidden" }, product.name), " to cart"),
    message,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const units = Number(quantity.value);
    const problem = cart.isQuantity(units) ? cart.add(product, units) : `Enter a whole number from 1 to ${cart.MAX_QUANTITY}.`;
    message.textContent = problem || "";
    message.hidden = !problem;
    if (problem) {
      quantity.setAttribute("aria-invalid", "true");
      quantity.focus();
    } else {
      quantity.removeAttribute("aria-invalid");
      announce(`Added ${units} × ${product.name} to the cart.`);
    }
  });
  return h(
    "li",
    { class: "card product", "aria-labelledby": `product-${product.sku}` },
    h("h2", { id: `product-${product.sku}` }, product.name),
    h(
      "dl",
      {},
      h("dt", {}, "SKU"),
      h("dd", {}, product.sku),
      h("dt", {}, "Price"),
      h("dd", { class: "price" }, money(product.price_cents, currency())),
      h("dt", {}, "Stock"),
      h("dd", { class: "stock" }, product.stock > 0 ? `${product.stock} in stock` : "Out of stock"),
    ),
    form,
  );
}
