import { describe, expect, it } from "vitest";
import { escapeHtml, html, toHtmlString } from "./html.ts";

describe("html template", () => {
  it("escapes every interpolated text, attributes included", () => {
    const name = `<script>alert("x")</script> & 'co'`;
    expect(toHtmlString(html`<p title="${name}">${name}</p>`)).toBe(
      "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>",
    );
  });

  it("keeps nested fragments and lists of them as they are, and renders nothing for null, undefined and false", () => {
    const items = ["a<b", "c"].map((t) => html`<li>${t}</li>`);
    expect(toHtmlString(html`<ul>${items}</ul>${null}${undefined}${false}${0}`)).toBe("<ul><li>a&lt;b</li><li>c</li></ul>0");
  });

  it("does not take an object that merely looks like a fragment as safe", () => {
    const forged = { text: "<b>" } as unknown as string;
    expect(toHtmlString(html`${forged}`)).toBe(escapeHtml(String(forged)));
  });
});
