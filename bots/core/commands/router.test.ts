import { describe, expect, it, vi } from "vitest";
import type { Lang } from "../i18n/lang.ts";
import { CommandError, type BaseContext, type CommandSpec, type Reply } from "./command.ts";
import { createRouter, type RouteOutcome } from "./router.ts";

const L = (fr: string, en: string) => ({ fr, en });

function setup(extra: CommandSpec[] = []) {
  const logger = { warn: vi.fn<(obj: object, msg: string) => void>(), error: vi.fn<(obj: object, msg: string) => void>() };
  const noteExec = vi.fn((_ctx: BaseContext, args: Record<string, string | undefined>): Reply => ({ text: JSON.stringify(args) }));
  const commands: CommandSpec[] = [
    { name: "ping", summary: L("Vérifier que je réponds", "Check that I answer"), params: [], examples: ["!ping"], execute: () => ({ text: "pong" }) },
    {
      name: "note", aliases: ["n"], summary: L("Ajouter une note", "Add a note"), examples: ["!note dupont RAS"],
      params: [
        { name: "patient", description: L("le patient concerné", "the patient concerned") },
        { name: "texte", description: L("le texte de la note", "the text of the note"), optional: true, rest: true },
      ],
      execute: noteExec,
    },
    {
      name: "transfert", summary: L("Transférer une demande", "Transfer a request"),
      params: [{ name: "demande", description: L("la demande", "the request") }, { name: "destinataire", description: L("à qui", "to whom") }],
      execute: (_c, a) => ({ text: `${a["demande"]}→${a["destinataire"]}` }),
    },
    { name: "événement", aliases: ["evenement-liste"], summary: L("Voir un événement", "See an event"), params: [], execute: () => ({ text: "ok" }) },
    {
      name: "refuse", summary: L("Refuser", "Refuse"), params: [{ name: "qui", description: L("qui", "who") }],
      execute: (_c, a) => { throw new CommandError(`refused for ${a["qui"]}`, L("Je ne trouve pas « {qui} ».", "I can't find \"{qui}\"."), { qui: a["qui"]! }); },
    },
    { name: "boom", summary: L("Panne", "Failure"), params: [], execute: () => { throw new Error("SQLITE_CORRUPT /var/lib/cpts/secret.db"); } },
    { name: "boom-async", summary: L("Panne", "Failure"), params: [], execute: async () => Promise.reject(new TypeError("x is undefined")) },
    ...extra,
  ];
  const router = createRouter(commands, { botName: L("Accueil CPTS", "CPTS welcome bot"), logger });
  return { router, logger, noteExec, commands };
}

const ctx = (lang: Lang = "fr"): BaseContext => ({ lang, sender: "@anne:cpts.fr", roomId: "!room:cpts.fr", correlationId: "c0ffee42" });

function replied(outcome: RouteOutcome) {
  if (outcome.kind !== "replied") throw new Error("expected a reply");
  return outcome;
}
async function say(body: string, lang: Lang = "fr", r = setup().router) {
  return replied(await r.route(body, ctx(lang)));
}

describe("routing", () => {
  it("ignores chat and answers commands with either prefix, in any case", async () => {
    const { router } = setup();
    expect(await router.route("bonjour", ctx())).toEqual({ kind: "ignored" });
    for (const body of ["!ping", "/ping", "!PING", "/Ping"]) {
      expect(await router.route(body, ctx())).toEqual({ kind: "replied", reply: { text: "pong" }, command: "ping", status: "ok" });
    }
  });

  it("resolves aliases and accent-less spellings to the canonical command", async () => {
    expect(await say("!n dupont")).toMatchObject({ command: "note", status: "ok" });
    expect(await say("!EVENEMENT")).toMatchObject({ command: "événement", status: "ok" });
  });

  it("binds arguments by name, joins a rest parameter, leaves missing optionals undefined, and passes the split list too", async () => {
    const { router, noteExec } = setup();
    await router.route('!note "Jean Dupont" passage   infirmier  ce soir', ctx());
    expect(noteExec).toHaveBeenLastCalledWith(ctx(), { patient: "Jean Dupont", texte: "passage infirmier ce soir" }, ["Jean Dupont", "passage", "infirmier", "ce", "soir"]);
    await router.route("!note dupont", ctx());
    expect(noteExec).toHaveBeenLastCalledWith(ctx(), { patient: "dupont", texte: undefined }, ["dupont"]);
    expect(router.commands.map((c) => c.name)).toContain("note");
  });
});

