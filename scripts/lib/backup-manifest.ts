// The manifest at the root of a backup archive: what it holds, with a SHA-256 per file,
// checked on restore before anything is put in place.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { z } from "zod";

export const MANIFEST_NAME = "manifest.json";
/** The data folder's files are under this folder of the archive. */
export const DATA_PREFIX = "data";
export const BACKUP_FORMAT = "cpts-messagerie-backup";

const FileEntrySchema = z
  .object({
    path: z
      .string()
      .min(1)
      .refine((p) => !p.startsWith("/") && !p.split("/").some((part) => part === "" || part === "." || part === ".."), "a relative path without . or .. parts"),
    kind: z.enum(["sqlite", "file"]),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export const ManifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(1),
    createdAt: z.string().min(1),
    synapseVersion: z.string(),
    files: z.array(FileEntrySchema),
  })
  .strict();

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestFile = Manifest["files"][number];

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}

/** Parses a manifest, naming the first bad key. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${MANIFEST_NAME} is not valid JSON`);
  }
  const result = ManifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${MANIFEST_NAME}: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return result.data;
}
