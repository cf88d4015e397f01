import { professionFacet, specialtyFacet } from "./search-index.ts";
import { SPECIALTY_LABEL_PREFIXES, type ProfessionTerm } from "./vocabulary.ts";

export interface Sql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

interface TermFilter {
  readonly professionFacet: string;
  readonly profession: string;
  /** Facet ranges [from, to) of the specialty labels that satisfy the term; empty: any. */
  readonly ranges: readonly (readonly [string, string])[];
}

// Sorts after any character a folded label can hold, closing a prefix range.
const RANGE_END = "\u{10ffff}";

function termFilters(professions: readonly ProfessionTerm[]): TermFilter[] {
  return professions.map((p) => ({
    professionFacet: professionFacet(p.profession),
    profession: p.profession,
    ranges: p.specialty === undefined ? [] : (SPECIALTY_LABEL_PREFIXES.get(p.specialty) ?? [p.specialty]).map((prefix) => [specialtyFacet(prefix), specialtyFacet(prefix) + RANGE_END] as const),
  }));
}

function specialtyExists(term: TermFilter, idColumn: string): Sql {
  const ranges = term.ranges.map(() => "(sf.facet >= ? AND sf.facet < ?)").join(" OR ");
  return { sql: `EXISTS (SELECT 1 FROM directory_search_facets sf WHERE sf.person_id = ${idColumn} AND (${ranges}))`, params: term.ranges.flat() };
}

/**
 * The profession terms as a condition on a person id column (OR between terms: "kiné ou
 * IDE"). On the sites table the profession column is used directly, so its index serves.
 */
export function professionPredicate(professions: readonly ProfessionTerm[], idColumn: string, professionColumn?: string): Sql | undefined {
  if (professions.length === 0) return undefined;
  const parts = termFilters(professions).map((term): Sql => {
    const profession: Sql = professionColumn
      ? { sql: `${professionColumn} = ?`, params: [term.profession] }
      : { sql: `EXISTS (SELECT 1 FROM directory_search_facets pf WHERE pf.person_id = ${idColumn} AND pf.facet = ?)`, params: [term.professionFacet] };
    if (term.ranges.length === 0) return profession;
    const specialty = specialtyExists(term, idColumn);
    return { sql: `(${profession.sql} AND ${specialty.sql})`, params: [...profession.params, ...specialty.params] };
  });
  return { sql: `(${parts.map((p) => p.sql).join(" OR ")})`, params: parts.flatMap((p) => p.params) };
}

/** The ids of the people the profession terms allow, read from the facet index (no scan of everyone). */
export function candidatesSql(professions: readonly ProfessionTerm[]): Sql {
  if (professions.length === 0) return { sql: "SELECT person_id FROM directory_search_people", params: [] };
  const selects = termFilters(professions).map((term): Sql => {
    if (term.ranges.length === 0) return { sql: "SELECT person_id FROM directory_search_facets WHERE facet = ?", params: [term.professionFacet] };
    const ranges = term.ranges.map(() => "(f.facet >= ? AND f.facet < ?)").join(" OR ");
    return {
      sql: `SELECT DISTINCT f.person_id FROM directory_search_facets f WHERE (${ranges})
        AND EXISTS (SELECT 1 FROM directory_search_facets g WHERE g.person_id = f.person_id AND g.facet = ?)`,
      params: [...term.ranges.flat(), term.professionFacet],
    };
  });
  return { sql: selects.map((s) => s.sql).join(" UNION "), params: selects.flatMap((s) => s.params) };
}
