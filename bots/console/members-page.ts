// Members: requests waiting for verification (approve / refuse, through the same flow as ✅ /
// ❌ in the coordination room), verified members by profession, and removing a member.
import { Router } from "express";
import type { Logger } from "../core/logger.ts";
import type { MembershipFlow } from "../directory/membership-flow.ts";
import { html, type SafeHtml } from "./html.ts";
import { CONSOLE_BASE, csrfField, page, parisDateTime, type Notice } from "./layout.ts";
import { countByProfession, type MemberQueries, type MemberView, type PendingRequestView } from "../directory/member-queries.ts";
import { requireCsrf, sessionOf } from "./sign-in.ts";

export interface MembersDeps {
  readonly cptsName: string;
  readonly coordinators: readonly string[];
  readonly queries: Pick<MemberQueries, "pendingRequests" | "members">;
  readonly flow: Pick<MembershipFlow, "decideRequest" | "deactivate">;
  readonly isVerified: (userId: string) => boolean;
  readonly logger: Logger;
  readonly publicOrigin: string | undefined;
}

const MEMBERS = `${CONSOLE_BASE}/membres`;

/** What the page says after an action (post, redirect, get): a fixed sentence per code, the account escaped as any text. */
const DONE: Readonly<Record<string, (account: string) => Notice>> = {
  approuve: (a) => ({ kind: "succes", text: `Inscription de ${a} validée : le membre est invité dans les salons de la CPTS et a reçu un message de bienvenue.` }),
  refuse: (a) => ({ kind: "succes", text: `Inscription de ${a} refusée : la personne en a été informée.` }),
  "deja-traite": (a) => ({ kind: "info", text: `La demande de ${a} avait déjà été traitée (dans le salon de coordination ou par une autre personne).` }),
  inconnue: () => ({ kind: "erreur", text: "Cette demande d'inscription n'existe pas." }),
  retire: (a) => ({ kind: "succes", text: `${a} n'est plus membre vérifié : retiré(e) des salons de la CPTS et informé(e) par message.` }),
  "pas-membre": (a) => ({ kind: "erreur", text: `${a} n'est pas un membre vérifié.` }),
  coordination: (a) => ({ kind: "erreur", text: `${a} fait partie de la coordination : retirez d'abord ce compte de la liste des coordinateurs de la configuration.` }),
  echec: () => ({
    kind: "erreur",
    text: "L'action n'a pas pu aller jusqu'au bout (serveur de messagerie indisponible ?). Vérifiez la liste ci-dessous : ce qui a été enregistré est gardé, et les salons de la CPTS sont remis en ordre au prochain démarrage de l'annuaire.",
  }),
};

function doneNotice(query: Record<string, unknown>): Notice[] {
  const code = typeof query["fait"] === "string" ? query["fait"] : undefined;
  const account = typeof query["compte"] === "string" ? query["compte"].slice(0, 255) : "";
  const make = code !== undefined && Object.hasOwn(DONE, code) ? DONE[code] : undefined;
  return make ? [make(account || "ce compte")] : [];
}

function redirectWith(code: keyof typeof DONE, account: string): string {
  return `${MEMBERS}?${new URLSearchParams({ fait: code, compte: account })}`;
}

function pendingTable(pending: readonly PendingRequestView[], csrf: string): SafeHtml {
  if (pending.length === 0) return html`<p class="vide">Aucune demande en attente.</p>`;
  return html`<div class="defilement"><table>
<caption>Demandes d'inscription en attente (${pending.length})</caption>
<thead><tr><th scope="col">Compte</th><th scope="col">Dans l'annuaire national</th><th scope="col">Nom affiché</th><th scope="col">Demandée le</th><th scope="col">Décision</th></tr></thead>
<tbody>${pending.map((r) => {
    const who = r.person ? `${r.person.name} (${r.person.profession})` : r.userId;
    return html`<tr>
<th scope="row" class="long">${r.userId}</th>
<td>${r.person ? html`${r.person.name}<br>${r.person.profession}<br>RPPS ${r.person.rpps}${r.person.communes ? html`<br>${r.person.communes}` : ""}` : html`<span class="vide">n'est plus dans l'annuaire</span>`}</td>
<td>${r.nameMatches ? "correspond à l'annuaire" : html`<strong>⚠️ différent de l'annuaire</strong>`}</td>
<td>${parisDateTime(r.requestedAt)}</td>
<td><div class="actions">
<form method="post" action="${MEMBERS}/demandes/${r.id}/approuver">${csrfField(csrf)}<button type="submit" aria-label="Approuver l'inscription de ${who}">Approuver</button></form>
<form method="post" action="${MEMBERS}/demandes/${r.id}/refuser">${csrfField(csrf)}<button type="submit" class="danger" aria-label="Refuser l'inscription de ${who}">Refuser</button></form>
</div></td>
</tr>`;
  })}</tbody></table></div>`;
}

function professionsTable(members: readonly MemberView[]): SafeHtml {
  const counts = countByProfession(members);
  if (counts.length === 0) return html`<p class="vide">Aucun membre vérifié pour le moment.</p>`;
  return html`<div class="defilement"><table>
<caption>Membres vérifiés par profession (${members.length} au total)</caption>
<thead><tr><th scope="col">Profession</th><th scope="col">Membres</th></tr></thead>
<tbody>${counts.map((c) => html`<tr><th scope="row">${c.profession}</th><td class="nombre">${c.count}</td></tr>`)}</tbody>
</table></div>`;
}

