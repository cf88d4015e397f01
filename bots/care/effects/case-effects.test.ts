import { describe, expect, it } from "vitest";
import { CASE_MESSAGES as M } from "../messages/case-messages.ts";
import { withMentions } from "./case-effects.ts";

describe("alert text", () => {
  it("names people in the body and as pills in the HTML, escaping what people typed", () => {
    const reply = withMentions(M.alert, "fr", { name: "Sophie", time: "25/11 14:02", code: "C-7K3F", message: "chute <b>grave</b>" }, [
      { userId: "@kine:cpts.test", name: "Thomas <Morvan>" },
      { userId: "@mg:cpts.test", name: "Julien" },
    ]);
    expect(reply.text).toContain("chute <b>grave</b>\n@Thomas <Morvan>, @Julien\n");
    expect(reply.html).toContain("chute &lt;b&gt;grave&lt;/b&gt;<br>");
    expect(reply.html).toContain('<a href="https://matrix.to/#/%40kine%3Acpts.test">Thomas &lt;Morvan&gt;</a>, <a href="https://matrix.to/#/%40mg%3Acpts.test">Julien</a>');
  });
});
