import type { Db } from "../../core/store/database.ts";
import type { Territory } from "../territory.ts";
import type { Places, Ranked } from "./rank.ts";

/** One professional as a search shows them: the site is their nearest one to the origin. */
export interface SearchResult {
  readonly personId: number;
  readonly nationalId: string;
  readonly name: string;
  readonly profession: string;
  readonly specialties: readonly string[];
  readonly commune?: string;
  readonly distanceKm?: number;
  readonly phone?: string;
  readonly mssante?: string;
  readonly matrixUserId?: string;
}

interface PersonRow { national_id: string; first_name: string; last_name: string; profession: string; skills: string | null; mssante: string | null; user_id: string | null }
interface SiteRow { commune: string; commune_label: string; phone: string; phone2: string }

/** Reads what a page shows, fresh from the directory: a Matrix link made since the last rebuild shows at once. */
export function loadResults(db: Db, territory: Territory, places: Places, ranked: readonly Ranked[]): SearchResult[] {
  const person = db.prepare(
    `SELECT p.national_id, p.first_name, p.last_name, p.profession,
       (SELECT group_concat(label, '|') FROM (SELECT label FROM directory_skills WHERE person_id = p.id AND active = 1 ORDER BY id)) AS skills,
       (SELECT address FROM directory_mssante WHERE person_id = p.id AND active = 1 ORDER BY id LIMIT 1) AS mssante,
       (SELECT user_id FROM member_links WHERE national_id = p.national_id) AS user_id
     FROM directory_people p WHERE p.id = ?`,
  );
  const site = db.prepare("SELECT commune, commune_label, phone, phone2 FROM directory_sites WHERE id = ?");
  return ranked.flatMap((r): SearchResult[] => {
    const p = person.get(r.personId) as PersonRow | undefined;
    if (!p) return [];
    const s = r.siteId === null ? undefined : (site.get(r.siteId) as SiteRow | undefined);
    const commune = territory.communes.find((c) => c.code === r.communeCode)?.name ?? (s ? s.commune_label || s.commune : undefined);
    const km = places.byCode.get(r.communeCode)?.km;
    const phone = s ? s.phone || s.phone2 : "";
    return [
      {
        personId: r.personId,
        nationalId: p.national_id,
        name: `${p.first_name} ${p.last_name}`.trim(),
        profession: p.profession,
        specialties: p.skills ? p.skills.split("|") : [],
        ...(commune ? { commune } : {}),
        ...(km !== undefined ? { distanceKm: km } : {}),
        ...(phone ? { phone } : {}),
        ...(p.mssante ? { mssante: p.mssante } : {}),
        ...(p.user_id ? { matrixUserId: p.user_id } : {}),
      },
    ];
  });
}
