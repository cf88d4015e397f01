// Server-side HTML with escaping by default: every value interpolated in `html\`…\`` is
// escaped unless it is already SafeHtml (built by this same tag). No other way to make
// SafeHtml exists, so a forgotten escape cannot happen by accident.

const BRAND = Symbol("SafeHtml");

export interface SafeHtml {
  readonly [BRAND]: true;
  readonly text: string;
}

type Interpolated = SafeHtml | string | number | null | undefined | false | readonly Interpolated[];

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function safe(text: string): SafeHtml {
  return { [BRAND]: true, text };
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === "object" && value !== null && (value as Partial<SafeHtml>)[BRAND] === true;
}

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return "";
  if (isSafe(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\``: strings and numbers are escaped, nested html fragments and arrays of them are kept; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolated[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return safe(out);
}

export function toHtmlString(fragment: SafeHtml): string {
  return fragment.text;
}
