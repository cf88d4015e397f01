import { createReadStream } from "node:fs";
import { open as openFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import { ImportRefused } from "./refused.ts";

/** One text file to import: a plain file, or an entry of the published zip read in place. */
export interface Source {
  readonly name: string;
  open(): Promise<Readable>;
}

export interface OpenedSources {
  readonly sources: Source[];
  close(): void;
}

async function isZip(path: string): Promise<boolean> {
  const handle = await openFile(path, "r");
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith("/")) entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

async function zipSources(path: string, zips: yauzl.ZipFile[]): Promise<Source[]> {
  const label = basename(path);
  let zip: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(path);
    zips.push(zip);
    entries = await readEntries(zip);
  } catch (error) {
    throw new ImportRefused(label, `l'archive zip est illisible ou tronquée (${(error as Error).message})`);
  }
  return entries.map((entry) => ({
    name: `${label} › ${entry.fileName}`,
    open: async () => {
      try {
        return await entryStream(zip, entry);
      } catch (error) {
        throw new ImportRefused(`${label} › ${entry.fileName}`, `l'entrée de l'archive est illisible (${(error as Error).message})`);
      }
    },
  }));
}

/** Lists the text files behind the given paths, opening zips without extracting them. */
export async function openSources(paths: readonly string[]): Promise<OpenedSources> {
  const zips: yauzl.ZipFile[] = [];
  const sources: Source[] = [];
  const close = (): void => zips.forEach((zip) => zip.close());
  try {
    for (const path of paths) {
      let zipped: boolean;
      try {
        zipped = await isZip(path);
      } catch (error) {
        throw new ImportRefused(basename(path), `il est introuvable ou illisible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      if (zipped) sources.push(...(await zipSources(path, zips)));
      else sources.push({ name: basename(path), open: async () => createReadStream(path, { highWaterMark: 1 << 20 }) });
    }
  } catch (error) {
    close();
    throw error;
  }
  return { sources, close };
}
