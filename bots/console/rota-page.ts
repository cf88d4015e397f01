// On-call rota (garde): the current and upcoming shifts, adding one and removing one. The
// shift is read by the same parser as `!garde ajout` (Paris time, daylight saving nights,
// limits), so the console and the chat accept exactly the same shifts.
import { Router, type Response } from "express";
import type { Clock } from "../core/clock.ts";
import { localize } from "../core/i18n/lang.ts";
import type { Logger } from "../core/logger.ts";
import type { UserId } from "../snp/domain/ids.ts";
import type { GardeRota } from "../snp/garde/garde-rota.ts";
import type { GardePeople } from "../snp/garde/garde-people.ts";
import { formatDuration, LABEL_MAX_CHARS, overlapping, parseShiftDeclaration, shiftId, type Shift } from "../snp/garde/shifts.ts";
import { html, type SafeHtml } from "./html.ts";
import { CONSOLE_BASE, csrfField, page, parisDateTime, type Notice } from "./layout.ts";
import type { MemberView } from "../directory/member-queries.ts";
import { requireCsrf, sessionOf } from "./sign-in.ts";

export interface RotaDeps {
  readonly cptsName: string;
  readonly clock: Clock;
  readonly rota: Pick<GardeRota, "add" | "remove" | "upcoming" | "between">;
  readonly people: GardePeople;
  readonly members: () => readonly MemberView[];
  readonly logger: Logger;
  readonly publicOrigin: string | undefined;
}

const GARDE = `${CONSOLE_BASE}/garde`;
const LISTED = 100;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

interface ShiftForm {
  readonly compte: string;
  readonly debut: string;
  readonly fin: string;
  readonly libelle: string;
}

/**
 * The form's fields as `!garde ajout` would read them: "<account> <date> <time> <date> <time> [label]".
 * The date-time fields of a browser send "2026-11-24T20:00", Paris wall-clock time.
 */
function declarationOf(form: ShiftForm): { ok: true; declaration: string } | { ok: false; problem: string } {
  if (form.compte === "") return { ok: false, problem: "Choisissez la personne de garde." };
  const start = LOCAL_DATE_TIME.exec(form.debut);
  const end = LOCAL_DATE_TIME.exec(form.fin);
  if (!start) return { ok: false, problem: "Indiquez la date et l'heure de début de la garde." };
  if (!end) return { ok: false, problem: "Indiquez la date et l'heure de fin de la garde." };
  const label = form.libelle.replace(/\s+/g, " ").trim();
  return { ok: true, declaration: [form.compte, start[1], start[2], end[1], end[2], label].filter((t) => t !== "").join(" ") };
}

function formOf(body: unknown): ShiftForm {
  const form = (body ?? {}) as Record<string, unknown>;
  const field = (name: string): string => (typeof form[name] === "string" ? (form[name] as string).trim().slice(0, 255) : "");
  return { compte: field("compte"), debut: field("debut"), fin: field("fin"), libelle: field("libelle") };
}

