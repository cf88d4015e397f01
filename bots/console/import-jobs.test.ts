import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../core/logger.ts";
import { openDatabase } from "../database.ts";
import { importDirectory } from "../directory/import/import-directory.ts";
import { GRAND_DOUAI_FILE, loadTerritoryExample } from "../directory/territory.ts";
import { CONFIRM_IN_CONSOLE, ImportJobs, type RunImport } from "./import-jobs.ts";

const FIXTURES = new URL("../directory/fixtures/", import.meta.url).pathname;
const logger = createLogger("import-jobs-test", "silent");
const clock = { now: () => 1_000 };

/** A folder holding copies of fixture files, as an upload leaves them. */
function upload(...files: string[]): { folder: string; paths: string[]; names: string[] } {
  const folder = mkdtempSync(join(tmpdir(), "console-import-test-"));
  const paths = files.map((file) => {
    const target = join(folder, file.split("/").at(-1)!);
    cpSync(join(FIXTURES, file), target);
    return target;
  });
  return { folder, paths, names: paths.map((p) => p.split("/").at(-1)!) };
}

describe("ImportJobs", () => {
  it("runs the real import of the published zip, reports progress, keeps the report and deletes the upload", async () => {
    const db = openDatabase(":memory:");
    const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
    const progress: string[] = [];
    const jobs = new ImportJobs((paths, onProgress) => importDirectory(db, paths, territory, { progressEvery: 1, onProgress: (p) => (progress.push(p.file), onProgress(p)) }), clock, logger);
    const files = upload("PS_LibreAcces_202601150905.zip");
    const { started, job } = jobs.start(files, "@coord:cpts.test");
    expect(started).toBe(true);
    expect(job).toMatchObject({ status: "running", files: ["PS_LibreAcces_202601150905.zip"], by: "@coord:cpts.test" });
    await jobs.settled();
    const done = jobs.get(job.id);
    expect(done?.status).toBe("done");
    if (done?.status === "done") expect(done.report.people.active).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(existsSync(files.folder)).toBe(false);
    expect(jobs.current()).toBeUndefined();
  });

  it("tells why a file is refused, in French, and leaves room for the next import", async () => {
    const db = openDatabase(":memory:");
    const jobs = new ImportJobs((paths) => importDirectory(db, paths, loadTerritoryExample(GRAND_DOUAI_FILE)), clock, logger);
    const files = upload("refus/notes-de-reunion.txt");
    const { job } = jobs.start(files, "@coord:cpts.test");
    await jobs.settled();
    expect(jobs.get(job.id)).toMatchObject({ status: "refused", message: expect.stringContaining("« notes-de-reunion.txt » a été refusé") });
    expect(existsSync(files.folder)).toBe(false);
    expect(jobs.start(upload("PS_LibreAcces_202601150905.zip"), "@coord:cpts.test").started).toBe(true);
    await jobs.settled();
  });

  it("keeps the files of an import the guard stopped until the coordinator confirms it, then imports them with force", async () => {
    const db = openDatabase(":memory:");
    const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
    const forced: boolean[] = [];
    const jobs = new ImportJobs((paths, _onProgress, { force }) => (forced.push(force), importDirectory(db, paths, territory, { force })), clock, logger);
    jobs.start(upload("PS_LibreAcces_Personne_activite_202601150905.txt"), "@coord:cpts.test");
    await jobs.settled();
    const active = (): number => (db.prepare("SELECT count(*) AS n FROM directory_people WHERE active = 1").get() as { n: number }).n;
    expect(active()).toBe(5);

    // The older 52-column extract knows one other professional of the territory: all five would go.
    const partial = upload("ancien-format/PS_LibreAcces_Personne_activite_202301020800.txt");
    const { job } = jobs.start(partial, "@coord:cpts.test");
    await jobs.settled();
    const stopped = jobs.get(job.id);
    expect(stopped).toMatchObject({ status: "needs-confirmation", message: expect.stringContaining("5 des 5 professionnels actifs (100 %) seraient désactivés") });
    if (stopped?.status === "needs-confirmation") expect(stopped.message).toContain(CONFIRM_IN_CONSOLE);
    expect(active()).toBe(5);
    expect(existsSync(partial.folder)).toBe(true);

    const confirmed = jobs.confirm(job.id, "@coord2:cpts.test");
    expect(confirmed).toMatchObject({ status: "running", by: "@coord2:cpts.test" });
    await jobs.settled();
    expect(jobs.get(confirmed!.id)?.status).toBe("done");
    expect(jobs.get(job.id)).toMatchObject({ status: "needs-confirmation", confirmedAs: confirmed!.id });
    expect(forced).toEqual([false, false, true]);
    expect(active()).toBe(1);
    expect(existsSync(partial.folder)).toBe(false);
    expect(jobs.confirm(job.id, "@coord:cpts.test")).toBeUndefined();
  });

  it("drops the files waiting for a confirmation when other files are sent, or when the bot stops", async () => {
    const db = openDatabase(":memory:");
    const territory = loadTerritoryExample(GRAND_DOUAI_FILE);
    const jobs = new ImportJobs((paths, _onProgress, { force }) => importDirectory(db, paths, territory, { force }), clock, logger);
    jobs.start(upload("PS_LibreAcces_Personne_activite_202601150905.txt"), "@coord:cpts.test");
    await jobs.settled();
    const first = upload("ancien-format/PS_LibreAcces_Personne_activite_202301020800.txt");
    const stopped = jobs.start(first, "@coord:cpts.test").job;
    await jobs.settled();
    const second = upload("ancien-format/PS_LibreAcces_Personne_activite_202301020800.txt");
    jobs.start(second, "@coord:cpts.test");
    await jobs.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(first.folder)).toBe(false);
    expect(jobs.confirm(stopped.id, "@coord:cpts.test")).toBeUndefined();
    expect(existsSync(second.folder)).toBe(true);
    await jobs.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(second.folder)).toBe(false);
  });

  it("runs one import at a time, and hides an unexpected error's details from the page", async () => {
    let fail: (err: Error) => void = () => undefined;
    const run: RunImport = () => new Promise((_resolve, reject) => (fail = reject));
    const jobs = new ImportJobs(run, clock, logger);
    const first = jobs.start(upload("PS_LibreAcces_202601150905.zip"), "@a:cpts.test");
    const second = upload("PS_LibreAcces_202601150905.zip");
    expect(jobs.start(second, "@b:cpts.test")).toEqual({ started: false, job: first.job });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(second.folder)).toBe(false);
    fail(new Error("disk I/O error at /secret/path"));
    await jobs.settled();
    const failed = jobs.get(first.job.id);
    expect(failed?.status).toBe("failed");
    if (failed?.status === "failed") expect(failed.message).not.toContain("/secret/path");
  });
});
