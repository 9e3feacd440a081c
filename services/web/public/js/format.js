// Money is integer cents in the API; shown and typed in the deployment's currency.

const formatters = new Map();

function formatter(currency) {
  if (!formatters.has(currency)) {
    formatters.set(currency, new Intl.NumberFormat(undefined, { style: "currency", currency }));
  }
  return formatters.get(currency);
}

export function fractionDigits(currency) {
  return formatter(currency).resolvedOptions().maximumFractionDigits;
}

export function money(cents, currency) {
  return formatter(currency).format(cents / 10 ** fractionDigits(currency));
}

// "12.5" -> 1250 for EUR, without floating point; null when it is not an amount.
export function parseMoney(text, currency) {
  const digits = fractionDigits(currency);
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!match || (match[2] ?? "").length > digits) return null;
  const fraction = (match[2] ?? "").padEnd(digits, "0");
  return Number(match[1]) * 10 ** digits + Number(fraction || "0");
}

export function amountInput(cents, currency) {
  const digits = fractionDigits(currency);
  const whole = Math.floor(cents / 10 ** digits);
  const fraction = String(cents % 10 ** digits).padStart(digits, "0");
  return digits ? `${whole}.${fraction}` : String(whole);
}

export function dateTime(rfc3339) {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(rfc3339));
}

export const STATUS_WORDS = {
  PENDING: "Pending",
  CONFIRMED: "Confirmed",
  REJECTED: "Rejected",
  CANCELLED: "Cancelled",
};
