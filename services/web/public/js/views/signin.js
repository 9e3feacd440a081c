import { announce, h, replace } from "../dom.js";
import { clearErrors, errorSummary, field } from "../problems.js";
import { NetworkError, current, signIn } from "../session.js";

export async function signInView({ root, query, navigate }) {
  const next = query.get("next");
  const destination = sameOriginPath(next);
  if (current()) {
    navigate(destination, { replace: true });
    return;
  }
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const summary = errorSummary();
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    { class: "card narrow", novalidate: true, "aria-labelledby": "signin-title" },
    summary,
    field("Username", username, "username"),
    field("Password", password, "password"),
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    if (!username.value.trim() || !password.value) {
      showSummary(summary, "Enter your username and password.");
      return;
    }
    submit.disabled = true;
    submit.textContent = "Signing in…";
    try {
      await signIn(username.value.trim(), password.value);
      announce("Signed in.");
      navigate(destination, { replace: true });
    } catch (error) {
      showSummary(summary, error instanceof NetworkError ? `${error.message} Check your connection, then try again.` : error.message);
      submit.disabled = false;
      submit.textContent = "Sign in";
    }
  });
  replace(
    root,
    h("h1", { id: "signin-title", tabindex: "-1" }, "Sign in"),
    next ? h("p", {}, "Sign in to continue where you were.") : null,
    form,
  );
  username.focus();
}

// Where `next` leads, as the browser resolves it ("/\host" and "//host" are other hosts):
// only somewhere on this origin, else the catalog.
function sameOriginPath(next) {
  let url;
  try {
    url = new URL(next || "/", location.origin);
  } catch {
    return "/";
  }
  return url.origin === location.origin ? url.pathname + url.search + url.hash : "/";
}

function showSummary(summary, message) {
  replace(summary, h("p", {}, message));
  summary.hidden = false;
  summary.focus();
}
