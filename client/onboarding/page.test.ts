// The onboarding page: loads nothing from elsewhere, every link and field has a name a
// screen reader can say, its colours pass WCAG AA, and it only advertises commands that
// exist. Each rule is a function over the page; the "catches" tests feed it broken copies.
import { readFileSync } from "node:fs";
import { parse, type DefaultTreeAdapterTypes } from "parse5";
import { describe, expect, it } from "vitest";
import { exampleBranding, REPO_ROOT } from "../element/example-env.ts";
import { keepSections, onboardingValues, placeholdersOf, renderOnboardingPage, renderTemplate } from "./page.ts";

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

const template = readFileSync(new URL("index.html", import.meta.url), "utf8");
const css = readFileSync(new URL("style.css", import.meta.url), "utf8");
const page = renderOnboardingPage(exampleBranding());

// --- reading the tree ----------------------------------------------------------------

const isElement = (node: Node): node is Element => "tagName" in node;

function elementsOf(node: Node): Element[] {
  const children = "childNodes" in node ? node.childNodes : [];
  const content = isElement(node) && node.tagName === "template" ? [(node as DefaultTreeAdapterTypes.Template).content] : [];
  return [...(isElement(node) ? [node] : []), ...[...children, ...content].flatMap(elementsOf)];
}

const attr = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;

/** What a screen reader says for an element: its text, and the alt text of its images. */
function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
  if (isElement(node) && node.tagName === "img") return attr(node, "alt") ?? "";
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

// --- rules -------------------------------------------------------------------------------

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
/** Attributes that make the browser fetch something (href only on <link>, below). */
const FETCHING_ATTRIBUTES = ["src", "srcset", "poster", "data", "background", "action", "formaction", "manifest"];

