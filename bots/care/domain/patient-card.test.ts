import { describe, expect, it } from "vitest";
import { formatIns, formatPhone, insKeyIsValid, parsePatientCard } from "./patient-card.ts";

const TODAY = { year: 2026, month: 11, day: 25 };

describe("fiche de liaison", () => {
  it("reads the name, birth date and INS in any order", () => {
    expect(parsePatientCard("Jeanne Dupont, née le 12/03/1941, INS 2 41 03 59 123 456 57", TODAY)).toEqual({
      ok: true,
      card: { name: "Jeanne Dupont", birthDate: { year: 1941, month: 3, day: 12 }, ins: "241035912345657" },
    });
    expect(parsePatientCard("12.03.1941 DUPONT Jeanne", TODAY)).toEqual({ ok: true, card: { name: "DUPONT Jeanne", birthDate: { year: 1941, month: 3, day: 12 } } });
    expect(parsePatientCard("Nom : DUPONT Jeanne ; date de naissance : 1/3/1941 ; INS inconnu", TODAY)).toMatchObject({ ok: true, card: { name: "DUPONT Jeanne" } });
  });

  it("checks the INS key, Corsican departments included", () => {
    expect(insKeyIsValid("241035912345657")).toBe(true);
    expect(insKeyIsValid("241035912345658")).toBe(false);
    expect(insKeyIsValid("185052A12345633")).toBe(true);
    expect(formatIns("241035912345657")).toBe("2 41 03 59 123 456 57");
  });

  it("says what is missing or wrong", () => {
    expect(parsePatientCard("Jeanne Dupont", TODAY)).toEqual({ ok: false, problems: ["birth-date-missing"] });
    expect(parsePatientCard("Dupont 31/02/1941", TODAY)).toEqual({ ok: false, problems: ["birth-date-invalid", "name-missing"] });
    expect(parsePatientCard("Jeanne Dupont 01/01/2030", TODAY)).toEqual({ ok: false, problems: ["birth-date-invalid"] });
    expect(parsePatientCard("Jeanne Dupont 12/03/1941 INS 241035912345658", TODAY)).toEqual({ ok: false, problems: ["ins-key-invalid"] });
    expect(parsePatientCard("bonjour à tous", TODAY)).toEqual({ ok: false, problems: ["birth-date-missing"] });
  });

  it("keeps a phone number out of the name, and reads it apart", () => {
    expect(parsePatientCard("DUPONT Jeanne 12/03/1941 06 12 34 56 78", TODAY)).toEqual({ ok: true, card: { name: "DUPONT Jeanne", birthDate: { year: 1941, month: 3, day: 12 }, phone: "0612345678" } });
    expect(parsePatientCard("Jeanne Dupont, tél. +33 6 12 34 56 78, née le 12/03/1941", TODAY)).toMatchObject({ ok: true, card: { name: "Jeanne Dupont", phone: "0612345678" } });
    expect(parsePatientCard("Jeanne Dupont 12/03/1941 INS 2 41 03 59 123 456 57 portable 03.27.12.34.56", TODAY)).toMatchObject({ ok: true, card: { name: "Jeanne Dupont", ins: "241035912345657", phone: "0327123456" } });
    expect(formatPhone("0612345678")).toBe("06 12 34 56 78");
  });
});
