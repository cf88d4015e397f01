// The import page over HTTP with an import whose end the test decides: the upload, the
// progress while it runs (page and status endpoint), the report, and refused uploads.
import { existsSync, readdirSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../core/logger.ts";
import { openDatabase } from "../database.ts";
import { ImportHistory } from "../directory/import-history.ts";
import type { Progress } from "../directory/import/import-directory.ts";
import { ImportNeedsConfirmation } from "../directory/import/refused.ts";
import type { ImportReport } from "../directory/import/report.ts";
import { html, toHtmlString } from "./html.ts";
import { ImportJobs } from "./import-jobs.ts";
import { importRoutes, safeFileName } from "./import-page.ts";
import type { ConsoleSession } from "./sessions.ts";

const CSRF = "jeton-de-formulaire";
const session: ConsoleSession = { userId: "@coordination:cpts.test", csrfToken: CSRF, createdAt: 0, lastSeenAt: 0 };
const counts = { added: 1, updated: 0, reactivated: 0, deactivated: 0, unchanged: 0, active: 1 };
const REPORT: ImportReport = {
  importId: 7, startedAt: 0, finishedAt: 100,
  territory: { name: "CPTS Grand Douai", communes: ["59178"] },
  files: [{ name: "extrait.txt", kind: "activite", columns: 56, rowsRead: 3, kept: 1, rejected: 0, outOfTerritory: 2, abroad: 0, territoryCodeRows: 1, rejections: [] }],
  ignored: [], people: counts, sites: counts, skills: counts, mssante: counts,
};

let server: Server;
let base: string;
let report: (value: ImportReport) => void = () => undefined;
let progress: (value: Progress) => void = () => undefined;
let uploadedNames: readonly string[] = [];
let stopWithGuard = false;
const forcedRuns: boolean[] = [];
const GUARD_STOP = new ImportNeedsConfirmation(
  { kind: "mass-deactivation", deactivated: 290, activeBefore: 300, maxShare: 0.2 },
  REPORT.files,
  REPORT.territory,
);

beforeAll(async () => {
  const jobs = new ImportJobs(
    (paths, onProgress, { force }) => {
      uploadedNames = paths.map((p) => p.split("/").at(-1)!);
      progress = onProgress;
      forcedRuns.push(force);
      if (stopWithGuard && !force) return Promise.reject(GUARD_STOP);
      return new Promise((resolve) => (report = resolve));
    },
    { now: () => Date.UTC(2026, 10, 23, 9, 0) },
    createLogger("import-page-test", "silent"),
  );
  const app = express()
    .use((_req, res, next) => {
      res.locals["session"] = session;
      next();
    })
    .use(express.urlencoded({ extended: false }))
    .use(importRoutes({ cptsName: "CPTS Test", history: new ImportHistory(openDatabase(":memory:")), jobs, maxFileBytes: 1024, publicOrigin: undefined }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const uploadFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith("cpts-console-import-"));

function upload(files: readonly { name: string; content: string }[], csrf = CSRF): Promise<Response> {
  const form = new FormData();
  form.set("_csrf", csrf);
  for (const file of files) form.append("fichiers", new Blob([file.content]), file.name);
  return fetch(`${base}/import`, { method: "POST", body: form, redirect: "manual", headers: { origin: base, "sec-fetch-site": "same-origin" } });
}

describe("directory import page", () => {
  it("uploads the files, shows the progress while the import runs, then the report", async () => {
    const before = new Set(uploadFolders());
    const answer = await upload([{ name: "PS_LibreAcces_Personne_activite.txt", content: "en-tête\n" }, { name: "../../étrange nom.zip", content: "PK" }]);
    expect(answer.status).toBe(303);
    const location = answer.headers.get("location")!;
    expect(location).toMatch(/^\/console\/import\?travail=\d+$/);
    expect(uploadedNames).toEqual(["PS_LibreAcces_Personne_activite.txt", "_trange_nom.zip"]);
    const folder = uploadFolders().find((name) => !before.has(name));
    expect(folder).toBeDefined();

    progress({ file: "PS_LibreAcces_Personne_activite.txt", rowsRead: 150_000 });
    const running = await (await fetch(`${base}${location.replace("/console", "")}`)).text();
    expect(running).toContain("Import en cours");
    expect(running).toContain("PS_LibreAcces_Personne_activite.txt : 150\u202f000 lignes lues…");
    expect(running).toContain('<script src="/console/import.js"></script>');
    expect(running).toContain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
    expect(running).toContain("Un import est en cours : attendez qu'il se termine");
    const id = location.split("=")[1];
    expect(await (await fetch(`${base}/import/etat/${id}`)).json()).toEqual({ status: "running", progress: "PS_LibreAcces_Personne_activite.txt : 150\u202f000 lignes lues…" });
    expect((await upload([{ name: "autre.txt", content: "x" }])).status).toBe(409);

    report(REPORT);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await (await fetch(`${base}/import/etat/${id}`)).json()).toEqual({ status: "done" });
    const done = await (await fetch(`${base}${location.replace("/console", "")}`)).text();
    expect(done).toContain("Rapport de l'import");
    expect(done).toContain("n° 7 — CPTS Grand Douai (1 commune)");
    expect(done).not.toContain("import.js");
    expect(existsSync(`${tmpdir()}/${folder}`)).toBe(false);
  });

  it("shows the guard's refusal with a confirmation button, which imports the same files with force", async () => {
    stopWithGuard = true;
    forcedRuns.length = 0;
    try {
      const answer = await upload([{ name: "PS_LibreAcces_Personne_activite.txt", content: "en-tête\n" }]);
      expect(answer.status).toBe(303);
      const location = answer.headers.get("location")!;
      const id = location.split("=")[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stopped = await (await fetch(`${base}${location.replace("/console", "")}`)).text();
      expect(stopped).toContain("Import arrêté : confirmation nécessaire");
      expect(stopped).toContain("290 des 300 professionnels actifs (97 %) seraient désactivés");
      expect(stopped).toContain(`<form method="post" action="/console/import/confirmer/${id}">`);
      expect(stopped).toContain("Confirmer l&#39;import");

      const confirm = (csrf: string): Promise<Response> =>
        fetch(`${base}/import/confirmer/${id}`, {
          method: "POST",
          body: new URLSearchParams({ _csrf: csrf }),
          redirect: "manual",
          headers: { origin: base, "sec-fetch-site": "same-origin" },
        });
      expect((await confirm("autre")).status).toBe(403);
      const confirmed = await confirm(CSRF);
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.get("location")).toMatch(/^\/console\/import\?travail=\d+$/);
      expect(forcedRuns).toEqual([false, true]);
      expect(uploadedNames).toEqual(["PS_LibreAcces_Personne_activite.txt"]);
      report(REPORT);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const again = await confirm(CSRF);
      expect(again.status).toBe(409);
      expect(await again.text()).toContain("Il n&#39;y a plus rien à confirmer");
    } finally {
      stopWithGuard = false;
    }
  });

  it("refuses an upload without the form's token, without files, or too large, and keeps none of it", async () => {
    const before = uploadFolders().length;
    expect((await upload([{ name: "a.txt", content: "x" }], "autre")).status).toBe(403);
    const empty = await upload([]);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Choisissez au moins un fichier");
    const big = await upload([{ name: "gros.zip", content: "x".repeat(2048) }]);
    expect(big.status).toBe(400);
    expect(await big.text()).toContain("Un fichier dépasse la taille autorisée");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uploadFolders().length).toBe(before);
    expect(await (await fetch(`${base}/import/etat/999`)).json()).toEqual({ error: "import inconnu" });
  });
});

describe("safeFileName", () => {
  it("keeps a published file name, strips folders and odd characters, and never repeats a name", () => {
    expect(safeFileName("PS_LibreAcces_202601150905.zip", new Set())).toBe("PS_LibreAcces_202601150905.zip");
    expect(safeFileName("C:\\Users\\moi\\extrait (1).txt", new Set())).toBe("extrait_1_.txt");
    expect(safeFileName("..", new Set())).toBe("fichier");
    expect(safeFileName("a.txt", new Set(["a.txt", "2-a.txt"]))).toBe("3-a.txt");
    expect(toHtmlString(html`${safeFileName("<b>.txt", new Set())}`)).toBe("_b_.txt");
  });
});
