// Directory import: upload the national extract (the published zip, or its text files), follow
// the import, read its report; earlier imports' reports stay readable.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Router, type NextFunction, type Request, type Response } from "express";
import multer from "multer";
import type { ImportHistory } from "../directory/import-history.ts";
import { renderImportReport } from "../directory/import/render.ts";
import { html, type SafeHtml } from "./html.ts";
import type { ImportJob, ImportJobs } from "./import-jobs.ts";
import { CONSOLE_BASE, csrfField, page, parisDateTime, type Notice } from "./layout.ts";
import { requireCsrf, sessionOf } from "./sign-in.ts";
import { fromSameOrigin } from "./web.ts";

export interface ImportDeps {
  readonly cptsName: string;
  readonly history: Pick<ImportHistory, "latest" | "report">;
  readonly jobs: ImportJobs;
  readonly maxFileBytes: number;
  readonly publicOrigin: string | undefined;
}

const IMPORT = `${CONSOLE_BASE}/import`;
const MAX_FILES = 6;
const PAST_IMPORTS_LISTED = 10;

const UPLOAD_ERRORS: Readonly<Record<string, (maxMb: number) => string>> = {
  LIMIT_FILE_SIZE: (maxMb) => `Un fichier dépasse la taille autorisée (${maxMb} Mo) : envoyez le zip publié, ou demandez à l'administrateur d'augmenter la limite (importMaxMegabytes).`,
  LIMIT_FILE_COUNT: () => `Envoyez au plus ${MAX_FILES} fichiers à la fois.`,
  LIMIT_UNEXPECTED_FILE: () => "Le formulaire envoyé n'est pas celui de la console : rechargez la page.",
};

/** "PS_LibreAcces_202601150905.zip" stays; anything that is not a plain file name character becomes "_". */
export function safeFileName(original: string, taken: ReadonlySet<string>): string {
  const cleaned = basename(original.replace(/\\/g, "/")).replace(/[^\w.\-]+/g, "_").replace(/^\.+/, "").slice(0, 120) || "fichier";
  let name = cleaned;
  for (let i = 2; taken.has(name); i++) name = `${i}-${cleaned}`;
  return name;
}

function progressText(job: ImportJob & { status: "running" }): string {
  return job.progress ? `${job.progress.file} : ${job.progress.rowsRead.toLocaleString("fr-FR")} lignes lues…` : "Lecture des fichiers…";
}

