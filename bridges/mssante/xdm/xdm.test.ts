import { createHash } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { zipFiles } from "../../../bots/directory/fixtures/zip-writer.ts";
import { fixtureMail } from "../../../test/fixtures/mssante/fixture-files.ts";
import { buildXdmPackage } from "./build.ts";
import { documentTypeLabel, LOINC_OID } from "./document-types.ts";
import { looksLikeCda, readCda } from "./cda.ts";
import { readXdmPackage, unzipSafely, DEFAULT_ZIP_LIMITS } from "./unpack.ts";

const cda = Buffer.from(`<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>Lettre</title>
<recordTarget><patientRole><id root="1.2.3" extension="LOCAL-1"/><id root="1.2.250.1.213.1.4.8" extension="290017512345612"/></patientRole></recordTarget></ClinicalDocument>`);

describe("IHE XDM packages", () => {
  it("reads the committed discharge-letter package: verified documents and the patient id", async () => {
    const reading = await readXdmPackage(fixtureMail("IHE_XDM.ZIP"));
    if (reading.kind !== "package") throw new Error(reading.kind);
    expect(reading.problems).toEqual([]);
    expect(reading.patientIds).toEqual(["290017512345612"]);
    expect(reading.documents.map((d) => [d.fileName, d.mimeType])).toEqual([
      ["DOC0001.XML", "text/xml"],
      ["DOC0002.PDF", "application/pdf"],
    ]);
    expect(reading.documents.map((d) => [d.title, d.type?.code])).toEqual([
      ["Lettre de liaison de sortie", "11490-0"],
      ["Lettre de liaison (PDF)", "11490-0"],
    ]);
    expect(looksLikeCda(reading.documents[0]!.fileName, reading.documents[0]!.mimeType, reading.documents[0]!.data)).toBe(true);
  });

  it("names a document's type from METADATA.XML: our French label for common LOINC codes, else the sender's display name", async () => {
    const typed = (code: string, codingScheme: string, displayName?: string) =>
      buildXdmPackage({ documents: [{ data: cda, mimeType: "text/xml", title: "Doc", type: { code, codingScheme, displayName } }], author: "a@b.test", submittedAt: new Date() });
    const typeOf = async (zip: Buffer) => {
      const reading = await readXdmPackage(zip);
      if (reading.kind !== "package") throw new Error(reading.kind);
      return reading.documents[0]!.type!;
    };
    const discharge = await typeOf(await typed("11490-0", LOINC_OID, "Lettre de liaison à la sortie"));
    expect(documentTypeLabel(discharge, "fr")).toBe("Lettre de liaison de sortie (LOINC 11490-0)");
    expect(documentTypeLabel(discharge, "en")).toBe("Discharge letter (LOINC 11490-0)");
    expect(documentTypeLabel(await typeOf(await typed("99999-9", LOINC_OID, "Bilan de kinésithérapie")), "fr")).toBe("Bilan de kinésithérapie (LOINC 99999-9)");
    expect(documentTypeLabel(await typeOf(await typed("CERT_DECL", "1.2.250.1.213.1.1.4.12")), "fr")).toBe("CERT_DECL");
  });

  it("round-trips what buildXdmPackage writes", async () => {
    const zip = await buildXdmPackage({ documents: [{ data: cda, mimeType: "text/xml", title: "Lettre" }], patient: { id: "1234", oid: "1.2.250.1.213.1.4.8" }, author: "a@b.test", submittedAt: new Date() });
    const reading = await readXdmPackage(zip);
    expect(reading).toMatchObject({ kind: "package", patientIds: ["1234"], problems: [] });
  });

  it("reports a document whose hash or size differs from METADATA.XML and does not extract it", async () => {
    const metadata = (sha1: string, size: number) =>
      Buffer.from(`<SubmitObjectsRequest xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"><RegistryObjectList>
<ExtrinsicObject id="d1" mimeType="text/xml"><Slot name="hash"><ValueList><Value>${sha1}</Value></ValueList></Slot><Slot name="size"><ValueList><Value>${size}</Value></ValueList></Slot><Slot name="URI"><ValueList><Value>DOC0001.XML</Value></ValueList></Slot></ExtrinsicObject>
</RegistryObjectList></SubmitObjectsRequest>`);
    const goodSha = createHash("sha1").update(cda).digest("hex");
    const wrongHash = await readXdmPackage(zipFiles([{ name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadata("0".repeat(40), cda.length) }, { name: "IHE_XDM/SUBSET01/DOC0001.XML", data: cda }]));
    expect(wrongHash).toMatchObject({ kind: "package", documents: [], problems: [{ kind: "hash-mismatch", document: "DOC0001.XML" }] });
    const wrongSize = await readXdmPackage(zipFiles([{ name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadata(goodSha, 3) }, { name: "IHE_XDM/SUBSET01/DOC0001.XML", data: cda }]));
    expect(wrongSize).toMatchObject({ kind: "package", documents: [], problems: [{ kind: "size-mismatch" }] });
    const missing = await readXdmPackage(zipFiles([{ name: "IHE_XDM/SUBSET01/METADATA.XML", data: metadata(goodSha, cda.length) }]));
    expect(missing).toMatchObject({ kind: "package", problems: [{ kind: "missing-document" }] });
  });

  it("refuses a zip with a path-traversal entry (the fixture mail's package)", async () => {
    const { parseMail } = await import("../mail/inbound-mail.ts");
    const mail = await parseMail(fixtureMail("zip-traversal.eml"));
    expect(await readXdmPackage(mail.attachments[0]!.data)).toEqual({ kind: "refused", reason: "unsafe-path" });
    for (const name of ["/etc/passwd", "a\\..\\b", "C:/x"]) {
      await expect(unzipSafely(zipFiles([{ name, data: Buffer.from("x") }]), DEFAULT_ZIP_LIMITS)).rejects.toMatchObject({ reason: expect.stringMatching(/unsafe-path/) });
    }
  });

  it("refuses zip bombs, too many entries and oversized packages", async () => {
    const zeros = Buffer.alloc(30 * 1024 * 1024);
    expect(deflateRawSync(zeros).length).toBeLessThan(100_000);
    expect(await readXdmPackage(zipFiles([{ name: "IHE_XDM/SUBSET01/METADATA.XML", data: zeros }]))).toEqual({ kind: "refused", reason: "too-large" });
    const ratio = await unzipSafely(zipFiles([{ name: "x.bin", data: Buffer.alloc(5 * 1024 * 1024) }]), DEFAULT_ZIP_LIMITS).catch((e: { reason: string }) => e.reason);
    expect(ratio).toBe("compression-ratio");
    const many = zipFiles(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: Buffer.from("x") })));
    await expect(unzipSafely(many, { ...DEFAULT_ZIP_LIMITS, maxEntries: 4 })).rejects.toMatchObject({ reason: "too-many-entries" });
    expect(await readXdmPackage(Buffer.from("not a zip"))).toEqual({ kind: "refused", reason: "unreadable" });
  });

  it("says a zip without METADATA.XML is not an XDM package", async () => {
    expect(await readXdmPackage(zipFiles([{ name: "photo.jpg", data: Buffer.from("x") }]))).toEqual({ kind: "not-xdm" });
  });
});

describe("CDA documents", () => {
  it("finds the title and the INS among the patient's identifiers", () => {
    expect(readCda(cda)).toEqual({ title: "Lettre", ins: { id: "290017512345612", oid: "1.2.250.1.213.1.4.8" } });
  });

  it("tells CDA from other XML", () => {
    expect(looksLikeCda("doc.xml", "text/xml", cda)).toBe(true);
    expect(looksLikeCda("doc.xml", "text/xml", Buffer.from("<invoice/>"))).toBe(false);
    expect(looksLikeCda("doc.pdf", "application/pdf", cda)).toBe(false);
  });
});
