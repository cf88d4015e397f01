// Times as people in the CPTS read them: Paris wall-clock time, whatever the server's zone.

const DATE_TIME = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function parts(epochMs: number): Record<string, string> {
  return Object.fromEntries(DATE_TIME.formatToParts(epochMs).map((p) => [p.type, p.value]));
}

/** "2026-11-25 14:32": sortable, for CSV files. */
export function isoMinute(epochMs: number): string {
  const p = parts(epochMs);
  return `${p["year"]}-${p["month"]}-${p["day"]} ${p["hour"]}:${p["minute"]}`;
}

/** "25/11 14:32": for messages. */
export function shortDateTime(epochMs: number): string {
  const p = parts(epochMs);
  return `${p["day"]}/${p["month"]} ${p["hour"]}:${p["minute"]}`;
}

/** "25/11/2026": for messages. */
export function shortDate(epochMs: number): string {
  const p = parts(epochMs);
  return `${p["day"]}/${p["month"]}/${p["year"]}`;
}

/** The calendar day in Paris, for comparisons with a birth date. */
export function parisDay(epochMs: number): { year: number; month: number; day: number } {
  const p = parts(epochMs);
  return { year: Number(p["year"]), month: Number(p["month"]), day: Number(p["day"]) };
}
