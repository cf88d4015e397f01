// Charts as inline SVG, drawn on the server: nothing remote, nothing to run in the browser.
// Each chart is an image with a title and a description for screen readers (role="img",
// aria-labelledby), and comes with its data as a table (dataTable) for anyone who prefers
// numbers. Colours are dark enough for 3:1 against white (WCAG 1.4.11) and are told apart
// by the legend and the table, not by colour alone.
import { html, type SafeHtml } from "./html.ts";

export interface ChartSeries {
  readonly name: string;
  readonly values: readonly number[];
}

export interface ChartSpec {
  /** Unique in the page: prefixes the ids the title and description are referenced by. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in one or two sentences, for people who do not see it. */
  readonly description: string;
  /** One per bar (or point), in order. */
  readonly categories: readonly string[];
  /** Shorter axis labels when the categories are long ("S47" for "2026-W47"); defaults to the categories. */
  readonly axisLabels?: readonly string[];
  /** Stacked in this order; every series has one value per category. */
  readonly series: readonly ChartSeries[];
  /** Unit shown after the values in the table ("min", "%"). */
  readonly unit?: string;
}

export const SERIES_COLOURS: readonly string[] = ["#1d4f91", "#a84b00", "#5c5c5c", "#2e6b30"];
const TEXT = "#1a1a1a";
const AXIS = "#595959";
const GRID = "#d0d0d0";

const WIDTH = 640;
const HEIGHT = 300;

/** The top of the axis and its step: 1, 2 or 5 times a power of ten, at most 5 steps, never 0. */
export function niceScale(max: number): { readonly top: number; readonly step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const wholeStep = Math.max(step, Number.isInteger(max) ? 1 : step);
  return { top: Math.ceil(max / wholeStep) * wholeStep, step: wholeStep };
}

function ticks(top: number, step: number): number[] {
  const count = Math.round(top / step);
  return Array.from({ length: count + 1 }, (_, k) => Math.round(k * step * 1e9) / 1e9);
}

/** French number: decimal comma, at most one decimal. */
export function frenchNumber(value: number): string {
  return (Math.round(value * 10) / 10).toLocaleString("fr-FR", { maximumFractionDigits: 1 });
}

function validate(spec: ChartSpec): void {
  for (const s of spec.series) {
    if (s.values.length !== spec.categories.length) throw new Error(`chart ${spec.id}: series "${s.name}" has ${s.values.length} values for ${spec.categories.length} categories`);
    if (s.values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`chart ${spec.id}: series "${s.name}" has a negative or non-finite value`);
  }
  if (spec.axisLabels && spec.axisLabels.length !== spec.categories.length) throw new Error(`chart ${spec.id}: axis labels do not match the categories`);
}

const totals = (spec: ChartSpec): number[] => spec.categories.map((_, i) => spec.series.reduce((sum, s) => sum + s.values[i]!, 0));

function frame(spec: ChartSpec, height: number, body: SafeHtml): SafeHtml {
  const titleId = `${spec.id}-titre`;
  const descId = `${spec.id}-desc`;
  return html`<svg class="graphique" id="${spec.id}" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13"><title id="${titleId}">${spec.title}</title><desc id="${descId}">${spec.description}</desc>${body}</svg>`;
}

function legend(spec: ChartSpec, y: number): SafeHtml {
  if (spec.series.length < 2) return html``;
  let x = 56;
  const items = spec.series.map((s, i) => {
    const item = html`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]!}"/><text x="${x + 18}" y="${y}" fill="${TEXT}">${s.name}</text>`;
    x += 30 + s.name.length * 7;
    return item;
  });
  return html`<g class="legende">${items}</g>`;
}

/** Vertical bars, one per category (weeks), stacked when there are several series. */
export function columnChart(spec: ChartSpec): SafeHtml {
  validate(spec);
  const left = 48;
  const right = 12;
  const top = spec.series.length > 1 ? 32 : 14;
  const bottom = 40;
  const plotHeight = HEIGHT - top - bottom;
  const plotWidth = WIDTH - left - right;
  const { top: max, step } = niceScale(Math.max(0, ...totals(spec)));
  const y = (v: number): number => top + plotHeight - (v / max) * plotHeight;
  const slot = plotWidth / Math.max(1, spec.categories.length);
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  const labelEvery = Math.ceil(spec.categories.length / 12);

  const grid: SafeHtml[] = [];
  for (const v of ticks(max, step)) {
    grid.push(html`<line x1="${left}" x2="${WIDTH - right}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? AXIS : GRID}"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${TEXT}">${frenchNumber(v)}</text>`);
  }
  const bars = spec.categories.map((category, i) => {
    const x = left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    const parts = spec.series.map((s, k) => {
      const value = s.values[i]!;
      const rect = value > 0
        ? html`<rect x="${x}" y="${y(base + value)}" width="${barWidth}" height="${y(base) - y(base + value)}" fill="${SERIES_COLOURS[k % SERIES_COLOURS.length]!}"><title>${category} — ${s.name} : ${frenchNumber(value)}</title></rect>`
        : html``;
      base += value;
      return rect;
    });
    const label = i % labelEvery === 0
      ? html`<text x="${x + barWidth / 2}" y="${HEIGHT - bottom + 18}" text-anchor="middle" fill="${TEXT}">${spec.axisLabels?.[i] ?? category}</text>`
      : html``;
    return html`<g>${parts}${label}</g>`;
  });
  return frame(spec, HEIGHT, html`${grid}${bars}${legend(spec, 18)}`);
}

