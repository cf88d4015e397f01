import { createHash, randomUUID } from "node:crypto";
import yazl from "yazl";
import type { XdmCode } from "./metadata.ts";

export interface XdmDocumentInput {
  readonly data: Buffer;
  readonly mimeType: string;
  readonly title: string;
  /** Written as XDSDocumentEntry.typeCode, so the receiver can say what the document is. */
  readonly type?: XdmCode;
}

export interface XdmPackageInput {
  readonly documents: readonly XdmDocumentInput[];
  /** The patient's identifier and its assigning authority OID (INS: 1.2.250.1.213.1.4.8), when known. */
  readonly patient?: { readonly id: string; readonly oid: string };
  /** Who sends it (the mailbox address), written as the submission's author. */
  readonly author: string;
  readonly submittedAt: Date;
}

const RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";
const LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0";
const DOCUMENT_TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
const STABLE_DOCUMENT = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1";
const DOCUMENT_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
const DOCUMENT_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
const SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
const SUBMISSION_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
const SUBMISSION_UNIQUE_ID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";

/** File name of document `index` (0-based) in the package, as XDM names them (8.3, upper case). */
export function xdmDocumentName(index: number, mimeType: string): string {
  const extension = /xml/i.test(mimeType) ? "XML" : /pdf/i.test(mimeType) ? "PDF" : "BIN";
  return `DOC${String(index + 1).padStart(4, "0")}.${extension}`;
}

/**
 * An IHE XDM package (ITI-32 media interchange, one submission set): the documents and a
 * METADATA.XML giving each one's SHA-1, size and URI, so the receiver can check them.
 */
export async function buildXdmPackage(input: XdmPackageInput): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const when = { mtime: input.submittedAt };
  const names = input.documents.map((doc, index) => xdmDocumentName(index, doc.mimeType));
  input.documents.forEach((doc, index) => zip.addBuffer(doc.data, `IHE_XDM/SUBSET01/${names[index]}`, when));
  zip.addBuffer(Buffer.from(metadataXml(input, names), "utf8"), "IHE_XDM/SUBSET01/METADATA.XML", when);
  zip.addBuffer(Buffer.from("IHE XDM package (ITI-32): the documents and their METADATA.XML are in IHE_XDM/SUBSET01.\r\n", "utf8"), "README.TXT", when);
  zip.addBuffer(Buffer.from(`<html><body><ul>${names.map((n) => `<li><a href="IHE_XDM/SUBSET01/${n}">${n}</a></li>`).join("")}</ul></body></html>\r\n`, "utf8"), "INDEX.HTM", when);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function metadataXml(input: XdmPackageInput, names: readonly string[]): string {
  const patientCx = input.patient ? `${input.patient.id}^^^&amp;${input.patient.oid}&amp;ISO` : undefined;
  const time = input.submittedAt.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const slot = (name: string, value: string): string => `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${value}</rim:Value></rim:ValueList></rim:Slot>`;
  const documents = input.documents
    .map((doc, index) => {
      const id = `Document${String(index + 1).padStart(2, "0")}`;
      return [
        `<rim:ExtrinsicObject id="${id}" mimeType="${escapeXml(doc.mimeType)}" objectType="${STABLE_DOCUMENT}">`,
        slot("creationTime", time),
        slot("hash", createHash("sha1").update(doc.data).digest("hex")),
        slot("size", String(doc.data.length)),
        slot("URI", names[index]!),
        patientCx ? slot("sourcePatientId", patientCx) : "",
        `<rim:Name><rim:LocalizedString value="${escapeXml(doc.title)}"/></rim:Name>`,
        doc.type ? typeCodeXml(id, doc.type) : "",
        patientCx ? `<rim:ExternalIdentifier id="${id}-pid" registryObject="${id}" identificationScheme="${DOCUMENT_PATIENT_ID}" value="${patientCx}"/>` : "",
        `<rim:ExternalIdentifier id="${id}-uid" registryObject="${id}" identificationScheme="${DOCUMENT_UNIQUE_ID}" value="urn:uuid:${randomUUID()}"/>`,
        `</rim:ExtrinsicObject>`,
      ].join("");
    })
    .join("\n    ");
  return `<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="${LCM}" xmlns:rim="${RIM}">
  <rim:RegistryObjectList>
    ${documents}
    <rim:RegistryPackage id="SubmissionSet01">${slot("submissionTime", time)}${slot("authorTelecommunication", `^^Internet^${escapeXml(input.author)}`)}${
      patientCx ? `<rim:ExternalIdentifier id="ss-pid" registryObject="SubmissionSet01" identificationScheme="${SUBMISSION_PATIENT_ID}" value="${patientCx}"/>` : ""
    }<rim:ExternalIdentifier id="ss-uid" registryObject="SubmissionSet01" identificationScheme="${SUBMISSION_UNIQUE_ID}" value="urn:uuid:${randomUUID()}"/></rim:RegistryPackage>
    <rim:Classification id="ss-class" classifiedObject="SubmissionSet01" classificationNode="${SUBMISSION_SET}"/>
  </rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>
`;
}

function typeCodeXml(documentId: string, type: XdmCode): string {
  return [
    `<rim:Classification id="${documentId}-type" classificationScheme="${DOCUMENT_TYPE_CODE}" classifiedObject="${documentId}" nodeRepresentation="${escapeXml(type.code)}">`,
    type.codingScheme ? `<rim:Slot name="codingScheme"><rim:ValueList><rim:Value>${escapeXml(type.codingScheme)}</rim:Value></rim:ValueList></rim:Slot>` : "",
    type.displayName ? `<rim:Name><rim:LocalizedString value="${escapeXml(type.displayName)}"/></rim:Name>` : "",
    `</rim:Classification>`,
  ].join("");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
