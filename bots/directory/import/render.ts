import type { GuardVerdict } from "./guard.ts";
import type { ImportNeedsConfirmation } from "./refused.ts";
import type { ChangeCounts, FileReport, ImportReport } from "./report.ts";

const KIND_LABEL = { activite: "personnes et activités", "savoir-faire": "savoir-faire", mssante: "adresses MSSanté" } as const;
const n = (value: number): string => value.toLocaleString("fr-FR");

function renderFile(file: FileReport, maxRejections: number): string[] {
  const outside = file.kind === "activite" ? "hors territoire" : "d'autres professionnels";
  const lines = [
    `• ${file.name} (${KIND_LABEL[file.kind]}, ${file.columns} colonnes)`,
    `  ${n(file.rowsRead)} lignes lues : ${n(file.kept)} retenues, ${n(file.outOfTerritory)} ${outside}${file.abroad > 0 ? `, ${n(file.abroad)} à l'étranger (code pays)` : ""}, ${n(file.rejected)} rejetées`,
  ];
  for (const rejection of file.rejections.slice(0, maxRejections)) lines.push(`    ligne ${rejection.line} : ${rejection.reason}`);
  const hidden = file.rejected - Math.min(file.rejections.length, maxRejections);
  if (hidden > 0) lines.push(`    … et ${n(hidden)} autres lignes rejetées (détail complet dans le journal des imports)`);
  return lines;
}

function renderCounts(label: string, counts: ChangeCounts): string {
  const parts = [`${n(counts.added)} ajout(s)`, `${n(counts.updated)} mise(s) à jour`];
  if (counts.reactivated > 0) parts.push(`${n(counts.reactivated)} de retour`);
  parts.push(`${n(counts.deactivated)} désactivé(s)`);
  return `  ${label} : ${n(counts.active)} actifs (${parts.join(", ")})`;
}

/** The import report as a coordinator reads it, in French. */
export function renderImportReport(report: ImportReport, options: { maxRejections?: number } = {}): string {
  const seconds = ((report.finishedAt - report.startedAt) / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 });
  const lines = [
    `Import de l'annuaire n° ${report.importId} — ${report.territory.name} (${report.territory.communes.length} commune${report.territory.communes.length > 1 ? "s" : ""}), en ${seconds} s`,
    "",
    "Fichiers :",
    ...report.files.flatMap((file) => renderFile(file, options.maxRejections ?? 50)),
  ];
  for (const file of report.ignored) lines.push(`• ${file.name} : ignoré (${file.reason})`);
  if (report.confirmed) lines.push("", `Import confirmé malgré l'alerte : ${describeVerdict(report.confirmed)}`);
  lines.push(
    "",
    "Annuaire après import :",
    renderCounts("Professionnels", report.people),
    renderCounts("Lieux d'exercice", report.sites),
    renderCounts("Savoir-faire", report.skills),
    renderCounts("Adresses MSSanté", report.mssante),
  );
  const rejected = report.files.reduce((sum, f) => sum + f.rejected, 0);
  lines.push("", rejected > 0
    ? `Les lignes rejetées ont été écartées ; toutes les autres ont bien été importées.`
    : "Toutes les lignes ont pu être lues.");
  return lines.join("\n");
}

const percent = (share: number): string => `${Math.round(share * 100)} %`;

function describeVerdict(verdict: GuardVerdict): string {
  if (verdict.kind === "nothing-kept") {
    return `aucune ligne n'a été retenue alors que ${n(verdict.territoryCodeRows)} ligne(s) sur ${n(verdict.rowsRead)} portent le code INSEE d'une commune du territoire.`;
  }
  return `${n(verdict.deactivated)} des ${n(verdict.activeBefore)} professionnels actifs (${percent(verdict.deactivated / verdict.activeBefore)}) seraient désactivés, au-delà du seuil de ${percent(verdict.maxShare)} (cpts.importGuard.maxDeactivatedPercent).`;
}

const LIKELY_CAUSES = {
  "nothing-kept": "Le fichier contient bien des professionnels du territoire, mais aucun n'a pu être repris : voyez les lignes rejetées ci-dessus, ou un format que l'import ne sait pas lire.",
  "mass-deactivation": "Cela arrive avec une extraction partielle ou tronquée, celle d'une autre région, ou un territoire mal configuré (cpts.territory.communes).",
} as const;

/**
 * The guard's refusal as the coordinator reads it: what happened, that nothing changed, and
 * how to go on (`confirm` names the way: --force on the command line, a button in the console).
 */
export function renderGuardRefusal(refusal: ImportNeedsConfirmation, confirm: string): string {
  const communes = refusal.territory.communes.length;
  return [
    `Import refusé : l'annuaire n'a pas été modifié.`,
    "",
    `Territoire : ${refusal.territory.name} (${communes} commune${communes > 1 ? "s" : ""}).`,
    `Ce qui se passerait : ${describeVerdict(refusal.verdict)}`,
    LIKELY_CAUSES[refusal.verdict.kind],
    "",
    "Fichiers :",
    ...refusal.files.flatMap((file) => renderFile(file, 20)),
    "",
    "Pour continuer : vérifiez que le fichier est l'extraction nationale complète la plus récente et que la liste des communes est la bonne.",
    `Si ces changements sont bien réels, confirmez l'import : ${confirm}.`,
  ].join("\n");
}
