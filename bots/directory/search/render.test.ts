import { describe, expect, it } from "vitest";
import { renderQueryError, renderSearchResults } from "./render.ts";
import type { SearchPage, SearchResult } from "./search.ts";

const durand: SearchResult = {
  personId: 1, nationalId: "810000000110", name: "Sophie DURAND", profession: "Infirmier", specialties: [], commune: "Sin-le-Noble", distanceKm: 3.2,
  phone: "0327001101", mssante: "sophie.durand@infirmier.mssante.fr", matrixUserId: "@sophie.durand:cpts.example",
};
const oneil: SearchResult = { personId: 2, nationalId: "810000000102", name: "Seán O'NEIL <b>", profession: "Infirmier", specialties: ["Soins & plaies"], commune: "Gœulzin", distanceKm: 0 };
const page = (over: Partial<SearchPage>): SearchPage => ({ results: [durand, oneil], total: 7, page: 1, pages: 4, pageSize: 2, relaxed: false, unmatched: [], ...over });

describe("renderSearchResults", () => {
  it("shows name, profession, commune, distance, a Matrix mention, MSSanté and phone, and how to see more", () => {
    const { text, html } = renderSearchResults(page({}), "fr");
    expect(text).toContain("7 résultats");
    expect(text).toContain("1. Sophie DURAND — Infirmier — Sin-le-Noble, à 3 km");
    expect(text).toContain("MSSanté : sophie.durand@infirmier.mssante.fr");
    expect(text).toContain("tél. 0327001101");
    expect(text).toContain("2. Seán O'NEIL <b> — Infirmier (Soins & plaies) — Gœulzin, sur la commune");
    expect(text).toContain("Page 1/4 — tapez !annuaire suite pour la suite.");
    expect(html).toContain('<a href="https://matrix.to/#/@sophie.durand:cpts.example">@sophie.durand:cpts.example</a>');
    expect(html).toContain("<strong>Seán O&#39;NEIL &lt;b&gt;</strong>");
    expect(html).toContain("Soins &amp; plaies");
    expect(html).not.toContain("<b>");
  });

  it("numbers on from the page, and says when it is the last one", () => {
    const { text } = renderSearchResults(page({ page: 4, results: [oneil] }), "en");
    expect(text).toContain("7. Seán O'NEIL");
    expect(text).toContain("same commune");
    expect(text).toContain("Page 4/4.");
    expect(text).not.toContain("suite");
  });

  it("a polite no-result answer with suggestions, in both languages", () => {
    expect(renderSearchResults(page({ results: [], total: 0, pages: 1 }), "fr").text).toMatch(/Aucun résultat.*\n.*Essayez/);
    expect(renderSearchResults(page({ results: [], total: 0, pages: 1 }), "en").text).toMatch(/No result.*\n.*Try/);
    expect(renderSearchResults(page({ results: [], page: 9 }), "fr").text).toContain("pas d'autres résultats");
  });

  it("says when results only match some words, or ignore a criterion no card mentions", () => {
    const { text } = renderSearchResults(page({ relaxed: true, unmatched: ["anglais"] }), "fr");
    expect(text).toContain("Personne ne correspond à tous les mots");
    expect(text).toContain("Aucune fiche ne mentionne encore « anglais »");
  });

  it("encodes a user id outside the plain grammar in the link", () => {
    const { html } = renderSearchResults(page({ results: [{ ...durand, matrixUserId: '@x"><script>:evil' }] }), "fr");
    expect(html).not.toContain("<script>");
    expect(html).toContain("https://matrix.to/#/%40x%22%3E%3Cscript%3E%3Aevil");
  });
});

describe("renderQueryError", () => {
  it("explains an empty or too long search politely, with an example", () => {
    expect(renderQueryError("empty", "fr").text).toContain("!annuaire kiné Douai domicile");
    expect(renderQueryError("empty", "en").text).toContain("What are you looking for?");
    expect(renderQueryError("too-long", "fr").text).toContain("200 caractères au plus");
    expect(renderQueryError("too-long", "en").html).toMatch(/^<p>This search is too long/);
  });
});