describe("help", () => {
  it("lists every command with usage and summary, in French", async () => {
    const { reply, status, command } = await say("!aide");
    expect(status).toBe("ok");
    expect(command).toBe("aide");
    expect(reply.text).toContain("Accueil CPTS");
    expect(reply.text).toContain("!note <patient> [texte…] — Ajouter une note");
    expect(reply.text).toContain("!transfert <demande> <destinataire> — Transférer une demande");
    expect(reply.text).toContain("!aide [commande]");
    expect(reply.html).toContain("<code>!note &lt;patient&gt; [texte…]</code>");
  });

  it("lists in English with !help and English summaries", async () => {
    const { reply } = await say("/help", "en");
    expect(reply.text).toContain("CPTS welcome bot — available commands:");
    expect(reply.text).toContain("!ping — Check that I answer");
    expect(reply.text).toContain("!help [commande]");
    expect(reply.text).not.toContain("Ajouter une note");
  });

  it("explains one command with parameters, aliases and examples", async () => {
    const fr = (await say("!aide note")).reply.text;
    expect(fr).toContain("!note <patient> [texte…]");
    expect(fr).toContain("Autres noms : !n");
    expect(fr).toContain("patient — le patient concerné");
    expect(fr).toContain("texte (facultatif, peut contenir des espaces) — le texte de la note");
    expect(fr).toContain("!note dupont RAS");
    const en = (await say("!help !N", "en")).reply.text;
    expect(en).toContain("texte (optional, may contain spaces) — the text of the note");
    expect(en).toContain("Examples:");
  });

  it("answers --help and -h on any command instead of running it", async () => {
    const { router, noteExec } = setup();
    for (const flag of ["--help", "-h"]) {
      const out = replied(await router.route(`!note ${flag}`, ctx()));
      expect(out.reply.text).toContain("Paramètres :");
      expect(out.status).toBe("ok");
    }
    expect((await say("!boom -h")).status).toBe("ok");
    expect(noteExec).not.toHaveBeenCalled();
  });

  it("suggests a close command when asked about an unknown one", async () => {
    const out = await say("!aide pnig");
    expect(out.reply.text).toBe("Je ne trouve pas de commande « pnig ». Vouliez-vous dire !ping ?");
    expect(out.status).toBe("user-error");
  });
});

describe("unknown, empty and malformed commands", () => {
  it("suggests the closest commands (!pnig → !ping)", async () => {
    const out = await say("!pnig");
    expect(out).toMatchObject({ command: null, status: "user-error" });
    expect(out.reply.text).toBe("Je ne connais pas la commande !pnig. Vouliez-vous dire !ping ?");
    expect((await say("/hlep", "en")).reply.text).toBe("I don't know the command /hlep. Did you mean !help?");
  });

  it("folds accents and offers at most three suggestions, best first", async () => {
    expect((await say("!evenment")).reply.text).toContain("Vouliez-vous dire !événement ?");
    const many = ["song", "pung", "pang"].map((name) => ({ name, summary: L("x", "x"), params: [], execute: () => ({ text: "" }) }));
    // ping, pang, pung and song are all one edit away from pong: ties go alphabetically.
    const text = (await say("!pong", "fr", setup(many).router)).reply.text;
    expect(text).toBe("Je ne connais pas la commande !pong. Vouliez-vous dire !pang, !ping ou !pung ?");
    // Same edit count: the closer length wins over a longer name that merely starts alike.
    expect((await say("!boo")).reply.text).toContain("Vouliez-vous dire !boom ou !boom-async ?");
  });

  it("points to the help when nothing is close", async () => {
    expect((await say("!xyzzy")).reply.text).toBe("Je ne connais pas la commande !xyzzy. Tapez !aide pour voir la liste des commandes.");
    expect((await say("!xyzzy", "en")).reply.text).toBe("I don't know the command !xyzzy. Type !help to see the list of commands.");
  });

  it("points to the help on an empty command", async () => {
    const out = await say("/ ");
    expect(out).toMatchObject({ command: null, status: "user-error" });
    expect(out.reply.text).toBe("Il manque le nom de la commande après « / ». Tapez !aide pour voir la liste des commandes.");
  });

  it("explains quoting on an unterminated quote, with the usage of a known command", async () => {
    const known = await say('!note "Jean Dupont');
    expect(known).toMatchObject({ command: "note", status: "user-error" });
    expect(known.reply.text).toContain("Un guillemet ouvert n'a pas été refermé.");
    expect(known.reply.text).toContain("Usage : !note <patient> [texte…]");
    expect(known.reply.text).toContain("« Jean Dupont »");
    const unknown = await say("!nimporte « quoi", "en");
    expect(unknown).toMatchObject({ command: null, status: "user-error" });
    expect(unknown.reply.text).toContain("A quotation mark was opened but never closed.");
  });
});

