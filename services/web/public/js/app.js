// The console: settings, sign-in, and history routes rendered into <main>.

import { ApiError, NetworkError, SessionExpired, whenSessionExpires } from "./api.js";
import * as cart from "./cart.js";
import { announce, h, replace } from "./dom.js";
import { current, isAdmin, signOut } from "./session.js";
import { loadSettings } from "./settings.js";
import { adminOrdersView, productEditView, productsAdminView } from "./views/admin.js";
import { cartView } from "./views/cart.js";
import { catalogView } from "./views/catalog.js";
import { orderView } from "./views/order.js";
import { ordersView } from "./views/orders.js";
import { signInView } from "./views/signin.js";

const ROUTES = [
  { path: /^\/$/, view: catalogView },
  { path: /^\/cart$/, view: cartView },
  { path: /^\/orders$/, view: ordersView },
  { path: /^\/orders\/([^/]+)$/, view: orderView },
  { path: /^\/admin\/products$/, view: productsAdminView, admin: true },
  { path: /^\/admin\/products\/([^/]+)$/, view: productEditView, admin: true },
  { path: /^\/admin\/orders$/, view: adminOrdersView, admin: true },
  { path: /^\/signin$/, view: signInView, public: true },
];

const main = () => document.getElementById("main");
let navigation = null;

export function navigate(url, { replace: replaceEntry = false } = {}) {
  if (replaceEntry) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render({ focus: true });
}

function here() {
  return location.pathname + location.search;
}

function toSignIn() {
  const next = location.pathname === "/signin" ? "/" : here();
  navigate(`/signin?next=${encodeURIComponent(next)}`, { replace: true });
}

function link(href, text) {
  const active = location.pathname === href;
  return h("a", { href, "aria-current": active ? "page" : null }, text);
}

function renderNav() {
  const nav = document.getElementById("nav");
  const session = current();
  if (!session) {
    nav.replaceChildren();
    return;
  }
  const items = [
    link("/", "Catalog"),
    link("/cart", `Cart (${cart.count()})`),
    link("/orders", "My orders"),
  ];
  if (isAdmin()) items.push(link("/admin/products", "Products"), link("/admin/orders", "Customer orders"));
  const signOutButton = h("button", { type: "button", class: "link-button", onclick: () => {
    signOut();
    navigate("/signin", { replace: true });
    announce("Signed out.");
  } }, "Sign out");
  replace(
    nav,
    h("ul", {}, items.map((item) => h("li", {}, item))),
    h("p", { class: "who" }, h("span", {}, `${session.username}${isAdmin() ? " (administrator)" : ""}`), " ", signOutButton),
  );
}

function notFound(root) {
  replace(root, h("h1", { tabindex: "-1" }, "Page not found"), h("p", {}, h("a", { href: "/" }, "Go to the catalog")));
}

function notAllowed(root) {
  replace(root, h("h1", { tabindex: "-1" }, "For administrators"), h("p", {}, "This page is for administrators. ", h("a", { href: "/" }, "Go to the catalog")));
}

// A page that could not load says why in words, and offers to try again.
function pageError(root, error) {
  let words = "Something went wrong.";
  if (error instanceof NetworkError) words = "Pedidos could not be reached. Check your connection, then retry.";
  else if (error instanceof ApiError) words = [error.problem.title, error.problem.detail].filter(Boolean).join(": ");
  else console.error(error);
  replace(
    root,
    h("h1", { tabindex: "-1" }, error instanceof ApiError && error.status === 404 ? "Not found" : "This page could not load"),
    h("p", { role: "alert" }, words),
    h("button", { type: "button", onclick: () => render({ focus: true }) }, "Retry"),
  );
}

async function render({ focus }) {
  navigation?.abort();
  navigation = new AbortController();
  const root = main();
  const route = ROUTES.find((each) => each.path.test(location.pathname));
  if (route && !route.public && !current()) {
    toSignIn();
    return;
  }
  renderNav();
  root.setAttribute("aria-busy", "true");
  replace(root, h("p", { class: "loading" }, "Loading…"));
  const params = route ? route.path.exec(location.pathname).slice(1).map(decodeURIComponent) : [];
  const context = { root, params, query: new URLSearchParams(location.search), signal: navigation.signal, navigate };
  try {
    if (!route) notFound(root);
    else if (route.admin && !isAdmin()) notAllowed(root);
    else await route.view(context);
  } catch (error) {
    if (!(error instanceof SessionExpired) && !context.signal.aborted) pageError(root, error);
  } finally {
    if (!context.signal.aborted) {
      root.removeAttribute("aria-busy");
      const heading = root.querySelector("h1");
      document.title = heading ? `${heading.textContent} · Pedidos` : "Pedidos";
      // Moving focus to the new page's heading tells a screen reader the page changed.
      if (focus && heading && !root.contains(document.activeElement)) heading.focus();
    }
  }
}

function followLinks(event) {
  const anchor = event.target.closest("a[href]");
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || anchor.target || anchor.hasAttribute("download")) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}

async function start() {
  const root = main();
  try {
    await loadSettings();
  } catch {
    replace(
      root,
      h("h1", { tabindex: "-1" }, "The console could not start"),
      h("p", { role: "alert" }, "Its settings could not be loaded. Check your connection, then retry."),
      h("button", { type: "button", onclick: () => location.reload() }, "Retry"),
    );
    return;
  }
  whenSessionExpires(() => {
    toSignIn();
    announce("Your session has ended. Sign in again to continue.");
  });
  document.addEventListener("click", followLinks);
  document.addEventListener("cartchange", renderNav);
  window.addEventListener("popstate", () => render({ focus: true }));
  await render({ focus: false });
}

start();
