import { XMLParser } from "fast-xml-parser";
import type { XdmCode } from "./metadata.ts";

/** OIDs of the INS (identifiant national de santé): NIR, NIA, and their test ranges. */
export const INS_OIDS: ReadonlySet<string> = new Set(["1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.9", "1.2.250.1.213.1.4.10", "1.2.250.1.213.1.4.11"]);
export const INS_NIR_OID = "1.2.250.1.213.1.4.8";

export interface CdaFacts {
  readonly title: string | undefined;
  /** The document's type (ClinicalDocument/code, LOINC in France). */
  readonly type: XdmCode | undefined;
  /** The patient's INS and its OID, when the document carries one. */
  readonly ins: { readonly id: string; readonly oid: string } | undefined;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", removeNSPrefix: true, parseTagValue: false, isArray: (name) => name === "id" });

/** Whether an attachment is an HL7 CDA R2 document (what MSSanté calls a structured document). */
export function looksLikeCda(fileName: string | undefined, contentType: string, data: Buffer): boolean {
  if (!/xml/i.test(contentType) && !/\.xml$/i.test(fileName ?? "")) return false;
  const head = data.subarray(0, 4096).toString("utf8");
  return /<(\w+:)?ClinicalDocument[\s>]/.test(head);
}

/** The title and patient INS of a CDA document; undefined when it is not readable XML. */
export function readCda(data: Buffer): CdaFacts | undefined {
  let root: Record<string, unknown>;
  try {
    root = parser.parse(data.toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const doc = root["ClinicalDocument"] as Record<string, unknown> | undefined;
  if (!doc) return undefined;
  const title = doc["title"];
  const code = doc["code"] as Record<string, string> | undefined;
  const targets = doc["recordTarget"];
  const firstTarget = (Array.isArray(targets) ? targets[0] : targets) as Record<string, unknown> | undefined;
  const ids = ((firstTarget?.["patientRole"] as Record<string, unknown> | undefined)?.["id"] as Record<string, string>[] | undefined) ?? [];
  const insId = ids.find((id) => INS_OIDS.has(id["@_root"] ?? "") && id["@_extension"]);
  return {
    title: typeof title === "string" ? title.trim() : typeof title === "object" && title !== null ? String((title as Record<string, unknown>)["#text"] ?? "").trim() || undefined : undefined,
    type: code?.["@_code"] ? { code: code["@_code"], codingScheme: code["@_codeSystem"], displayName: code["@_displayName"] } : undefined,
    ins: insId ? { id: insId["@_extension"]!.replace(/\s+/g, ""), oid: insId["@_root"]! } : undefined,
  };
}
