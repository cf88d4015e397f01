import { describe, expect, it } from "vitest";
import { barChart, columnChart, dataTable, frenchNumber, lineChart, niceScale, type ChartSpec } from "./charts.ts";
import { toHtmlString } from "./html.ts";

const weekly: ChartSpec = {
  id: "g",
  title: "Demandes <SNP> par semaine",
  description: "6 demandes & 1 semaine vide",
  categories: ["2026-W46", "2026-W47", "2026-W48"],
  axisLabels: ["S46", "S47", "S48"],
  series: [
    { name: "Dans le délai", values: [0, 3, 1] },
    { name: "Après le délai", values: [0, 1, 0] },
  ],
};

const rects = (svg: string): { height: number; y: number }[] =>
  [...svg.matchAll(/<rect [^>]*y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map((m) => ({ y: Number(m[1]), height: Number(m[2]) }));

describe("niceScale", () => {
  it("rounds the axis up to 1, 2 or 5 times a power of ten, integer steps for counts", () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(3)).toEqual({ top: 3, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(41)).toEqual({ top: 50, step: 10 });
    expect(niceScale(0.5)).toEqual({ top: 0.5, step: 0.1 });
  });
});

describe("charts", () => {
  it("draws an accessible image: role, title and description referenced, all escaped", () => {
    const svg = toHtmlString(columnChart(weekly));
    expect(svg).toMatch(/^<svg class="graphique" id="g" role="img" aria-labelledby="g-titre g-desc"/);
    expect(svg).toContain('<title id="g-titre">Demandes &lt;SNP&gt; par semaine</title>');
    expect(svg).toContain('<desc id="g-desc">6 demandes &amp; 1 semaine vide</desc>');
    expect(svg).toContain(">S47</text>");
    expect(svg).toContain(">Après le délai</text>");
  });

  it("stacks the series with heights proportional to the values, and no bar for a zero", () => {
    const bars = rects(toHtmlString(columnChart(weekly))).filter((r) => r.height > 0 && r.y > 20);
    // W47: 3 then 1 stacked; W48: 1. The axis tops at 4.
    expect(bars).toHaveLength(3);
    const [w47within, w47late, w48within] = bars.map((b) => b.height) as [number, number, number];
    expect(w47within / w48within).toBeCloseTo(3, 5);
    expect(w47late).toBeCloseTo(w48within, 5);
  });

  it("draws horizontal bars with the total at the end of each row, and a line through every point", () => {
    const bars = toHtmlString(barChart({ ...weekly, id: "h", axisLabels: undefined }));
    expect(bars).toContain(">2026-W47</text>");
    expect(bars).toMatch(/>4<\/text><\/g>/);
    const line = toHtmlString(lineChart({ ...weekly, id: "l", series: [{ name: "Membres", values: [2, 5, 5] }] }));
    expect(line.match(/<circle /g)).toHaveLength(3);
    expect(line).toContain("<polyline points=");
  });

  it("refuses data that does not fit the categories, or negative values", () => {
    expect(() => columnChart({ ...weekly, series: [{ name: "x", values: [1] }] })).toThrow(/3 categories/);
    expect(() => columnChart({ ...weekly, series: [{ name: "x", values: [1, -1, 0] }] })).toThrow(/negative/);
    expect(() => lineChart(weekly)).toThrow(/exactly one series/);
  });

  it("gives the same numbers as a table, with a total for stacked series", () => {
    const table = toHtmlString(dataTable(weekly, "Semaine"));
    expect(table).toContain("<caption>Demandes &lt;SNP&gt; par semaine (données)</caption>");
    expect(table).toContain('<th scope="col">Semaine</th><th scope="col">Dans le délai</th><th scope="col">Après le délai</th><th scope="col">Total</th>');
    expect(table).toContain('<tr><th scope="row">2026-W47</th><td>3</td><td>1</td><td>4</td></tr>');
  });

  it("writes numbers the French way", () => {
    expect(frenchNumber(66.666)).toBe("66,7");
    expect(frenchNumber(1500)).toBe("1 500".replace(" ", "\u202f"));
  });
});
