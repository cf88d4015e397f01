// Indicators: the ACI figures of SNP for a period, as charts with their data tables, the
// members over time, referrals and téléexpertise counts, and the CSV export.
import { Router } from "express";
import type { Clock } from "../core/clock.ts";
import { indicatorsCsv } from "../snp/domain/indicators.ts";
import type { SnpStore } from "../snp/store/snp-store.ts";
import type { CareActivity } from "../care/care-activity.ts";
import { barChart, columnChart, dataTable, frenchNumber, lineChart, type ChartSpec } from "./charts.ts";
import { html, type SafeHtml } from "./html.ts";
import { indicatorsView, type IndicatorsView } from "./indicators-data.ts";
import { CONSOLE_BASE, page, type Notice } from "./layout.ts";
import type { MemberQueries } from "../directory/member-queries.ts";
import { PERIOD_CHOICES, periodQuery, selectPeriod, type SelectedPeriod } from "./period.ts";
import { sessionOf } from "./sign-in.ts";

export interface IndicatorsDeps {
  readonly cptsName: string;
  readonly clock: Clock;
  readonly snp: Pick<SnpStore, "createdBetween">;
  readonly members: Pick<MemberQueries, "verificationTimes">;
  readonly care: Pick<CareActivity, "countsBetween">;
}

const CSV_GROUPINGS = { semaine: "week", profession: "profession" } as const;

function periodForm(period: SelectedPeriod): SafeHtml {
  return html`<form class="carte" method="get" action="${CONSOLE_BASE}/" aria-label="Choix de la période">
<div class="ligne">
<div><label for="periode">Période</label>
<select id="periode" name="periode">${PERIOD_CHOICES.map((c) => html`<option value="${c.value}"${c.value === period.choice ? html` selected` : ""}>${c.label}</option>`)}</select></div>
<div><label for="du">Du (pour « Entre deux dates »)</label><input type="date" id="du" name="du" value="${period.fromDate}"></div>
<div><label for="au">Au (inclus)</label><input type="date" id="au" name="au" value="${period.toDate}"></div>
<div><button type="submit">Afficher</button></div>
</div>
</form>`;
}

function figure(spec: ChartSpec, chart: SafeHtml, categoryHeader: string): SafeHtml {
  return html`<figure aria-labelledby="${spec.id}-legende"><figcaption id="${spec.id}-legende">${spec.title}</figcaption>${chart}<p class="aide">${spec.description}</p><details><summary>Voir les données du graphique</summary><div class="defilement">${dataTable(spec, categoryHeader)}</div></details></figure>`;
}

function careFigure(value: number | undefined): SafeHtml {
  return value === undefined ? html`<span class="valeur">—</span><span class="libelle vide">pas encore de données</span>` : html`<span class="valeur">${value}</span>`;
}

function keyFigures(view: IndicatorsView): SafeHtml {
  const t = view.totals;
  const rate = view.withinDeadlineRate === null ? "—" : `${frenchNumber(view.withinDeadlineRate * 100)} %`;
  const median = t.medianMinutesToAccept === null ? "—" : `${frenchNumber(t.medianMinutesToAccept)} min`;
  return html`<ul class="chiffres" aria-label="Chiffres clés de la période">
<li><span class="valeur">${t.requests}</span><span class="libelle">demandes SNP (${t.eligible} éligibles)</span></li>
<li><span class="valeur">${rate}</span><span class="libelle">des demandes éligibles acceptées dans le délai de réponse (${t.acceptedWithinDeadline} sur ${t.eligible})</span></li>
<li><span class="valeur">${median}</span><span class="libelle">délai médian d'acceptation (90e centile : ${t.p90MinutesToAccept === null ? "—" : `${frenchNumber(t.p90MinutesToAccept)} min`})</span></li>
<li><span class="valeur">${t.done}</span><span class="libelle">prises en charge réalisées (${t.doneWithin24h} sous 24 h)</span></li>
<li><span class="valeur">${view.membersNow}</span><span class="libelle">membres vérifiés aujourd'hui</span></li>
<li>${careFigure(view.care.referrals)}<span class="libelle">adressages sur la période</span></li>
<li>${careFigure(view.care.teleexpertise)}<span class="libelle">demandes de téléexpertise sur la période</span></li>
<li>${careFigure(view.care.videoMeetings)}<span class="libelle">RCP et téléconsultations en vidéo tenues sur la période</span></li>
</ul>`;
}

export function indicatorsRoutes(deps: IndicatorsDeps): Router {
  const router = Router();

  router.get("/", (req, res) => {
    const selection = selectPeriod(req.query, deps.clock.now());
    const period = selection.ok ? selection.period : selection.fallback;
    const pageNotices: Notice[] = selection.ok ? [] : [{ kind: "erreur", text: `${selection.problem} Voici les 4 dernières semaines.` }];
    const view = indicatorsView({
      records: deps.snp.createdBetween(period.from, period.to),
      period,
      verificationTimes: deps.members.verificationTimes(),
      care: deps.care.countsBetween(period.from, period.to),
    });
    const query = periodQuery(period);
    const body = html`${periodForm(period)}
<p>Période affichée : du <strong>${period.fromDate}</strong> au <strong>${period.toDate}</strong> inclus (heure de Paris).</p>
${keyFigures(view)}
<h2>Soins non programmés</h2>
<div class="graphiques">
${figure(view.requestsPerWeek, columnChart(view.requestsPerWeek), "Semaine")}
${figure(view.acceptancePerWeek, columnChart(view.acceptancePerWeek), "Semaine")}
${figure(view.timeToAccept, barChart(view.timeToAccept), "Délai")}
${figure(view.byProfession, barChart(view.byProfession), "Profession")}
</div>
<h2>Membres</h2>
<div class="graphiques">${figure(view.membersOverTime, lineChart(view.membersOverTime), "Semaine")}</div>
<h2>Export pour le financeur</h2>
<section class="carte" aria-label="Export CSV">
<p>Les mêmes chiffres que <code>!snp export</code>, au format CSV (séparateur point-virgule, pour un tableur).</p>
<div class="actions">
<a class="bouton" href="${CONSOLE_BASE}/indicateurs.csv?par=semaine&${query}" download>Télécharger le CSV par semaine</a>
<a class="bouton secondaire" href="${CONSOLE_BASE}/indicateurs.csv?par=profession&${query}" download>Télécharger le CSV par profession</a>
</div>
</section>`;
    res.status(selection.ok ? 200 : 400).type("html").send(
      page({ title: "Indicateurs", cptsName: deps.cptsName, body, notices: pageNotices, signedIn: { ...sessionOf(res), section: "indicateurs" } }),
    );
  });

  router.get("/indicateurs.csv", (req, res) => {
    const grouping = CSV_GROUPINGS[String(req.query["par"] ?? "semaine") as keyof typeof CSV_GROUPINGS];
    const selection = selectPeriod(req.query, deps.clock.now());
    if (!grouping || !selection.ok) {
      res.status(400).type("text/plain").send(selection.ok ? "Regroupement inconnu : « semaine » ou « profession »." : selection.problem);
      return;
    }
    const { period } = selection;
    const name = `snp-indicateurs-${grouping === "week" ? "semaines" : "professions"}-${period.label}.csv`;
    // A byte-order mark so that spreadsheet software reads the accents as UTF-8.
    res.type("text/csv; charset=utf-8").attachment(name).send(`\uFEFF${indicatorsCsv(deps.snp.createdBetween(period.from, period.to), grouping)}`);
  });

  return router;
}
