import { describe, expect, it } from "vitest";
import { parseCommand, splitArgs } from "./parse.ts";

const args = (body: string) => {
  const r = parseCommand(body);
  if (r.kind !== "command") throw new Error(`expected a command, got ${r.kind}`);
  return r.args;
};

describe("parseCommand: what is a command", () => {
  it("reads ! and / the same way, lower-cases the name and keeps accents", () => {
    expect(parseCommand("!Ping")).toEqual({ kind: "command", prefix: "!", name: "ping", args: [] });
    expect(parseCommand("/PING a")).toEqual({ kind: "command", prefix: "/", name: "ping", args: ["a"] });
    expect(parseCommand("!Événement demain")).toEqual({ kind: "command", prefix: "!", name: "événement", args: ["demain"] });
  });

  it("composes accents typed as separate marks (NFC)", () => {
    const r = parseCommand("!e\u0301ve\u0301nement");
    expect(r).toMatchObject({ kind: "command", name: "événement" });
  });

  it("accepts hyphenated names and leading whitespace", () => {
    expect(parseCommand("  \n !mes-patients")).toEqual({ kind: "command", prefix: "!", name: "mes-patients", args: [] });
  });

  it.each([
    ["plain chat", "bonjour à tous"],
    ["!!!", "!!!"],
    ["a path after the slash", "/path/to/file is broken"],
    ["a slash then a space", "/ home/user"],
    ["a bang then a space", "! important"],
    ["a digit first", "!1er rendez-vous"],
    ["a prefix in the middle", "voir !aide"],
    ["empty body", ""],
  ])("leaves %s to the humans", (_label, body) => {
    expect(parseCommand(body)).toEqual({ kind: "not-a-command" });
  });

  it.each(["!", "/", "!   ", " / \n"])("sees %j as an empty command", (body) => {
    expect(parseCommand(body)).toEqual({ kind: "empty", prefix: body.trim() });
  });

  it("keeps odd characters in an unknown name so the router can answer", () => {
    expect(parseCommand("!ping? merci")).toMatchObject({ kind: "command", name: "ping?" });
  });
});

describe("parseCommand: reply fallback", () => {
  it("strips the quoted original and the empty line of a Matrix reply", () => {
    const body = "> <@alice:cpts.fr> !note dupont\n> deuxième ligne\n>\n\n!ping now";
    expect(parseCommand(body)).toEqual({ kind: "command", prefix: "!", name: "ping", args: ["now"] });
  });

  it("ignores a reply to a command when the reply itself is chat", () => {
    expect(parseCommand("> <@alice:cpts.fr> !ping\n\nmerci !")).toEqual({ kind: "not-a-command" });
  });

  it("does not strip quoted lines that are not followed by an empty line", () => {
    expect(parseCommand("> citation\n!ping")).toEqual({ kind: "not-a-command" });
  });
});

describe("argument splitting", () => {
  it("splits on any whitespace, including newlines and non-breaking spaces", () => {
    expect(args("!x a  b\tc\nd\u00a0e")).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("groups double, single, French and typographic quotes", () => {
    expect(args(`!x "Jean Dupont" 'Marie Curie' « Paul Martin » “Anne Roy” ‘Luc Petit’`)).toEqual([
      "Jean Dupont", "Marie Curie", "Paul Martin", "Anne Roy", "Luc Petit",
    ]);
  });

  it("drops the (non-breaking) spaces French keyboards put inside guillemets", () => {
    expect(args("!x «\u00a0Jean Dupont\u00a0» «\u202fA B\u202f» «C D»")).toEqual(["Jean Dupont", "A B", "C D"]);
  });

  it("keeps spaces inside ordinary quotes as typed", () => {
    expect(args(`!x " padded "`)).toEqual([" padded "]);
  });

  it("keeps an empty quoted argument", () => {
    expect(args(`!x "" b`)).toEqual(["", "b"]);
  });

  it("leaves apostrophes inside words alone", () => {
    expect(args("!note l'infirmière passe aujourd'hui")).toEqual(["l'infirmière", "passe", "aujourd'hui"]);
    expect(args("!note 'l'infirmière'")).toEqual(["l'infirmière"]);
  });

  it("honours backslash escapes for quotes, spaces and backslashes only", () => {
    expect(args(String.raw`!x \"a b\" c\ d e\\f`)).toEqual(['"a', 'b"', "c d", "e\\f"]);
    expect(args(String.raw`!x "dit \"oui\""`)).toEqual(['dit "oui"']);
    expect(args(String.raw`!x C:\dossier\fichier`)).toEqual([String.raw`C:\dossier\fichier`]);
  });

  it("keeps a trailing backslash", () => {
    expect(splitArgs(" a\\")).toEqual(["a\\"]);
  });

  it("a quote inside a quoted argument only closes it before whitespace", () => {
    expect(args(`!x "a"b c"`)).toEqual(['a"b c']);
  });

  it.each([`!note "Jean Dupont`, "!note 'Jean", "!note « Jean Dupont", `!note "a\\"`])("reports %j as malformed", (body) => {
    expect(parseCommand(body)).toEqual({ kind: "malformed", prefix: "!", name: "note", reason: "unterminated-quote" });
  });

  it("splits a 64 KB body quickly", () => {
    const bodies = [`!x ${"mot ".repeat(16_384)}`, `!x "${"a".repeat(65_536)}"`, `!x ${"\\\" ".repeat(16_384)}`];
    parseCommand(bodies[0]!); // warm-up: the first call pays for JIT compilation
    const sizes = bodies.map((body) => {
      const started = performance.now();
      const n = args(body).length;
      expect(performance.now() - started).toBeLessThan(50);
      return n;
    });
    expect(sizes).toEqual([16_384, 1, 16_384]);
  });
});
