// The console's only two static files, served from memory: the style sheet and the small
// script that follows a directory import's progress (the page also works without it).

/**
 * Colours checked for WCAG AA: text #1a1a1a and links/buttons #1d4f91 on white (16:1 and
 * 8.4:1), white on #1d4f91 and on #a4161a (8.4:1 and 7.5:1), muted text #4a4a4a (8.9:1).
 * Controls are at least 44 px high for fingers on a tablet; focus is always visible.
 */
export const CONSOLE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 100%; line-height: 1.5; color: #1a1a1a; background: #f4f5f7; }
body { margin: 0; }
a { color: #1d4f91; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid #1d4f91; outline-offset: 2px; }
.evitement { position: absolute; left: -10000px; top: 0; }
.evitement:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem 1rem; z-index: 10; }
header.bandeau { background: #1d4f91; color: #fff; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; justify-content: space-between; }
header.bandeau .titre { font-size: 1.15rem; font-weight: 700; margin: 0; }
header.bandeau .compte { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
header.bandeau :focus-visible { outline-color: #fff; }
header.bandeau button { background: #fff; color: #1d4f91; border-color: #fff; }
nav.principale { background: #fff; border-bottom: 1px solid #c4c8cf; }
nav.principale ul { list-style: none; margin: 0 auto; padding: 0 .5rem; display: flex; flex-wrap: wrap; max-width: 72rem; }
nav.principale a { display: block; padding: .75rem 1rem; min-height: 44px; text-decoration: none; color: #1a1a1a; border-bottom: 4px solid transparent; }
nav.principale a[aria-current="page"] { border-bottom-color: #1d4f91; font-weight: 700; color: #1d4f91; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; }
.carte > h2:first-child { margin-top: 0; }
section.carte, form.carte, div.carte { background: #fff; border: 1px solid #c4c8cf; border-radius: 8px; padding: 1rem; margin-bottom: 1.25rem; }
.chiffres { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .75rem; margin: 0 0 1.25rem; padding: 0; list-style: none; }
.chiffres li { background: #fff; border: 1px solid #c4c8cf; border-radius: 8px; padding: .75rem 1rem; }
.chiffres .valeur { display: block; font-size: 1.6rem; font-weight: 700; color: #1d4f91; }
.chiffres .libelle { display: block; color: #4a4a4a; }
.graphiques { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr)); gap: 1.25rem; }
.graphiques figure { margin: 0; background: #fff; border: 1px solid #c4c8cf; border-radius: 8px; padding: 1rem; }
figcaption { font-weight: 700; margin-bottom: .5rem; }
svg.graphique { display: block; max-width: 100%; height: auto; }
details { margin-top: .5rem; }
summary { cursor: pointer; min-height: 44px; display: flex; align-items: center; color: #1d4f91; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; background: #fff; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { border: 1px solid #c4c8cf; padding: .5rem .6rem; text-align: left; vertical-align: top; }
/* Matrix IDs and file names: long words that may break anywhere rather than widen the table. */
.long { overflow-wrap: anywhere; min-width: 8rem; }
thead th { background: #e8ebf0; }
td.nombre, table.donnees td { text-align: right; font-variant-numeric: tabular-nums; }
.defilement { overflow-x: auto; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
.aide { color: #4a4a4a; font-size: .95rem; margin: .1rem 0 .4rem; }
input[type=text], input[type=password], input[type=date], input[type=datetime-local], input[type=file], select {
  font: inherit; min-height: 44px; padding: .4rem .6rem; border: 2px solid #5c5c5c; border-radius: 6px; background: #fff; color: #1a1a1a; width: 100%; max-width: 28rem;
}
fieldset { border: 1px solid #c4c8cf; border-radius: 8px; padding: .5rem 1rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 700; padding: 0 .25rem; }
.ligne { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: flex-end; }
.ligne > div { flex: 1 1 12rem; }
button, .bouton { white-space: nowrap; font: inherit; font-weight: 600; min-height: 44px; padding: .5rem 1.1rem; border-radius: 6px; border: 2px solid #1d4f91; background: #1d4f91; color: #fff; cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; }
button.secondaire, .bouton.secondaire { background: #fff; color: #1d4f91; }
button.danger { background: #a4161a; border-color: #a4161a; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; }
.actions form { margin: 0; }
.message { border-left: 6px solid #1d4f91; background: #fff; padding: .75rem 1rem; margin: 0 0 1rem; }
.message.erreur { border-left-color: #a4161a; }
.message.succes { border-left-color: #2e6b30; }
.vide { color: #4a4a4a; font-style: italic; }
progress { width: 100%; max-width: 28rem; height: 1.25rem; }
pre.rapport { white-space: pre-wrap; background: #fff; border: 1px solid #c4c8cf; border-radius: 8px; padding: 1rem; font-size: .95rem; }
.connexion { max-width: 32rem; }
.separateur { text-align: center; color: #4a4a4a; margin: 1rem 0; }
@media (max-width: 40rem) { th, td { padding: .4rem; } h1 { font-size: 1.35rem; } }
`;

/** Polls the import's status endpoint and updates the progress text; reloads the page when the import ends. */
export const IMPORT_PROGRESS_JS = `
(function () {
  var zone = document.getElementById("suivi-import");
  if (!zone) return;
  var url = zone.getAttribute("data-etat");
  var texte = document.getElementById("suivi-import-texte");
  function suivre() {
    fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (etat) {
        if (etat.status !== "running") { window.location.reload(); return; }
        if (texte && etat.progress) texte.textContent = etat.progress;
        setTimeout(suivre, 1000);
      })
      .catch(function () { setTimeout(suivre, 3000); });
  }
  setTimeout(suivre, 1000);
})();
`;