function jobBlock(job: ImportJob, csrfToken: string): SafeHtml {
  const files = job.files.join(", ");
  switch (job.status) {
    case "running":
      return html`<section class="carte" id="suivi-import" data-etat="${IMPORT}/etat/${job.id}" aria-labelledby="suivi-titre">
<h2 id="suivi-titre">Import en cours</h2>
<p>Fichiers : ${files}. Lancé le ${parisDateTime(job.startedAt)} par ${job.by}.</p>
<progress aria-labelledby="suivi-titre">en cours</progress>
<p id="suivi-import-texte" role="status" aria-live="polite">${progressText(job)}</p>
<p class="aide">La page se met à jour toute seule ; vous pouvez aussi la quitter : l'import continue.</p>
</section>`;
    case "done":
      return html`<section class="carte" aria-labelledby="rapport-titre"><h2 id="rapport-titre">Rapport de l'import</h2>
<pre class="rapport">${renderImportReport(job.report)}</pre></section>`;
    case "needs-confirmation":
      return html`<section class="carte" aria-labelledby="alerte-titre"><h2 id="alerte-titre">Import arrêté : confirmation nécessaire</h2><p>Fichiers : ${files}.</p>
<div class="message erreur" role="alert"><pre class="rapport">${job.message}</pre></div>
${job.confirmedAs !== undefined
  ? html`<p>Import confirmé : <a href="${IMPORT}?travail=${job.confirmedAs}">suivre l'import confirmé</a>.</p>`
  : html`<form method="post" action="${IMPORT}/confirmer/${job.id}">${csrfField(csrfToken)}<button type="submit" class="danger">Confirmer l'import</button></form>
<p class="aide">Ou envoyez d'autres fichiers avec le formulaire ci-dessus : ceux-ci seront alors abandonnés.</p>`}</section>`;
    case "refused":
    case "failed":
      return html`<section class="carte" aria-labelledby="echec-titre"><h2 id="echec-titre">Import non effectué</h2><p>Fichiers : ${files}.</p><div class="message erreur" role="alert"><p>${job.message}</p></div></section>`;
  }
}

function pastImports(history: Pick<ImportHistory, "latest">): SafeHtml {
  const withReport = history.latest(PAST_IMPORTS_LISTED);
  if (withReport.length === 0) return html`<p class="vide">Aucun import pour le moment.</p>`;
  return html`<div class="defilement"><table><caption>Derniers imports</caption>
<thead><tr><th scope="col">N°</th><th scope="col">Date</th><th scope="col">Fichiers</th><th scope="col">Professionnels actifs après l'import</th><th scope="col">Rapport</th></tr></thead>
<tbody>${withReport.map((r) => {
    return html`<tr><th scope="row">${r.id}</th><td>${parisDateTime(r.startedAt)}</td><td class="long">${r.files.join(", ")}</td><td class="nombre">${r.report.people.active.toLocaleString("fr-FR")}</td><td><a href="${IMPORT}/rapport/${r.id}">Rapport n° ${r.id}</a></td></tr>`;
  })}</tbody></table></div>`;
}

export function importRoutes(deps: ImportDeps): Router {
  const router = Router();
  const maxMb = Math.round(deps.maxFileBytes / 1024 / 1024);

  /** Each upload lands in a folder of its own, removed once the import is over (or at once if it is refused). */
  const upload = multer({
    storage: multer.diskStorage({
      destination: (_req, _file, done) => done(null, _req.res!.locals["uploadFolder"] as string),
      filename: (req, file, done) => {
        const taken = (req.res!.locals["uploadNames"] ??= new Set<string>()) as Set<string>;
        const name = safeFileName(file.originalname, taken);
        taken.add(name);
        done(null, name);
      },
    }),
    limits: { fileSize: deps.maxFileBytes, files: MAX_FILES, fields: 4, fieldSize: 1024, parts: MAX_FILES + 4 },
    defParamCharset: "utf8",
  }).array("fichiers", MAX_FILES);

  function render(res: Response, status: number, pageNotices: readonly Notice[], shown: ImportJob | undefined): void {
    const session = sessionOf(res);
    const running = deps.jobs.current();
    const job = shown ?? running;
    const form = running
      ? html`<p>Un import est en cours : attendez qu'il se termine pour en lancer un autre.</p>`
      : html`<form class="carte" method="post" action="${IMPORT}" enctype="multipart/form-data">
${csrfField(session.csrfToken)}
<label for="fichiers">Extraction de l'Annuaire Santé</label>
<p class="aide" id="fichiers-aide">Le zip publié (PS_LibreAcces_…zip) ou ses fichiers texte : PS_LibreAcces_Personne_activite, PS_LibreAcces_SavoirFaire, Extraction_Correspondance_MSSante. Seul le territoire de la CPTS est gardé ; un fichier refusé laisse l'annuaire tel qu'il était, et un import qui désactiverait une grande part des professionnels attend votre confirmation. ${MAX_FILES} fichiers au plus, ${maxMb} Mo chacun.</p>
<input type="file" id="fichiers" name="fichiers" multiple required accept=".zip,.txt,.csv" aria-describedby="fichiers-aide">
<p><button type="submit">Lancer l'import</button></p>
</form>`;
    const body = html`${form}${job ? jobBlock(job, session.csrfToken) : ""}<h2>Imports précédents</h2>${pastImports(deps.history)}`;
    const refreshing = job?.status === "running";
    res.status(status).type("html").send(
      page({
        title: "Import de l'annuaire",
        cptsName: deps.cptsName,
        body,
        notices: pageNotices,
        signedIn: { ...session, section: "import" },
        ...(refreshing ? { head: html`<noscript><meta http-equiv="refresh" content="3"></noscript>`, script: `${CONSOLE_BASE}/import.js` } : {}),
      }),
    );
  }

  router.get("/import", (req, res) => {
    const id = Number(req.query["travail"]);
    render(res, 200, [], Number.isSafeInteger(id) ? deps.jobs.get(id) : undefined);
  });

  router.get("/import/etat/:id", (req, res) => {
    const job = deps.jobs.get(Number(req.params["id"]));
    if (!job) {
      res.status(404).json({ error: "import inconnu" });
      return;
    }
    res.json({ status: job.status, progress: job.status === "running" ? progressText(job) : undefined });
  });

  router.get("/import/rapport/:id", (req, res) => {
    const report = deps.history.report(Number(req.params["id"]));
    if (!report) {
      render(res, 404, [{ kind: "erreur", text: "Ce rapport d'import n'existe pas." }], undefined);
      return;
    }
    const body = html`<pre class="rapport">${renderImportReport(report)}</pre><p><a href="${IMPORT}">Retour à l'import</a></p>`;
    res.type("html").send(page({ title: `Rapport d'import n° ${Number(req.params["id"])}`, cptsName: deps.cptsName, body, signedIn: { ...sessionOf(res), section: "import" } }));
  });

  router.post("/import/confirmer/:id", requireCsrf(deps.publicOrigin), (req, res) => {
    const confirmed = deps.jobs.confirm(Number(req.params["id"]), sessionOf(res).userId);
    if (!confirmed) {
      render(res, 409, [{ kind: "erreur", text: "Il n'y a plus rien à confirmer : l'import a déjà été confirmé, ou d'autres fichiers ont été envoyés depuis. Renvoyez les fichiers si besoin." }], undefined);
      return;
    }
    res.redirect(303, `${IMPORT}?travail=${confirmed.id}`);
  });

  const prepareUpload = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (!fromSameOrigin(req, deps.publicOrigin)) {
      res.status(403).type("text/plain").send("Formulaire refusé : rechargez la page et recommencez.");
      return;
    }
    res.locals["uploadFolder"] = await mkdtemp(join(tmpdir(), "cpts-console-import-"));
    upload(req, res, (err: unknown) => {
      if (!err) {
        next();
        return;
      }
      void rm(res.locals["uploadFolder"] as string, { recursive: true, force: true });
      const code = err instanceof multer.MulterError ? err.code : "";
      const explain = UPLOAD_ERRORS[code];
      render(res, 400, [{ kind: "erreur", text: explain ? explain(maxMb) : "L'envoi des fichiers a été interrompu : réessayez." }], undefined);
    });
  };

  const discardUpload = (_req: Request, res: Response, next: NextFunction): void => {
    res.on("finish", () => {
      if (res.statusCode !== 303) void rm(res.locals["uploadFolder"] as string, { recursive: true, force: true });
    });
    next();
  };

  router.post("/import", prepareUpload, discardUpload, requireCsrf(deps.publicOrigin), (req, res) => {
    const files = (req.files ?? []) as Express.Multer.File[];
    if (files.length === 0) {
      render(res, 400, [{ kind: "erreur", text: "Choisissez au moins un fichier de l'extraction à importer." }], undefined);
      return;
    }
    const { started, job } = deps.jobs.start(
      { folder: res.locals["uploadFolder"] as string, paths: files.map((f) => f.path), names: files.map((f) => f.filename) },
      sessionOf(res).userId,
    );
    if (!started) {
      render(res, 409, [{ kind: "erreur", text: "Un import est déjà en cours : attendez qu'il se termine." }], job);
      return;
    }
    res.redirect(303, `${IMPORT}?travail=${job.id}`);
  });

  return router;
}
