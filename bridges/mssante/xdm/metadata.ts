import { XMLParser } from "fast-xml-parser";

/** One document an IHE XDM submission set announces (ebRIM ExtrinsicObject). */
export interface XdmEntry {
  /** Relative to the folder of METADATA.XML. */
  readonly uri: string;
  readonly mimeType: string | undefined;
  /** SHA-1, lower-case hex, as XDS writes it. */
  readonly sha1: string | undefined;
  readonly size: number | undefined;
  readonly title: string | undefined;
  /** XDSDocumentEntry.typeCode (else classCode): what kind of document it is. */
  readonly type: XdmCode | undefined;
}

/** A coded value of the metadata (e.g. LOINC 11490-0), with the sender's display name. */
export interface XdmCode {
  readonly code: string;
  readonly codingScheme: string | undefined;
  readonly displayName: string | undefined;
}

export interface XdmMetadata {
  readonly entries: readonly XdmEntry[];
  /** The patient identifiers named by the documents and the submission set (the ID part of the HL7 CX value). */
  readonly patientIds: readonly string[];
}

/** XDSDocumentEntry.patientId and XDSSubmissionSet.patientId. */
const PATIENT_ID_SCHEMES = new Set(["urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427", "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"]);

/** XDSDocumentEntry.typeCode, then XDSDocumentEntry.classCode (coarser). */
const TYPE_CODE_SCHEME = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
const CLASS_CODE_SCHEME = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";

const ARRAYS = new Set(["ExtrinsicObject", "RegistryPackage", "Slot", "Value", "ExternalIdentifier", "LocalizedString", "Classification"]);

interface Node {
  [key: string]: unknown;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

/** Reads METADATA.XML; throws on XML that is not an ebRIM submission. */
export function parseXdmMetadata(xml: string): XdmMetadata {
  const root = parser.parse(xml) as Node;
  const request = (root["SubmitObjectsRequest"] ?? root["ProvideAndRegisterDocumentSetRequest"]) as Node | undefined;
  const list = (request?.["RegistryObjectList"] ?? (request?.["SubmitObjectsRequest"] as Node | undefined)?.["RegistryObjectList"]) as Node | undefined;
  if (!list) throw new Error("METADATA.XML has no RegistryObjectList");
  const documents = (list["ExtrinsicObject"] as Node[] | undefined) ?? [];
  const packages = (list["RegistryPackage"] as Node[] | undefined) ?? [];
  const looseClassifications = (list["Classification"] as Node[] | undefined) ?? [];
  const entries = documents.flatMap((doc): XdmEntry[] => {
    const uri = slot(doc, "URI");
    if (!uri) return [];
    const size = slot(doc, "size");
    return [
      {
        uri,
        mimeType: attribute(doc, "mimeType"),
        sha1: slot(doc, "hash")?.toLowerCase(),
        size: size !== undefined && /^\d+$/.test(size) ? Number(size) : undefined,
        title: localized(doc["Name"]),
        type: documentType(doc, looseClassifications),
      },
    ];
  });
  const patientIds = [...documents, ...packages].flatMap((obj) =>
    ((obj["ExternalIdentifier"] as Node[] | undefined) ?? [])
      .filter((ei) => PATIENT_ID_SCHEMES.has(attribute(ei, "identificationScheme") ?? ""))
      .map((ei) => idPart(attribute(ei, "value")))
      .filter((id): id is string => id !== undefined),
  );
  return { entries, patientIds: [...new Set(patientIds)] };
}

/** The document's typeCode (else classCode), nested in it or classifying it from the list. */
function documentType(doc: Node, loose: readonly Node[]): XdmCode | undefined {
  const id = attribute(doc, "id");
  const classifications = [...((doc["Classification"] as Node[] | undefined) ?? []), ...loose.filter((c) => id !== undefined && attribute(c, "classifiedObject") === id)];
  for (const scheme of [TYPE_CODE_SCHEME, CLASS_CODE_SCHEME]) {
    const found = classifications.find((c) => attribute(c, "classificationScheme") === scheme);
    const code = found ? attribute(found, "nodeRepresentation")?.trim() : undefined;
    if (found && code) return { code, codingScheme: slot(found, "codingScheme"), displayName: localized(found["Name"]) };
  }
  return undefined;
}

/** `290017512345612^^^&1.2.250.1.213.1.4.8&ISO` → `290017512345612`. */
function idPart(cx: string | undefined): string | undefined {
  const id = cx?.split("^")[0]?.replace(/\s+/g, "");
  return id ? id : undefined;
}

function attribute(node: Node, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === "string" ? value : undefined;
}

function slot(node: Node, name: string): string | undefined {
  const slots = (node["Slot"] as Node[] | undefined) ?? [];
  const found = slots.find((s) => attribute(s, "name") === name);
  const values = (found?.["ValueList"] as Node | undefined)?.["Value"] as unknown[] | undefined;
  const first = values?.[0];
  return typeof first === "string" ? first.trim() : undefined;
}

function localized(name: unknown): string | undefined {
  const strings = (name as Node | undefined)?.["LocalizedString"] as Node[] | undefined;
  return strings?.[0] ? attribute(strings[0], "value") : undefined;
}
