import { createHash } from "node:crypto";
import { posix } from "node:path";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { parseXdmMetadata, type XdmCode } from "./metadata.ts";

export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  /** Uncompressed / compressed: above it an entry is a zip bomb, not a document. */
  readonly maxCompressionRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 200, maxEntryBytes: 25 * 1024 * 1024, maxTotalBytes: 60 * 1024 * 1024, maxCompressionRatio: 200 };

/** Why a zip is not opened at all (it is still carried as it came). */
export type ZipRefusal = "unsafe-path" | "too-many-entries" | "too-large" | "compression-ratio" | "unreadable";

export class ZipRefused extends Error {
  readonly reason: ZipRefusal;
  constructor(reason: ZipRefusal, detail: string) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
  }
}

/** A document of the package whose hash or size does not match METADATA.XML, or that is missing. */
export interface XdmProblem {
  readonly kind: "hash-mismatch" | "size-mismatch" | "missing-document" | "bad-metadata";
  readonly document: string;
}

export interface XdmDocument {
  readonly fileName: string;
  readonly mimeType: string;
  readonly title: string | undefined;
  readonly type: XdmCode | undefined;
  readonly data: Buffer;
}

export type XdmReading =
  | { readonly kind: "not-xdm" }
  | { readonly kind: "refused"; readonly reason: ZipRefusal }
  | {
      readonly kind: "package";
      /** Documents whose hash and size match METADATA.XML; the others are only reported. */
      readonly documents: readonly XdmDocument[];
      readonly patientIds: readonly string[];
      readonly problems: readonly XdmProblem[];
    };

const METADATA = /^IHE_XDM\/[^/]+\/METADATA\.XML$/i;

/** Whether an attachment may be an IHE XDM package (a zip), by name or type. */
export function looksLikeZip(fileName: string | undefined, contentType: string): boolean {
  return /zip/i.test(contentType) || /\.zip$/i.test(fileName ?? "");
}

/**
 * Opens an IHE XDM zip (ITI-32, as MSSanté carries documents) and checks every document
 * against the SHA-1 and size written in METADATA.XML. A zip with an unsafe entry name
 * (absolute, `..`, backslash), too many or too large entries, or a suspicious compression
 * ratio is refused whole: nothing of it is extracted.
 */
export async function readXdmPackage(zip: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<XdmReading> {
  let files: Map<string, Buffer>;
  try {
    files = await unzipSafely(zip, limits);
  } catch (err) {
    if (err instanceof ZipRefused) return { kind: "refused", reason: err.reason };
    return { kind: "refused", reason: "unreadable" };
  }
  const metadataPaths = [...files.keys()].filter((path) => METADATA.test(path));
  if (metadataPaths.length === 0) return { kind: "not-xdm" };
  const documents: XdmDocument[] = [];
  const problems: XdmProblem[] = [];
  const patientIds = new Set<string>();
  for (const metadataPath of metadataPaths) {
    let metadata;
    try {
      metadata = parseXdmMetadata(files.get(metadataPath)!.toString("utf8"));
    } catch {
      problems.push({ kind: "bad-metadata", document: metadataPath });
      continue;
    }
    for (const id of metadata.patientIds) patientIds.add(id);
    const folder = posix.dirname(metadataPath);
    for (const entry of metadata.entries) {
      const path = posix.normalize(posix.join(folder, entry.uri));
      const data = path.startsWith(`${folder}/`) ? files.get(path) : undefined;
      if (!data) {
        problems.push({ kind: "missing-document", document: entry.uri });
        continue;
      }
      if (entry.size !== undefined && entry.size !== data.length) {
        problems.push({ kind: "size-mismatch", document: entry.uri });
        continue;
      }
      if (entry.sha1 === undefined || createHash("sha1").update(data).digest("hex") !== entry.sha1) {
        problems.push({ kind: "hash-mismatch", document: entry.uri });
        continue;
      }
      documents.push({ fileName: posix.basename(path), mimeType: entry.mimeType ?? "application/octet-stream", title: entry.title, type: entry.type, data });
    }
  }
  return { kind: "package", documents, patientIds: [...patientIds], problems };
}

/** Every file of the zip, by normalised path, within the limits. */
export function unzipSafely(zip: Buffer, limits: ZipLimits): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (openError, zipfile) => {
      if (openError || !zipfile) return reject(classify(openError));
      const files = new Map<string, Buffer>();
      let total = 0;
      let settled = false;
      const fail = (err: unknown): void => {
        if (settled) return;
        settled = true;
        zipfile.close();
        reject(classify(err));
      };
      if (zipfile.entryCount > limits.maxEntries) return fail(new ZipRefused("too-many-entries", `${zipfile.entryCount} entries`));
      zipfile.on("error", fail);
      zipfile.on("end", () => {
        if (settled) return;
        settled = true;
        resolve(files);
      });
      zipfile.on("entry", (entry: Entry) => {
        const problem = entryProblem(entry, limits, total);
        if (problem) return fail(problem);
        if (entry.fileName.endsWith("/")) return zipfile.readEntry();
        total += entry.uncompressedSize;
        readEntry(zipfile, entry, limits).then((data) => {
          files.set(posix.normalize(entry.fileName), data);
          zipfile.readEntry();
        }, fail);
      });
      zipfile.readEntry();
    });
  });
}

function entryProblem(entry: Entry, limits: ZipLimits, totalSoFar: number): ZipRefused | undefined {
  const name = entry.fileName;
  const segments = name.split("/");
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name) || name.includes("\\") || name.includes("\0") || segments.includes("..")) {
    return new ZipRefused("unsafe-path", "entry outside the package");
  }
  if (entry.uncompressedSize > limits.maxEntryBytes || totalSoFar + entry.uncompressedSize > limits.maxTotalBytes) {
    return new ZipRefused("too-large", `${entry.uncompressedSize} bytes`);
  }
  if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize > entry.compressedSize * limits.maxCompressionRatio) {
    return new ZipRefused("compression-ratio", `${entry.uncompressedSize}/${entry.compressedSize}`);
  }
  return undefined;
}

/** Reads one entry, counting what actually comes out (a lying header cannot inflate past the limit). */
function readEntry(zipfile: ZipFile, entry: Entry, limits: ZipLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error("no stream"));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxEntryBytes) {
          stream.destroy();
          reject(new ZipRefused("too-large", "entry larger than announced"));
          return;
        }
        chunks.push(chunk);
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}

function classify(err: unknown): ZipRefused {
  if (err instanceof ZipRefused) return err;
  const message = (err as Error | undefined)?.message ?? "unknown";
  if (/relative path|absolute path|invalid characters/i.test(message)) return new ZipRefused("unsafe-path", message);
  return new ZipRefused("unreadable", message);
}