function cssViolations(text: string, where: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(/url\(\s*['"]?([^'")]*)/gi)) {
    if (REMOTE.test(match[1]!.trim())) problems.push(`${where}: loads ${match[1]}`);
  }
  if (/@import/i.test(text)) problems.push(`${where}: @import`);
  return problems;
}

function pageViolations(html: string): string[] {
  const problems: string[] = [];
  const all = elementsOf(parse(html));
  const ids = all.map((e) => attr(e, "id")).filter((id): id is string => id !== undefined);
  const byTag = (tag: string) => all.filter((e) => e.tagName === tag);

  if (attr(byTag("html")[0]!, "lang") !== "fr") problems.push('<html> must say lang="fr"');
  if (!byTag("meta").some((m) => attr(m, "name") === "viewport" && /width=device-width/.test(attr(m, "content") ?? ""))) {
    problems.push("no viewport meta: unreadable on a phone");
  }
  const csp = byTag("meta").find((m) => attr(m, "http-equiv")?.toLowerCase() === "content-security-policy");
  if (!csp || !/default-src 'none'/.test(attr(csp, "content") ?? "")) problems.push("no Content-Security-Policy with default-src 'none'");
  if (byTag("h1").length !== 1) problems.push("exactly one <h1>");
  let level = 0;
  for (const heading of all.filter((e) => /^h[1-6]$/.test(e.tagName))) {
    const next = Number(heading.tagName[1]);
    if (next > level + 1) problems.push(`<${heading.tagName}> "${textOf(heading).trim()}" skips a heading level`);
    level = next;
  }
  if (new Set(ids).size !== ids.length) problems.push("duplicate id");

  for (const element of all) {
    const at = `<${element.tagName}>`;
    if (element.tagName === "script") problems.push(`${at}: no scripts on this page`);
    for (const name of FETCHING_ATTRIBUTES) {
      const value = attr(element, name);
      if (value !== undefined && REMOTE.test(value.trim())) problems.push(`${at} ${name}: loads ${value}`);
    }
    if (element.tagName === "link" && REMOTE.test(attr(element, "href") ?? "")) problems.push(`${at}: loads ${attr(element, "href")}`);
    if (element.tagName === "meta" && attr(element, "http-equiv")?.toLowerCase() === "refresh") problems.push(`${at}: refresh`);
    const style = attr(element, "style");
    if (style) problems.push(...cssViolations(style, `${at} style`));
    if (element.tagName === "style") problems.push(...cssViolations(textOf(element), at));

    if (element.tagName === "a") {
      const href = attr(element, "href");
      const name = attr(element, "aria-label") ?? textOf(element);
      if (!href) problems.push(`${at} "${name.trim()}": no href`);
      if (!name.trim()) problems.push(`${at} ${href}: no accessible text`);
      if (href && REMOTE.test(href) && !href.startsWith("https://")) problems.push(`${at} ${href}: not https`);
      if (href?.startsWith("#") && !ids.includes(href.slice(1))) problems.push(`${at} ${href}: no such anchor`);
    }
    if (element.tagName === "img" && attr(element, "alt") === undefined) problems.push(`${at} ${attr(element, "src")}: no alt`);
    if (["input", "select", "textarea"].includes(element.tagName) && attr(element, "type") !== "hidden") {
      const id = attr(element, "id");
      const labelled =
        attr(element, "aria-label")?.trim() ||
        attr(element, "aria-labelledby") ||
        (id !== undefined && byTag("label").some((label) => attr(label, "for") === id && textOf(label).trim()));
      let parent = element.parentNode;
      let wrapped = false;
      while (parent && isElement(parent as Node)) {
        if ((parent as Element).tagName === "label") wrapped = true;
        parent = (parent as Element).parentNode;
      }
      if (!labelled && !wrapped) problems.push(`${at} ${attr(element, "name") ?? id ?? ""}: no label`);
    }
    for (const ref of (attr(element, "aria-labelledby") ?? "").split(/\s+/).filter(Boolean)) {
      if (!ids.includes(ref)) problems.push(`${at} aria-labelledby=${ref}: no such id`);
    }
  }
  return problems;
}

// --- colours -------------------------------------------------------------------------------

function palette(text: string): Map<string, string> {
  const root = /:root\s*\{([^}]*)\}/.exec(text)?.[1] ?? "";
  return new Map([...root.matchAll(/(--[a-z-]+)\s*:\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}

function luminance(hex: string): number {
  const channel = (offset: number): number => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Foreground on background, as style.css uses them, with the WCAG AA minimum. */
const PAIRS: [string, string, number][] = [
  ["--text", "--bg", 4.5],
  ["--muted", "--bg", 4.5],
  ["--link", "--bg", 4.5],
  ["--text", "--card-bg", 4.5],
  ["--link", "--card-bg", 4.5],
  ["--text", "--code-bg", 4.5],
  ["--banner-text", "--banner-bg", 4.5],
  ["--soon-text", "--soon-bg", 4.5],
  ["--focus", "--bg", 3],
];

function colourViolations(text: string): string[] {
  const colours = palette(text);
  const problems: string[] = [];
  for (const [fg, bg, minimum] of PAIRS) {
    const [a, b] = [colours.get(fg), colours.get(bg)];
    if (!a || !b) problems.push(`${fg} on ${bg}: not defined in :root`);
    else if (contrast(a, b) < minimum) problems.push(`${fg} on ${bg}: ${contrast(a, b).toFixed(2)}:1, below ${minimum}:1`);
  }
  // A colour written outside :root would escape the contrast check.
  const outsideRoot = text.replace(/:root\s*\{[^}]*\}/, "").replace(/\/\*[\s\S]*?\*\//g, "");
  for (const match of outsideRoot.matchAll(/#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?)\(/gi)) problems.push(`colour ${match[0]} outside :root`);
  return problems;
}

// --- tests ----------------------------------------------------------------------------------

describe("onboarding page", () => {
  it("loads nothing remote, and every link and field has an accessible name", () => {
    expect(pageViolations(page)).toEqual([]);
    expect(cssViolations(css, "style.css")).toEqual([]);
  });

  it("has readable colours (WCAG AA), all of them checked", () => {
    expect(colourViolations(css)).toEqual([]);
    expect(contrast("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it("fills every placeholder with the CPTS's values, escaped", () => {
    expect([...placeholdersOf(template)].sort()).toEqual(Object.keys(onboardingValues(exampleBranding())).sort());
    expect(page).not.toMatch(/\{\{|\}\}/);
    expect(page).toContain('<a href="https://element.cpts-exemple.fr/">https://element.cpts-exemple.fr/</a>');
    expect(page).toContain("<code>@annuaire:cpts-exemple.fr</code>");
    expect(renderTemplate("<p>{{CPTS_NAME}}</p>", { CPTS_NAME: 'CPTS <b>"Sud"</b> & Co' })).toBe("<p>CPTS &lt;b&gt;&quot;Sud&quot;&lt;/b&gt; &amp; Co</p>");
    expect(() => renderTemplate("{{UNKNOWN}}", {})).toThrow(/no value for \{\{UNKNOWN\}\}/);
  });

  it("covers installing, logging in, verifying the session, the first commands and the rules", () => {
    const ids = elementsOf(parse(page)).map((e) => attr(e, "id"));
    expect(ids).toEqual(expect.arrayContaining(["installer", "connecter", "verifier", "commandes", "regles"]));
    for (const words of ["Element X", "Element Desktop", "Pro Santé Connect", "Vérifier cette session", "clé de récupération", "nom de patient"]) {
      expect(page, words).toContain(words);
    }
  });

  it("only advertises as available the commands the bots have (README), the others marked « bientôt »", () => {
    const readme = readFileSync(new URL("README.md", REPO_ROOT), "utf8");
    const documented = new Set([...readme.matchAll(/`!([a-zà-ÿ]+)/g)].map((m) => m[1]!));
    const terms = elementsOf(parse(page)).filter((e) => e.tagName === "dt");
    expect(terms.length).toBeGreaterThanOrEqual(6);
    const undocumented = terms
      .filter((dt) => !elementsOf(dt).some((e) => attr(e, "class") === "soon"))
      .flatMap((dt) => [...textOf(dt).matchAll(/!([a-zà-ÿ]+)/g)].map((m) => m[1]!))
      .filter((command) => !documented.has(command));
    expect(undocumented).toEqual([]);
  });

  const pageMutations: [string, (html: string) => string, RegExp][] = [
    ["a CDN script", (h) => h.replace("</head>", '<script src="https://cdn.example.org/x.js"></script></head>'), /<script> src: loads https:\/\/cdn/],
    ["a protocol-relative stylesheet", (h) => h.replace('href="style.css"', 'href="//fonts.example.org/css"'), /<link>: loads \/\/fonts/],
    ["a remote image", (h) => h.replace('src="/branding/logo.svg"', 'src="http://img.example.org/logo.png"'), /<img> src: loads http:/],
    ["an inline remote background", (h) => h.replace("<main>", '<main style="background: url(https://x.example.org/b.png)">'), /<main> style: loads https:/],
    ["a link without text", (h) => h.replace(">Se connecter</a>", "></a>"), /<a> #connecter: no accessible text/],
    ["a link to a missing anchor", (h) => h.replace('href="#connecter"', 'href="#connexion"'), /<a> #connexion: no such anchor/],
    ["a plain-http link", (h) => h.replace("https://element.io/download", "http://element.io/download"), /<a> http:\/\/element\.io\/download: not https/],
    ["an unlabelled field", (h) => h.replace("</main>", '<input id="rpps" name="rpps"></main>'), /<input> rpps: no label/],
    ["an image without alt", (h) => h.replace(' alt=""', ""), /<img> \/branding\/logo\.svg: no alt/],
    ["another language", (h) => h.replace('lang="fr"', 'lang="en"'), /lang="fr"/],
    ["no viewport", (h) => h.replace(/<meta name="viewport"[^>]*>/, ""), /no viewport meta/],
    ["no CSP", (h) => h.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ""), /no Content-Security-Policy/],
    ["a skipped heading level", (h) => h.replace("<h3>Téléphone</h3>", "<h4>Téléphone</h4>"), /<h4> "Téléphone" skips a heading level/],
  ];
  it.each(pageMutations)("catches %s", (_label, mutate, expected) => {
    const mutated = mutate(page);
    expect(mutated).not.toBe(page);
    expect(pageViolations(mutated).join("\n")).toMatch(expected);
  });

  const cssMutations: [string, (text: string) => string, RegExp][] = [
    ["a remote font", (t) => t + '\n@font-face { font-family: X; src: url("https://fonts.example.org/x.woff2"); }', /loads https:\/\/fonts/],
    ["an @import", (t) => `@import "theme.css";\n${t}`, /@import/],
  ];
  it.each(cssMutations)("catches %s in the stylesheet", (_label, mutate, expected) => {
    expect(cssViolations(mutate(css), "style.css").join("\n")).toMatch(expected);
  });

  const colourMutations: [string, (text: string) => string, RegExp][] = [
    ["pale text", (t) => t.replace("--muted: #4a5763;", "--muted: #999999;"), /--muted on --bg: 2\.85:1, below 4\.5:1/],
    ["a colour outside the palette", (t) => t.replace("color: var(--muted);", "color: #aaa;"), /colour #aaa outside :root/],
    ["a missing palette entry", (t) => t.replace("--focus: #b34700;", ""), /--focus on --bg: not defined/],
  ];
  it.each(colourMutations)("catches %s", (_label, mutate, expected) => {
    const mutated = mutate(css);
    expect(mutated).not.toBe(css);
    expect(colourViolations(mutated).join("\n")).toMatch(expected);
  });
});

// --- signing in: what each client can do, on this server's set-up ----------------------------

/** The four sign-in set-ups of a CPTS: Synapse alone or MAS, Pro Santé Connect or not. */
const SETUPS = {
  "Synapse, passwords only": {},
  "Synapse with Pro Santé Connect": { PSC_ENABLED: "true" },
  "MAS, passwords only": { MAS_ENABLED: "true", COMPOSE_PROFILES: "mas" },
  "MAS with Pro Santé Connect": { MAS_ENABLED: "true", COMPOSE_PROFILES: "mas", PSC_ENABLED: "true" },
} as const;

const pageFor = (env: Record<string, string>): string => renderOnboardingPage(exampleBranding(env));

/** The sign-in table: for each application, its answer per column ("Identifiant et mot de passe", "Pro Santé Connect"). */
function signInTable(html: string): Map<string, Map<string, string>> {
  const table = elementsOf(parse(html)).find((e) => e.tagName === "table" && attr(e, "class") === "clients");
  if (!table) return new Map();
  const rows = elementsOf(table).filter((e) => e.tagName === "tr");
  const columns = elementsOf(rows[0]!).filter((e) => e.tagName === "th").map((th) => textOf(th).trim());
  return new Map(
    rows.slice(1).map((row) => {
      const cells = elementsOf(row).filter((e) => e.tagName === "th" || e.tagName === "td").map((c) => textOf(c).replace(/\s+/g, " ").trim());
      return [cells[0]!, new Map(columns.slice(1).map((column, i) => [column, cells[i + 1] ?? ""]))];
    }),
  );
}

const CLIENTS = ["Element Web (navigateur)", "Element Desktop (ordinateur)", "Element X (téléphone)", "Ancienne application Element (« Element Classic »), plus développée"];

function answer(html: string, client: string, column: string): string {
  return signInTable(html).get(client)?.get(column) ?? "(absent)";
}

describe("onboarding page: signing in", () => {
  it.each(Object.entries(SETUPS))("is a valid page with every section resolved: %s", (_label, env) => {
    const html = pageFor(env);
    expect(pageViolations(html)).toEqual([]);
    expect(html).not.toMatch(/@if|@endif/);
    expect([...signInTable(html).keys()]).toEqual(CLIENTS);
    for (const client of CLIENTS) expect(answer(html, client, "Identifiant et mot de passe")).toBe("Oui");
  });

  it("Synapse with Pro Santé Connect: PSC on Element Web, Desktop and the classic app, not on Element X, and says what to do", () => {
    const html = pageFor(SETUPS["Synapse with Pro Santé Connect"]);
    expect(answer(html, "Element X (téléphone)", "Pro Santé Connect")).toMatch(/^Non/);
    for (const client of CLIENTS.filter((c) => !c.startsWith("Element X"))) expect(answer(html, client, "Pro Santé Connect")).toBe("Oui");
    expect(html).toMatch(/n'a\s+pas de mot de passe/);
    expect(html).toMatch(/demandez à la coordination un mot de passe pour Element X/);
    expect(html).not.toMatch(/QR code/);
  });

  it("MAS with Pro Santé Connect: PSC on every client, on the CPTS's sign-in page, and QR-code login", () => {
    const html = pageFor(SETUPS["MAS with Pro Santé Connect"]);
    for (const client of CLIENTS) expect(answer(html, client, "Pro Santé Connect")).toBe("Oui");
    expect(html).toContain("<code>auth.cpts-exemple.fr</code>");
    expect(html).toMatch(/QR code/);
    expect(html).not.toMatch(/pas de mot de passe/);
  });

  it("without Pro Santé Connect, says nothing of it in the sign-in steps", () => {
    for (const env of [SETUPS["Synapse, passwords only"], SETUPS["MAS, passwords only"]]) {
      const html = pageFor(env);
      const signIn = textOf(elementsOf(parse(html)).find((e) => attr(e, "id") === "connecter")!);
      expect(signIn).not.toContain("Pro Santé Connect");
      expect(answer(html, "Element X (téléphone)", "Pro Santé Connect")).toBe("(absent)");
    }
    expect(pageFor(SETUPS["MAS, passwords only"])).toMatch(/QR code/);
    expect(pageFor(SETUPS["Synapse, passwords only"])).not.toMatch(/QR code/);
  });

  it("keeps or drops the marked sections, nested, and refuses a broken template", () => {
    const template = "a<!-- @if MAS -->b<!-- @if !PSC -->c<!-- @endif --><!-- @endif -->d";
    expect(keepSections(template, { MAS: true, PSC: false })).toBe("abcd");
    expect(keepSections(template, { MAS: true, PSC: true })).toBe("abd");
    expect(keepSections(template, { MAS: false, PSC: false })).toBe("ad");
    expect(() => keepSections("<!-- @if OTHER -->x<!-- @endif -->", { MAS: true })).toThrow(/unknown condition @if OTHER/);
    expect(() => keepSections("<!-- @if MAS -->x", { MAS: true })).toThrow(/@if without @endif/);
    expect(() => keepSections("x<!-- @endif -->", { MAS: true })).toThrow(/@endif without @if/);
  });
});

