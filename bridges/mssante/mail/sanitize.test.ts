import { describe, expect, it } from "vitest";
import { sanitizeMailHtml } from "./sanitize.ts";

describe("sanitizeMailHtml", () => {
  const dirty = `<style>p{}</style><script>alert(1)</script><p onclick="x()" style="color:red">Bonjour <b>Docteur</b></p>
<img src="https://tracker.test/p.gif"><img src="//cdn.test/x.png"><img src="cid:logo">
<a href="javascript:alert(1)">a</a> <a href="https://ok.test/x" target="_blank" onmouseover="y()">b</a> <a href="mailto:dr@x.test">c</a>
<iframe src="https://evil.test"></iframe><form><input name="q"></form>`;

  it("keeps text and the formatting Matrix renders", () => {
    const { html } = sanitizeMailHtml(dirty);
    expect(html).toContain("<p>Bonjour <b>Docteur</b></p>");
    expect(html).toContain('<a href="https://ok.test/x">b</a>');
    expect(html).toContain('<a href="mailto:dr@x.test">c</a>');
  });

  it("removes scripts, styles, event handlers, frames, forms, javascript: links and every image", () => {
    const { html } = sanitizeMailHtml(dirty);
    for (const forbidden of ["script", "alert", "style", "onclick", "onmouseover", "iframe", "form", "input", "javascript:", "<img", "tracker"]) {
      expect(html).not.toContain(forbidden);
    }
  });

  it("counts the remote images it did not load", () => {
    expect(sanitizeMailHtml(dirty).remoteImagesBlocked).toBe(2);
    expect(sanitizeMailHtml("<p>rien</p>").remoteImagesBlocked).toBe(0);
  });
});