function membersList(members: readonly MemberView[], coordinators: readonly string[]): SafeHtml {
  if (members.length === 0) return html``;
  return html`<div class="defilement"><table>
<caption>Liste des membres vérifiés</caption>
<thead><tr><th scope="col">Nom</th><th scope="col">Compte</th><th scope="col">Profession</th><th scope="col">Vérifié le</th><th scope="col">Action</th></tr></thead>
<tbody>${members.map(
    (m) => html`<tr><th scope="row">${m.name ?? "—"}</th><td class="long">${m.userId}</td><td>${m.profession}</td><td>${parisDateTime(m.verifiedAt)}</td>
<td>${coordinators.includes(m.userId) ? html`<span class="vide">coordination</span>` : html`<a class="bouton secondaire" href="${MEMBERS}/retirer?${new URLSearchParams({ compte: m.userId }).toString()}" aria-label="Retirer ${m.name ?? m.userId} de la CPTS">Retirer…</a>`}</td></tr>`,
  )}</tbody></table></div>`;
}

export function membersRoutes(deps: MembersDeps): Router {
  const router = Router();
  const csrf = requireCsrf(deps.publicOrigin);

  router.get("/membres", (req, res) => {
    const session = sessionOf(res);
    const members = deps.queries.members();
    const body = html`<h2 id="demandes">Vérifications en attente</h2>
<p>Approuver invite le membre dans l'espace de la CPTS, le salon Général et le salon de sa profession, comme une approbation dans le salon « Coordination — inscriptions ».</p>
${pendingTable(deps.queries.pendingRequests(), session.csrfToken)}
<h2 id="professions">Membres par profession</h2>
${professionsTable(members)}
${membersList(members, deps.coordinators)}`;
    res.type("html").send(page({ title: "Membres", cptsName: deps.cptsName, body, notices: doneNotice(req.query), signedIn: { ...session, section: "membres" } }));
  });

  for (const [path, decision] of [["approuver", "approve"], ["refuser", "refuse"]] as const) {
    router.post(`/membres/demandes/:id/${path}`, csrf, async (req, res) => {
      const by = sessionOf(res).userId;
      const id = Number(req.params["id"]);
      if (!Number.isSafeInteger(id) || id <= 0) {
        res.redirect(303, redirectWith("inconnue", ""));
        return;
      }
      try {
        const { outcome, request } = await deps.flow.decideRequest(id, decision, by);
        deps.logger.info({ requestId: id, decision, by, outcome }, "console: membership request decided");
        const account = request?.userId ?? "";
        res.redirect(303, redirectWith(outcome === "unknown" ? "inconnue" : outcome === "already-decided" ? "deja-traite" : decision === "approve" ? "approuve" : "refuse", account));
      } catch (err) {
        deps.logger.error({ requestId: id, decision, by, err: (err as Error).message }, "console: membership decision failed");
        res.redirect(303, redirectWith("echec", ""));
      }
    });
  }

  router.get("/membres/retirer", (req, res) => {
    const session = sessionOf(res);
    const account = typeof req.query["compte"] === "string" ? req.query["compte"].slice(0, 255) : "";
    const member = deps.queries.members().find((m) => m.userId === account);
    if (!member) {
      res.redirect(303, redirectWith("pas-membre", account));
      return;
    }
    const who = member.name ? `${member.name} (${member.userId})` : member.userId;
    const body = html`<form class="carte" method="post" action="${MEMBERS}/retirer">${csrfField(session.csrfToken)}
<input type="hidden" name="compte" value="${member.userId}">
<p>Retirer <strong>${who}</strong> de la CPTS ? Le compte ne sera plus membre vérifié, quittera l'espace et les salons de la CPTS, et recevra un message l'en informant.</p>
<div class="actions"><button type="submit" class="danger">Retirer ce membre</button><a class="bouton secondaire" href="${MEMBERS}">Annuler</a></div>
</form>`;
    res.type("html").send(page({ title: "Retirer un membre", cptsName: deps.cptsName, body, signedIn: { ...session, section: "membres" } }));
  });

  router.post("/membres/retirer", csrf, async (req, res) => {
    const by = sessionOf(res).userId;
    const form = (req.body ?? {}) as Record<string, unknown>;
    const account = typeof form["compte"] === "string" ? form["compte"].slice(0, 255) : "";
    if (deps.coordinators.includes(account)) {
      res.redirect(303, redirectWith("coordination", account));
      return;
    }
    if (!deps.isVerified(account)) {
      res.redirect(303, redirectWith("pas-membre", account));
      return;
    }
    try {
      const rooms = await deps.flow.deactivate(account);
      deps.logger.info({ userId: account, by, rooms }, "console: member removed");
      res.redirect(303, redirectWith("retire", account));
    } catch (err) {
      deps.logger.error({ userId: account, by, err: (err as Error).message }, "console: member removal failed");
      res.redirect(303, redirectWith("echec", account));
    }
  });

  return router;
}
