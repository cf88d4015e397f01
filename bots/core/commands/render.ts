import type { Lang, Localized } from "../i18n/lang.ts";
import type { Reply } from "./command.ts";

/** A run of text: plain, a command or value to show as code, or emphasis. */
export type Inline = string | { readonly code: string } | { readonly strong: string };
export type Block = { readonly p: readonly Inline[] } | { readonly list: readonly (readonly Inline[])[] };

const HTML_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Like `localize`, but a placeholder may stand for inline runs (code, emphasis),
 * so the same sentence renders to plain text and to HTML.
 */
export function fill(text: Localized, lang: Lang, params: Record<string, Inline | readonly Inline[]> = {}): Inline[] {
  const out: Inline[] = [];
  text[lang].split(/(\{\w+\})/).forEach((part, i) => {
    const key = part.slice(1, -1);
    if (i % 2 === 1 && Object.hasOwn(params, key)) {
      const value = params[key]!;
      out.push(...(Array.isArray(value) ? (value as readonly Inline[]) : [value as Inline]));
    } else if (part !== "") {
      out.push(part);
    }
  });
  return out;
}

/** Joins inline lists with a separator, e.g. suggestions "a, b or c". */
export function joinInlines(items: readonly Inline[], separator: string, last = separator): Inline[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [i === items.length - 1 ? last : separator, item]));
}

function inlineText(inline: Inline): string {
  if (typeof inline === "string") return inline;
  return "code" in inline ? inline.code : inline.strong;
}

function inlineHtml(inline: Inline): string {
  if (typeof inline === "string") return escapeHtml(inline);
  return "code" in inline ? `<code>${escapeHtml(inline.code)}</code>` : `<strong>${escapeHtml(inline.strong)}</strong>`;
}

export function render(blocks: readonly Block[]): Reply {
  const text = blocks.map((b) => ("p" in b ? b.p.map(inlineText).join("") : b.list.map((item) => `• ${item.map(inlineText).join("")}`).join("\n")));
  const html = blocks.map((b) =>
    "p" in b ? `<p>${b.p.map(inlineHtml).join("")}</p>` : `<ul>${b.list.map((item) => `<li>${item.map(inlineHtml).join("")}</li>`).join("")}</ul>`,
  );
  return { text: text.join("\n"), html: html.join("") };
}
