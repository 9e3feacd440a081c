// The API at settings.apiBaseUrl (same origin): bearer token, problem+json errors,
// one refresh and retry on 401, and a session that ends goes back to sign-in.

import { NetworkError, accessToken, endSession, refresh } from "./session.js";
import { settings } from "./settings.js";

export { NetworkError };

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title);
    this.status = status;
    this.problem = problem;
  }
}

// Raised after the console has gone to the sign-in page; callers just stop.
export class SessionExpired extends Error {}

let onExpired = () => {};
export function whenSessionExpires(callback) {
  onExpired = callback;
}

async function send(method, path, token, { body, headers = {} }) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(settings().apiBaseUrl + path, init);
  } catch {
    throw new NetworkError("Pedidos could not be reached.");
  }
}

// Any error body in the problem+json shape; API Gateway's and the emulator's too.
async function problemOf(response) {
  const text = await response.text();
  let body = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = {};
  }
  return {
    title: body.title || body.error || response.statusText || `Error ${response.status}`,
    detail: body.detail || body.message || "",
    errors: Array.isArray(body.errors) ? body.errors : [],
  };
}

export async function request(method, path, options = {}) {
  let response = await send(method, path, await accessToken(), options);
  if (response.status === 401) {
    const renewed = await refresh();
    if (renewed) response = await send(method, path, renewed.accessToken, options);
  }
  if (response.status === 401) {
    endSession();
    onExpired();
    throw new SessionExpired("The session has ended.");
  }
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  const body = response.status === 204 ? null : await response.json();
  return { status: response.status, headers: response.headers, body };
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, options) => request("POST", path, options);
export const patch = (path, options) => request("PATCH", path, options);

export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
