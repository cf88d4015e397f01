import { describe, expect, it } from "vitest";
import { localpartOf, readableName } from "./display-name.ts";

describe("names of people the directory does not know", () => {
  it("shows the display name, else the localpart, never a bare Matrix id", () => {
    expect(readableName("@coordination:cpts.fr", "Claire Coordination")).toBe("Claire Coordination");
    expect(readableName("@coordination:cpts.fr", undefined)).toBe("coordination");
    expect(readableName("@coordination:cpts.fr", "@coordination:cpts.fr")).toBe("coordination");
    expect(readableName("@coordination:cpts.fr", "  ")).toBe("coordination");
    expect(readableName("@coordination:cpts.fr", "@Régulation")).toBe("Régulation");
    expect(localpartOf("@dr.martin:cpts.fr")).toBe("dr.martin");
  });
});
