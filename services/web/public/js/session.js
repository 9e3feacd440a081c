// Sign-in through Amazon Cognito's InitiateAuth (the same call against AWS and the
// local endpoint). The access token is the API's bearer token; both tokens live in
// sessionStorage, so closing the tab signs the person out.

import { settings } from "./settings.js";

const KEY = "pedidos.session";
// Refresh this long before the access token expires, so a request never races its expiry.
const EARLY_SECONDS = 30;

export class SignInError extends Error {}
export class NetworkError extends Error {}

export function current() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY));
  } catch {
    return null;
  }
}

export function claims(token) {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(payload), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

// Display only: the API decides what a token may do.
export function isAdmin() {
  const session = current();
  return Boolean(session && (claims(session.accessToken)["cognito:groups"] || []).includes("admin"));
}

export function customerId() {
  const session = current();
  return session ? claims(session.accessToken).sub : null;
}

// The tokens are over: only they go, so the person signs in again to the same cart
// and checkout (the cart is kept per user: see cart.js).
export function endSession() {
  sessionStorage.removeItem(KEY);
}

// The person signs out: the refresh token is revoked (the pool has token revocation
// on), then nothing of theirs stays in the tab. Revocation is best effort and never
// holds sign-out up: its answer is not awaited and a failure is ignored.
export function signOut() {
  const session = current();
  if (session?.refreshToken) revoke(session.refreshToken).catch(() => {});
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith("pedidos.")) sessionStorage.removeItem(key);
  }
}

const WORDS = {
  NotAuthorizedException: "Wrong username or password.",
  UserNotFoundException: "Wrong username or password.",
  UserNotConfirmedException: "This account is not confirmed yet.",
  PasswordResetRequiredException: "This account's password must be reset first.",
  TooManyRequestsException: "Too many attempts; wait a moment and try again.",
  LimitExceededException: "Too many attempts; wait a moment and try again.",
};

// One call of Cognito's JSON API (the only cross-origin request the console makes).
async function cognito(action, parameters) {
  try {
    return await fetch(settings().cognitoEndpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify({ ClientId: settings().clientId, ...parameters }),
    });
  } catch {
    throw new NetworkError("The sign-in service could not be reached.");
  }
}

async function revoke(refreshToken) {
  const response = await cognito("RevokeToken", { Token: refreshToken });
  if (!response.ok) throw new Error(`RevokeToken answered ${response.status}`);
}

async function initiateAuth(flow, parameters) {
  const response = await cognito("InitiateAuth", { AuthFlow: flow, AuthParameters: parameters });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const type = String(body.__type || "").split("#").pop();
    throw new SignInError(WORDS[type] || body.message || `Sign-in failed (${response.status}).`);
  }
  if (!body.AuthenticationResult) {
    throw new SignInError(`This account needs a step the console does not offer (${body.ChallengeName}).`);
  }
  return body.AuthenticationResult;
}

function store(result, username, refreshToken) {
  const session = {
    username,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken || refreshToken,
    expiresAt: claims(result.AccessToken).exp,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

export async function signIn(username, password) {
  const result = await initiateAuth("USER_PASSWORD_AUTH", { USERNAME: username, PASSWORD: password });
  return store(result, username);
}

// A fresh access token from the refresh token; null when the session is over.
export async function refresh() {
  const session = current();
  if (!session?.refreshToken) return null;
  try {
    const result = await initiateAuth("REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: session.refreshToken });
    return store(result, session.username, session.refreshToken);
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    endSession();
    return null;
  }
}

// The access token to send now, refreshed first when it is about to expire.
export async function accessToken() {
  const session = current();
  if (!session) return null;
  if (session.expiresAt - EARLY_SECONDS > Date.now() / 1000) return session.accessToken;
  return (await refresh())?.accessToken ?? null;
}