export function rotaRoutes(deps: RotaDeps): Router {
  const router = Router();

  function describe(shift: Shift): string {
    const person = deps.people.describe(shift.userId);
    return person.profession ? `${person.name} (${person.profession})` : person.name;
  }

  function shiftsTable(shifts: readonly Shift[], csrf: string): SafeHtml {
    if (shifts.length === 0) return html`<p class="vide">Aucune garde en cours ni à venir.</p>`;
    const now = deps.clock.now();
    return html`<div class="defilement"><table><caption>Gardes en cours et à venir</caption>
<thead><tr><th scope="col">N°</th><th scope="col">De garde</th><th scope="col">Début</th><th scope="col">Fin</th><th scope="col">Durée</th><th scope="col">Précision</th><th scope="col">Action</th></tr></thead>
<tbody>${shifts.map((s) => {
      const person = deps.people.describe(s.userId);
      return html`<tr><th scope="row">${s.id}${s.startsAt <= now ? html` <strong>(en cours)</strong>` : ""}</th>
<td>${person.name}${person.profession ? html`<br>${person.profession}` : ""}${person.member ? "" : html`<br><strong>⚠️ pas membre vérifié</strong>`}${person.member && person.phone === null ? html`<br><strong>⚠️ pas de téléphone dans l'annuaire</strong>` : ""}</td>
<td>${parisDateTime(s.startsAt)}</td><td>${parisDateTime(s.endsAt)}</td><td>${formatDuration(s.endsAt - s.startsAt)}</td><td>${s.label ?? ""}</td>
<td><form method="post" action="${GARDE}/${s.id}/retirer">${csrfField(csrf)}<button type="submit" class="danger" aria-label="Retirer la garde n° ${s.id} de ${person.name}">Retirer</button></form></td></tr>`;
    })}</tbody></table></div>`;
  }

  function addForm(csrf: string, form: ShiftForm): SafeHtml {
    const members = deps.members();
    return html`<form class="carte" method="post" action="${GARDE}">
${csrfField(csrf)}
<fieldset><legend>Ajouter une garde</legend>
<label for="compte">Personne de garde</label>
<select id="compte" name="compte" required><option value="">— choisir —</option>${members.map(
      (m) => html`<option value="${m.userId}"${m.userId === form.compte ? html` selected` : ""}>${m.name ?? m.userId} — ${m.profession} (${m.userId})</option>`,
    )}</select>
<div class="ligne">
<div><label for="debut">Début (heure de Paris)</label><input type="datetime-local" id="debut" name="debut" required value="${form.debut}"></div>
<div><label for="fin">Fin (heure de Paris)</label><input type="datetime-local" id="fin" name="fin" required value="${form.fin}"></div>
</div>
<label for="libelle">Précision (facultatif)</label>
<p class="aide" id="libelle-aide">Par exemple « garde de nuit, secteur nord » ; ${LABEL_MAX_CHARS} caractères au plus. Aucune donnée de patient.</p>
<input type="text" id="libelle" name="libelle" maxlength="${LABEL_MAX_CHARS}" aria-describedby="libelle-aide" value="${form.libelle}">
<p><button type="submit">Ajouter la garde</button></p>
</fieldset>
</form>`;
  }

  function render(res: Response, status: number, pageNotices: readonly Notice[], form: ShiftForm = { compte: "", debut: "", fin: "", libelle: "" }): void {
    const session = sessionOf(res);
    const body = html`<p>Qui est de garde, pour la régulation SNP et le numéro d'appel de la garde (les mêmes gardes que <code>!garde</code>).</p>
${shiftsTable(deps.rota.upcoming(deps.clock.now(), LISTED), session.csrfToken)}
${addForm(session.csrfToken, form)}`;
    res.status(status).type("html").send(page({ title: "Garde", cptsName: deps.cptsName, body, notices: pageNotices, signedIn: { ...session, section: "garde" } }));
  }

  router.get("/garde", (req, res) => {
    const pageNotices: Notice[] = [];
    const added = Number(req.query["ajout"]);
    const removed = Number(req.query["retrait"]);
    const shifts = deps.rota.upcoming(deps.clock.now(), LISTED);
    const shift = shifts.find((s) => s.id === added);
    if (shift) {
      pageNotices.push({ kind: "succes", text: `Garde n° ${shift.id} ajoutée : ${describe(shift)}, du ${parisDateTime(shift.startsAt)} au ${parisDateTime(shift.endsAt)} (${formatDuration(shift.endsAt - shift.startsAt)}).` });
      const others = overlapping(deps.rota.between(shift.startsAt, shift.endsAt), shift).filter((s) => s.id !== shift.id);
      if (others.length > 0) pageNotices.push({ kind: "info", text: `⚠️ Elle chevauche ${others.map((s) => `la garde n° ${s.id} (${describe(s)})`).join(", ")} : les deux personnes seront de garde en même temps.` });
    }
    if (Number.isSafeInteger(removed) && removed > 0) pageNotices.push({ kind: "succes", text: `Garde n° ${removed} retirée.` });
    render(res, 200, pageNotices);
  });

  router.post("/garde", requireCsrf(deps.publicOrigin), (req, res) => {
    const form = formOf(req.body);
    const built = declarationOf(form);
    if (!built.ok) {
      render(res, 400, [{ kind: "erreur", text: built.problem }], form);
      return;
    }
    const parsed = parseShiftDeclaration(built.declaration, deps.clock.now());
    if (!parsed.ok) {
      render(res, 400, [{ kind: "erreur", text: localize(parsed.problem.text, "fr", parsed.problem.params) }], form);
      return;
    }
    const by = sessionOf(res).userId;
    const { shift } = deps.rota.add(parsed.draft, by as UserId);
    deps.logger.info({ shift: shift.id, by }, "console: garde shift added");
    res.redirect(303, `${GARDE}?ajout=${shift.id}`);
  });

  router.post("/garde/:id/retirer", requireCsrf(deps.publicOrigin), (req, res) => {
    const id = Number(req.params["id"]);
    const by = sessionOf(res).userId;
    const removed = Number.isSafeInteger(id) && id > 0 ? deps.rota.remove(shiftId(id), by as UserId) : undefined;
    if (!removed) {
      render(res, 404, [{ kind: "erreur", text: `Il n'y a pas de garde n° ${req.params["id"]} en cours ou à venir (déjà retirée ?).` }]);
      return;
    }
    deps.logger.info({ shift: removed.id, by }, "console: garde shift removed");
    res.redirect(303, `${GARDE}?retrait=${removed.id}`);
  });

  return router;
}