describe("argument errors come from the declaration", () => {
  it("names the missing arguments and shows the usage", async () => {
    expect((await say("!transfert")).reply.text).toBe(
      "Il manque les arguments demande et destinataire.\nUsage : !transfert <demande> <destinataire>",
    );
    expect((await say("!transfert 12", "en")).reply.text).toBe("The argument destinataire is missing.\nUsage: !transfert <demande> <destinataire>");
    expect((await say("!note")).status).toBe("user-error");
  });

  it("refuses too many arguments with a quoting tip", async () => {
    const out = await say("!transfert 12 Jean Dupont");
    expect(out).toMatchObject({ command: "transfert", status: "user-error" });
    expect(out.reply.text).toContain("cette commande en attend 2 au plus, et vous en avez donné 3.");
    expect(out.reply.text).toContain('"Jean Dupont"');
    expect((await say("!ping now", "en")).reply.text).toContain("This command takes no argument.\nUsage: !ping");
  });
});

describe("errors", () => {
  it("shows a CommandError's human message in the person's language and logs the precise one", async () => {
    const { router, logger } = setup();
    const out = replied(await router.route("!refuse Martin", ctx("en")));
    expect(out).toMatchObject({ command: "refuse", status: "user-error", reply: { text: 'I can\'t find "Martin".' } });
    expect(logger.warn).toHaveBeenCalledWith(expect.objectContaining({ correlationId: "c0ffee42", command: "refuse", reason: "refused for Martin" }), expect.any(String));
    expect(logger.error).not.toHaveBeenCalled();
  });

  it.each(["!boom", "!boom-async"])("hides an unexpected error behind a polite message with the reference (%s)", async (body) => {
    const { router, logger } = setup();
    const out = replied(await router.route(body, ctx()));
    expect(out.status).toBe("internal-error");
    expect(out.reply.text).toContain("référence : c0ffee42");
    for (const leak of ["SQLITE", "secret.db", "undefined", "Error", " at "]) {
      expect(out.reply.text).not.toContain(leak);
      expect(out.reply.html).not.toContain(leak);
    }
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ correlationId: "c0ffee42", err: expect.any(Error) }), expect.any(String));
    expect((await say(body, "en")).reply.text).toContain("reference: c0ffee42");
  });
});

describe("html", () => {
  it("escapes user text echoed back", async () => {
    const unknown = await say("!ping<script>alert(1)");
    expect(unknown.reply.html).toContain("<code>!ping&lt;script&gt;alert(1)</code>");
    expect(unknown.reply.html).not.toContain("<script>");
    const help = await say('!aide "<script>alert(1)</script>"');
    expect(help.reply.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(help.reply.html).not.toMatch(/<\/?script/);
    const refused = await say('!refuse "<b>&"');
    expect(refused.reply.html).toBe("<p>Je ne trouve pas « &lt;b&gt;&amp; ».</p>");
  });
});

describe("size", () => {
  it("routes 64 KB bodies in well under 50 ms", async () => {
    const { router, noteExec } = setup();
    const big = "a".repeat(65_536);
    const bodies = [`!note dupont ${"mot ".repeat(16_384)}`, `!note "${big}"`, `!${big}`, `!ping ${"a ".repeat(32_768)}`, `!note "${big}`];
    await router.route(bodies[0]!, ctx()); // warm-up: the first call pays for JIT compilation
    for (const body of bodies) {
      const started = performance.now();
      const out = replied(await router.route(body, ctx()));
      expect(performance.now() - started).toBeLessThan(50);
      expect(out.reply.text.length).toBeLessThan(2_000 + (out.command === "note" && out.status === "ok" ? 2 * 65_536 : 0));
    }
    expect(noteExec).toHaveBeenCalledWith(ctx(), { patient: big, texte: undefined }, [big]);
  });
});

describe("English names", () => {
  it("shows English speakers a command's English name, and accepts it typed", async () => {
    const router = createRouter(
      [{ name: "profil", englishName: "profile", summary: { fr: "Votre fiche", en: "Your card" }, params: [], execute: () => ({ text: "card" }) }],
      { botName: { fr: "Bot", en: "Bot" }, logger: { warn() {}, error() {} } },
    );
    const ctx = (lang: "fr" | "en") => ({ lang, sender: "@a:b", roomId: "!r:b", correlationId: "c" });
    const en = await router.route("!help", ctx("en"));
    const fr = await router.route("!aide", ctx("fr"));
    expect(en.kind === "replied" && en.reply.text).toContain("!profile");
    expect(fr.kind === "replied" && fr.reply.text).toContain("!profil —");
    const typed = await router.route("!profile", ctx("fr"));
    expect(typed.kind === "replied" && typed.reply.text).toBe("card");
  });
});
