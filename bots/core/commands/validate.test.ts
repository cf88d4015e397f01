import { describe, expect, it } from "vitest";
import type { CommandSpec } from "./command.ts";
import { createRouter } from "./router.ts";

const L = (fr: string, en: string) => ({ fr, en });

describe("declarations are checked at creation", () => {
  const cmd = (name: string, aliases: string[] = [], params: CommandSpec["params"] = []): CommandSpec =>
    ({ name, aliases, summary: L("x", "x"), params, execute: () => ({ text: "" }) });
  const p = (name: string, extra: { optional?: boolean; rest?: boolean } = {}) => ({ name, description: L("x", "x"), ...extra });

  it.each([
    ["an alias equal to another name", [cmd("ping"), cmd("pong", ["ping"])]],
    ["the reserved help alias", [cmd("liste", ["help"])]],
    ["the reserved help name", [cmd("aide")]],
    ["names differing only by accents", [cmd("événement"), cmd("evenement")]],
    ["a name the parser cannot produce", [cmd("Ping")]],
    ["a name with a slash", [cmd("a/b")]],
    ["a rest parameter that is not last", [cmd("x", [], [p("a", { rest: true }), p("b")])]],
    ["a required parameter after an optional one", [cmd("x", [], [p("a", { optional: true }), p("b")])]],
    ["a parameter declared twice", [cmd("x", [], [p("a"), p("a")])]],
  ])("throws on %s", (_label, commands) => {
    expect(() => createRouter(commands, { botName: L("b", "b"), logger: { warn() {}, error() {} } })).toThrow();
  });

  it("accepts a valid set", () => {
    expect(() => createRouter([cmd("mes-patients", ["mp"], [p("a"), p("b", { optional: true, rest: true })])], { botName: L("b", "b"), logger: { warn() {}, error() {} } })).not.toThrow();
  });
});
