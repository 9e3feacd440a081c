// The cart, kept in sessionStorage with the Idempotency-Key of its checkout: the key
// is made once per checkout and survives a retry or a reload, and any change to the
// cart makes a new checkout (the same key with another body would be refused).
// It is kept per user, so it outlives an expired session (the person signs in again
// to the same cart and key) and nobody else who signs in in this tab sees it.

import { customerId } from "./session.js";

const key = () => `pedidos.cart.${customerId()}`;
export const MAX_LINES = 50;
export const MAX_QUANTITY = 1000;

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(key())) || { lines: [], idempotencyKey: null };
  } catch {
    return { lines: [], idempotencyKey: null };
  }
}

function save(cart) {
  sessionStorage.setItem(key(), JSON.stringify(cart));
  document.dispatchEvent(new CustomEvent("cartchange"));
}

export function lines() {
  return load().lines;
}

export function count() {
  return load().lines.length;
}

// Adds units of a product; returns an error in words, or null.
export function add(product, quantity) {
  const cart = load();
  const line = cart.lines.find((each) => each.sku === product.sku);
  if (line) {
    if (line.quantity + quantity > MAX_QUANTITY) return `An order may hold at most ${MAX_QUANTITY} of one product.`;
    line.quantity += quantity;
  } else {
    if (cart.lines.length >= MAX_LINES) return `A cart holds at most ${MAX_LINES} different products.`;
    cart.lines.push({ sku: product.sku, name: product.name, price_cents: product.price_cents, stock: product.stock, quantity });
  }
  cart.idempotencyKey = null;
  save(cart);
  return null;
}

export function setQuantity(sku, quantity) {
  const cart = load();
  const line = cart.lines.find((each) => each.sku === sku);
  if (line && line.quantity !== quantity) {
    line.quantity = quantity;
    cart.idempotencyKey = null;
    save(cart);
  }
}

export function remove(sku) {
  const cart = load();
  cart.lines = cart.lines.filter((each) => each.sku !== sku);
  cart.idempotencyKey = null;
  save(cart);
}

export function clear() {
  save({ lines: [], idempotencyKey: null });
}

export function checkoutKey() {
  const cart = load();
  if (!cart.idempotencyKey) {
    cart.idempotencyKey = crypto.randomUUID();
    sessionStorage.setItem(key(), JSON.stringify(cart));
  }
  return cart.idempotencyKey;
}

export function isQuantity(value) {
  return Number.isInteger(value) && value >= 1 && value <= MAX_QUANTITY;
}
