import { describe, expect, it } from "vitest";
import { DEFAULT_LANG, foldText, localize, parseLang } from "./lang.ts";

describe("parseLang", () => {
  it.each([
    ["fr", "fr"], ["FR", "fr"], ["français", "fr"], ["Francais", "fr"], [" FRANÇAIS ", "fr"], ["french", "fr"],
    ["en", "en"], ["English", "en"], ["anglais", "en"], ["ANGLAIS", "en"],
  ])("reads %j as %s", (input, expected) => {
    expect(parseLang(input)).toBe(expected);
  });

  it.each(["", "de", "allemand", "toString", "__proto__", "f r"])("rejects %j", (input) => {
    expect(parseLang(input)).toBeUndefined();
  });

  it("defaults to French", () => {
    expect(DEFAULT_LANG).toBe("fr");
  });
});

describe("localize", () => {
  const text = { fr: "Bonjour {name}, {count} message(s)", en: "Hello {name}, {count} message(s)" };

  it("picks the language and fills placeholders", () => {
    expect(localize(text, "fr", { name: "Anne", count: 2 })).toBe("Bonjour Anne, 2 message(s)");
    expect(localize(text, "en", { name: "Anne", count: 0 })).toBe("Hello Anne, 0 message(s)");
  });

  it("leaves unknown placeholders visible and works without params", () => {
    expect(localize(text, "fr", { name: "Anne" })).toBe("Bonjour Anne, {count} message(s)");
    expect(localize(text, "en")).toBe("Hello {name}, {count} message(s)");
  });

  it("never expands placeholders found in a value", () => {
    expect(localize(text, "fr", { name: "{count}", count: 1 })).toBe("Bonjour {count}, 1 message(s)");
  });

  it("does not treat inherited properties as params", () => {
    expect(localize({ fr: "{constructor}", en: "" }, "fr", {})).toBe("{constructor}");
  });
});

describe("foldText", () => {
  it("removes accents and case", () => {
    expect(foldText("ÉvÈnement À Noël")).toBe("evenement a noel");
  });
});
