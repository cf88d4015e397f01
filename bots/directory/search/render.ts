import type { Reply } from "../../core/commands/command.ts";
import { escapeHtml } from "../../core/commands/render.ts";
import { localize, type Lang } from "../../core/i18n/lang.ts";
import { isUserId } from "../../core/matrix-ids.ts";
import { SEARCH_MESSAGES as M } from "./messages.ts";
import { MAX_QUERY_LENGTH } from "./query.ts";
import type { SearchPage, SearchResult } from "./search.ts";

// matrix.to takes a user id as is; anything outside the id grammar is percent-encoded.
export function matrixToLink(userId: string): string {
  return `https://matrix.to/#/${isUserId(userId) ? userId : encodeURIComponent(userId)}`;
}

export function renderQueryError(error: "empty" | "too-long", lang: Lang): Reply {
  const text = error === "empty" ? localize(M.empty, lang) : localize(M.tooLong, lang, { max: MAX_QUERY_LENGTH });
  return { text, html: `<p>${escapeHtml(text)}</p>` };
}

const colon = (lang: Lang): string => (lang === "fr" ? " : " : ": ");

function distanceText(km: number | undefined, lang: Lang): string | undefined {
  if (km === undefined) return undefined;
  if (km < 0.05) return localize(M.sameCommune, lang);
  if (km < 1) return localize(M.underOneKm, lang);
  return localize(M.distance, lang, { km: Math.round(km) });
}

/** The first line: who, what, where; plain text with the parts HTML emphasises. */
function headline(r: SearchResult, lang: Lang): { text: string; html: string } {
  const what = r.specialties.length > 0 ? `${r.profession} (${r.specialties.join(", ")})` : r.profession;
  const where = [r.commune, distanceText(r.distanceKm, lang)].filter((p) => p !== undefined).join(", ");
  const rest = [what, where].filter((p) => p !== "").join(" — ");
  return { text: `${r.name} — ${rest}`, html: `<strong>${escapeHtml(r.name)}</strong> — ${escapeHtml(rest)}` };
}

function contacts(r: SearchResult, lang: Lang): { text: string; html: string }[] {
  const out: { text: string; html: string }[] = [];
  if (r.matrixUserId) {
    const link = matrixToLink(r.matrixUserId);
    out.push({ text: `${localize(M.mention, lang)}${colon(lang)}${r.matrixUserId}`, html: `<a href="${escapeHtml(link)}">${escapeHtml(r.matrixUserId)}</a>` });
  }
  if (r.mssante) out.push({ text: `MSSanté${colon(lang)}${r.mssante}`, html: `MSSanté${colon(lang)}<a href="mailto:${escapeHtml(r.mssante)}">${escapeHtml(r.mssante)}</a>` });
  if (r.phone) out.push({ text: `${localize(M.phone, lang)} ${r.phone}`, html: `${escapeHtml(localize(M.phone, lang))} ${escapeHtml(r.phone)}` });
  return out;
}

/** A page of search results as a chat message: one entry per person, then how to see more. */
export function renderSearchResults(page: SearchPage, lang: Lang): Reply {
  const text: string[] = [];
  const html: string[] = [];
  const say = (line: string): void => {
    text.push(line);
    html.push(`<p>${escapeHtml(line)}</p>`);
  };
  if (page.total === 0) {
    say(localize(M.none, lang));
    say(localize(M.suggestions, lang));
    return { text: text.join("\n"), html: html.join("") };
  }
  if (page.results.length === 0) {
    say(localize(M.pastEnd, lang, { page: page.page, pages: page.pages }));
    return { text: text.join("\n"), html: html.join("") };
  }
  say(page.total === 1 ? localize(M.countOne, lang) : localize(M.count, lang, { count: page.total }));
  if (page.relaxed) say(localize(M.relaxed, lang));
  if (page.unmatched.length > 0) say(localize(M.unmatched, lang, { criteria: page.unmatched.join(", ") }));
  const first = (page.page - 1) * page.pageSize;
  const items = page.results.map((r) => ({ head: headline(r, lang), contacts: contacts(r, lang) }));
  items.forEach((item, i) => {
    text.push(`${first + i + 1}. ${item.head.text}`);
    if (item.contacts.length > 0) text.push(`   ${item.contacts.map((c) => c.text).join(" · ")}`);
  });
  const li = items.map((item) => `<li>${item.head.html}${item.contacts.length > 0 ? `<br>${item.contacts.map((c) => c.html).join(" · ")}` : ""}</li>`);
  html.push(`<ol start="${first + 1}">${li.join("")}</ol>`);
  say(page.page < page.pages ? localize(M.paging, lang, { page: page.page, pages: page.pages }) : localize(M.lastPage, lang, { page: page.page, pages: page.pages }));
  return { text: text.join("\n"), html: html.join("") };
}
