import { describe, expect, it } from "vitest";
import { findIdentifyingPatterns } from "./identifying-text.ts";

const kinds = (text: string): string[] => findIdentifyingPatterns(text).map((f) => `${f.kind}:${f.text}`);

describe("identifying patterns in a care theme", () => {
  it("lets ordinary care themes through, whatever the phone did to the first letter", () => {
    for (const theme of ["plaie pied diabétique", "Plaie pied diabétique", "Suivi BPCO", "retour à domicile après AVC", "Post-op PTH", "soins palliatifs", "ulcère jambe gauche", "grossesse DT1"]) {
      expect(kinds(theme), theme).toEqual([]);
    }
  });

  it("finds civilities, capitalised and all-capital names, known first names and surnames", () => {
    expect(kinds("suivi Mme Dupont")).toEqual(["civility:Mme Dupont"]);
    expect(kinds("plaie DUPONT")).toEqual(["surname:DUPONT"]);
    expect(kinds("plaie LEMARCHAND")).toEqual(["capitalised-word:LEMARCHAND"]);
    expect(kinds("plaie pied Lemarchand")).toEqual(["capitalised-word:Lemarchand"]);
    expect(kinds("Lemarchand plaie")).toEqual(["capitalised-word:Lemarchand"]);
    expect(kinds("suivi jeanne")).toEqual(["first-name:jeanne"]);
    expect(kinds("suivi dupont diabète")).toEqual(["surname:dupont"]);
    expect(kinds("escarre J.D.")).toEqual(["initials:J.D."]);
  });

  it("finds dates, identifiers, phone numbers and e-mail addresses", () => {
    expect(kinds("suivi né le 12/03/1941")).toEqual(["date:né le 12/03/1941"]);
    expect(kinds("diabète 1941-03-12")).toEqual(["date:1941-03-12"]);
    expect(kinds("ins 2 41 03 59 123 456 78")).toEqual(["identifier:2 41 03 59 123 456 78"]);
    expect(kinds("rappeler 06 12 34 56 78")).toEqual(["phone:06 12 34 56 78"]);
    expect(kinds("famille jd@exemple.fr")).toEqual(["email:jd@exemple.fr"]);
  });
});

describe("names typed in lower case", () => {
  it("finds first names and surnames of the published lists whatever the case and accents", () => {
    expect(kinds("suivi marcelle lefrancq")).toEqual(["first-name:marcelle", "surname:lefrancq"]);
    expect(kinds("plaie hélène")).toEqual(["first-name:hélène"]);
    expect(kinds("suivi helene")).toEqual(["first-name:helene"]);
    expect(kinds("ulcère jean-pierre")).toEqual(["first-name:jean-pierre"]);
    expect(kinds("escarre GERMAINE")).toEqual(["first-name:GERMAINE"]);
    expect(kinds("suivi fournier")).toEqual(["surname:fournier"]);
  });

  it("lets ordinary themes through, names of common words included", () => {
    for (const theme of ["suivi plaie diabétique", "sortie d'hospitalisation", "soins palliatifs", "plaie petit orteil", "rééducation épaule droite", "insuffisance cardiaque", "surveillance INR", "chimiothérapie cancer du sein", "retour à domicile après fracture du col du fémur"]) {
      expect(kinds(theme), theme).toEqual([]);
    }
  });
});
