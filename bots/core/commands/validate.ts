import { foldText } from "../i18n/lang.ts";
import type { CommandSpec } from "./command.ts";

/** What the parser can deliver as a command name (see parse.ts), written in lower case. */
const NAME = /^\p{Ll}[\p{Ll}\p{Lo}\p{N}_-]*$/u;

/**
 * Checks the declarations once, at router creation: a mistake here is a programming error,
 * better thrown at start-up than discovered by a person typing the command.
 * Returns every name and alias, accent-folded, mapped to its command.
 */
export function validateSpecs<S extends CommandSpec<never>>(specs: readonly S[]): Map<string, S> {
  const byKey = new Map<string, S>();
  for (const spec of specs) {
    for (const key of [spec.name, ...(spec.aliases ?? [])]) {
      if (!NAME.test(key)) throw new Error(`command "${spec.name}": invalid name or alias "${key}" (lower-case letter first, then letters, digits, - or _)`);
      const folded = foldText(key);
      const owner = byKey.get(folded);
      if (owner) throw new Error(`command name or alias "${key}" is declared twice (by "${owner.name}" and "${spec.name}")`);
      byKey.set(folded, spec);
    }
    checkParams(spec);
  }
  return byKey;
}

function checkParams(spec: CommandSpec<never>): void {
  const names = new Set<string>();
  let optionalSeen = false;
  spec.params.forEach((p, i) => {
    if (names.has(p.name)) throw new Error(`command "${spec.name}": parameter "${p.name}" is declared twice`);
    names.add(p.name);
    if (p.rest && i !== spec.params.length - 1) throw new Error(`command "${spec.name}": only the last parameter may be "rest"`);
    if (optionalSeen && !p.optional) throw new Error(`command "${spec.name}": required parameter "${p.name}" follows an optional one`);
    optionalSeen ||= p.optional === true;
  });
}
