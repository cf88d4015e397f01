export type Prefix = "!" | "/";

export type ParseResult =
  | { kind: "not-a-command" }
  | { kind: "empty"; prefix: Prefix }
  | { kind: "command"; prefix: Prefix; name: string; args: string[] }
  | { kind: "malformed"; prefix: Prefix; name: string; reason: "unterminated-quote" };

/** Opening quote → its closing quote. “…” and ‘…’ come from phones that "smarten" typed quotes. */
const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", "«": "»", "“": "”", "‘": "’" };
const ESCAPABLE = new Set(["\\", '"', "'", "«", "»", "“", "”", "‘", "’"]);
const SPACE = /\s/u;

/** Matrix reply fallback: quoted lines of the original message, then one empty line. */
const REPLY_FALLBACK = /^(?:>(?:[ \t][^\n]*)?\r?\n)+\r?\n/;

/**
 * Turns a message body into a command, or says it is ordinary chat.
 * The command name is the first word; it must start with a letter and contain no "/",
 * so "/ home/user", "/path/to/file is broken" and "!!!" stay chat.
 */
export function parseCommand(body: string): ParseResult {
  const text = body.normalize("NFC").replace(REPLY_FALLBACK, "").trimStart();
  const prefix = text[0];
  if (prefix !== "!" && prefix !== "/") return { kind: "not-a-command" };
  const rest = text.slice(1);
  if (rest.trim() === "") return { kind: "empty", prefix };
  const end = rest.search(SPACE);
  const word = end === -1 ? rest : rest.slice(0, end);
  if (!/^\p{L}/u.test(word) || word.includes("/")) return { kind: "not-a-command" };
  const name = word.toLowerCase();
  const args = end === -1 ? [] : splitArgs(rest.slice(end));
  if (args === undefined) return { kind: "malformed", prefix, name, reason: "unterminated-quote" };
  return { kind: "command", prefix, name, args };
}

/**
 * Splits on whitespace. A quote opens only at the start of an argument and closes only
 * before whitespace or the end, so French apostrophes ("l'infirmière") need no escaping.
 * A backslash escapes a quote, a backslash or a space; elsewhere it is kept ("C:\dossier").
 * Returns undefined when a quote is never closed.
 */
export function splitArgs(input: string): string[] | undefined {
  const args: string[] = [];
  let current = "";
  let inArg = false;
  let closing: string | undefined;
  let quoteOpener = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    const next = input[i + 1];
    if (c === "\\" && next !== undefined && (ESCAPABLE.has(next) || SPACE.test(next))) {
      current += next;
      inArg = true;
      i++;
    } else if (closing !== undefined) {
      if (c === closing && (next === undefined || SPACE.test(next))) {
        // French typography puts (non-breaking) spaces inside « »: they are not part of the value.
        args.push(quoteOpener === "«" ? current.trim() : current);
        current = "";
        inArg = false;
        closing = undefined;
      } else {
        current += c;
      }
    } else if (SPACE.test(c)) {
      if (inArg) args.push(current);
      current = "";
      inArg = false;
    } else if (!inArg && Object.hasOwn(QUOTES, c)) {
      closing = QUOTES[c];
      quoteOpener = c;
      inArg = true;
    } else {
      current += c;
      inArg = true;
    }
  }
  if (closing !== undefined) return undefined;
  if (inArg) args.push(current);
  return args;
}
