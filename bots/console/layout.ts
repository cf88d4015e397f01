import { html, toHtmlString, type SafeHtml } from "./html.ts";

export const CONSOLE_BASE = "/console";

export type Section = "indicateurs" | "membres" | "import" | "garde";

const SECTIONS: readonly { readonly key: Section; readonly label: string; readonly path: string }[] = [
  { key: "indicateurs", label: "Indicateurs", path: `${CONSOLE_BASE}/` },
  { key: "membres", label: "Membres", path: `${CONSOLE_BASE}/membres` },
  { key: "import", label: "Import de l'annuaire", path: `${CONSOLE_BASE}/import` },
  { key: "garde", label: "Garde", path: `${CONSOLE_BASE}/garde` },
];

export interface Notice {
  readonly kind: "succes" | "erreur" | "info";
  readonly text: string;
}

export interface PageInput {
  readonly title: string;
  readonly cptsName: string;
  readonly body: SafeHtml;
  /** Signed-in pages: the navigation, the account and the sign-out button. */
  readonly signedIn?: { readonly userId: string; readonly csrfToken: string; readonly section: Section | undefined };
  readonly notices?: readonly Notice[];
  /** Extra elements of <head> (an auto-refresh while an import runs). */
  readonly head?: SafeHtml;
  readonly script?: string;
}

/** A hidden field carrying the session's anti-forgery token; every form that changes something has one. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function notices(list: readonly Notice[]): SafeHtml {
  return html`${list.map((n) => html`<div class="message ${n.kind}" role="${n.kind === "erreur" ? "alert" : "status"}"><p>${n.text}</p></div>`)}`;
}

export function page(input: PageInput): string {
  const { signedIn } = input;
  const nav = signedIn
    ? html`<nav class="principale" aria-label="Sections de la console"><ul>${SECTIONS.map(
        (s) => html`<li><a href="${s.path}"${s.key === signedIn.section ? html` aria-current="page"` : ""}>${s.label}</a></li>`,
      )}</ul></nav>`
    : "";
  const account = signedIn
    ? html`<div class="compte"><span>Connecté(e) : <strong>${signedIn.userId}</strong></span><form method="post" action="${CONSOLE_BASE}/deconnexion">${csrfField(signedIn.csrfToken)}<button type="submit">Se déconnecter</button></form></div>`
    : "";
  const document = html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${input.title} — Console de coordination — ${input.cptsName}</title>
<link rel="stylesheet" href="${CONSOLE_BASE}/style.css">
${input.head ?? ""}
</head>
<body>
<a class="evitement" href="#contenu">Aller au contenu</a>
<header class="bandeau"><p class="titre">${input.cptsName} — Console de coordination</p>${account}</header>
${nav}
<main id="contenu" tabindex="-1">
<h1>${input.title}</h1>
${notices(input.notices ?? [])}
${input.body}
</main>
${input.script ? html`<script src="${input.script}"></script>` : ""}
</body>
</html>
`;
  return toHtmlString(document);
}

/** "24/11/2026 20:00", Paris time, whatever the server's zone. */
export function parisDateTime(epochMs: number): string {
  return new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" }).format(epochMs);
}