/** Horizontal bars, one per category (professions, delay ranges), stacked when there are several series. */
export function barChart(spec: ChartSpec): SafeHtml {
  validate(spec);
  const labelWidth = 210;
  const right = 48;
  const top = spec.series.length > 1 ? 32 : 10;
  const rowHeight = 28;
  const height = top + Math.max(1, spec.categories.length) * rowHeight + 28;
  const plotWidth = WIDTH - labelWidth - right;
  const { top: max, step } = niceScale(Math.max(0, ...totals(spec)));
  const x = (v: number): number => labelWidth + (v / max) * plotWidth;
  const axisY = top + spec.categories.length * rowHeight;

  const grid: SafeHtml[] = [];
  for (const v of ticks(max, step)) {
    grid.push(html`<line x1="${x(v)}" x2="${x(v)}" y1="${top}" y2="${axisY}" stroke="${v === 0 ? AXIS : GRID}"/><text x="${x(v)}" y="${axisY + 18}" text-anchor="middle" fill="${TEXT}">${frenchNumber(v)}</text>`);
  }
  const rows = spec.categories.map((category, i) => {
    const rowY = top + i * rowHeight;
    let base = 0;
    const parts = spec.series.map((s, k) => {
      const value = s.values[i]!;
      const rect = value > 0
        ? html`<rect x="${x(base)}" y="${rowY + 5}" width="${x(base + value) - x(base)}" height="${rowHeight - 10}" fill="${SERIES_COLOURS[k % SERIES_COLOURS.length]!}"><title>${category} — ${s.name} : ${frenchNumber(value)}</title></rect>`
        : html``;
      base += value;
      return rect;
    });
    const shown = (spec.axisLabels?.[i] ?? category);
    const label = shown.length > 30 ? `${shown.slice(0, 29)}…` : shown;
    return html`<g><text x="${labelWidth - 8}" y="${rowY + rowHeight / 2 + 4}" text-anchor="end" fill="${TEXT}">${label}</text>${parts}<text x="${x(base) + 6}" y="${rowY + rowHeight / 2 + 4}" fill="${TEXT}">${frenchNumber(base)}</text></g>`;
  });
  return frame(spec, height, html`${grid}${rows}${legend(spec, 18)}`);
}

/** One line through the categories (members over time); the first series only. */
export function lineChart(spec: ChartSpec): SafeHtml {
  validate(spec);
  const series = spec.series[0];
  if (!series || spec.series.length !== 1) throw new Error(`chart ${spec.id}: a line chart takes exactly one series`);
  const left = 48;
  const right = 16;
  const top = 14;
  const bottom = 40;
  const plotHeight = HEIGHT - top - bottom;
  const plotWidth = WIDTH - left - right;
  const { top: max, step } = niceScale(Math.max(0, ...series.values));
  const y = (v: number): number => top + plotHeight - (v / max) * plotHeight;
  const x = (i: number): number => left + (spec.categories.length <= 1 ? plotWidth / 2 : (i / (spec.categories.length - 1)) * plotWidth);
  const labelEvery = Math.ceil(spec.categories.length / 12);

  const grid: SafeHtml[] = [];
  for (const v of ticks(max, step)) {
    grid.push(html`<line x1="${left}" x2="${WIDTH - right}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? AXIS : GRID}"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${TEXT}">${frenchNumber(v)}</text>`);
  }
  const points = series.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
  const colour = SERIES_COLOURS[0]!;
  const dots = series.values.map((v, i) => html`<circle cx="${x(i)}" cy="${y(v)}" r="4" fill="${colour}"><title>${spec.categories[i]!} : ${frenchNumber(v)}</title></circle>`);
  const labels = spec.categories.map((category, i) =>
    i % labelEvery === 0 ? html`<text x="${x(i)}" y="${HEIGHT - bottom + 18}" text-anchor="middle" fill="${TEXT}">${spec.axisLabels?.[i] ?? category}</text>` : html``,
  );
  return frame(spec, HEIGHT, html`${grid}<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2.5"/>${dots}${labels}`);
}

/** The chart's numbers as a table: one row per category, one column per series (and a total when stacked). */
export function dataTable(spec: ChartSpec, categoryHeader: string): SafeHtml {
  validate(spec);
  const unit = spec.unit ? ` ${spec.unit}` : "";
  const stacked = spec.series.length > 1;
  const sums = totals(spec);
  return html`<table class="donnees"><caption>${spec.title} (données)</caption><thead><tr><th scope="col">${categoryHeader}</th>${spec.series.map((s) => html`<th scope="col">${s.name}</th>`)}${stacked ? html`<th scope="col">Total</th>` : ""}</tr></thead><tbody>${spec.categories.map(
    (category, i) =>
      html`<tr><th scope="row">${category}</th>${spec.series.map((s) => html`<td>${frenchNumber(s.values[i]!)}${unit}</td>`)}${stacked ? html`<td>${frenchNumber(sums[i]!)}${unit}</td>` : ""}</tr>`,
  )}</tbody></table>`;
}
