// The deployment's runtime settings: written beside the console at deploy time
// (served by devstack locally), never baked into the code.

let loaded = null;

export async function loadSettings() {
  const response = await fetch("/settings.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`settings.json answered ${response.status}`);
  loaded = await response.json();
  return loaded;
}

export function settings() {
  return loaded;
}

// One currency per deployment, the API's: settings.json always carries it.
export function currency() {
  return loaded.currency;
}
