import { describe, expect, it } from "vitest";
import { exampleBranding } from "./example-env.ts";
import { clientWellKnown, serverWellKnown } from "./well-known.ts";

describe(".well-known/matrix", () => {
  it("client: the homeserver, encryption on by default, recovery required", () => {
    expect(clientWellKnown(exampleBranding())).toEqual({
      "m.homeserver": { base_url: "https://matrix.cpts-exemple.fr" },
      "io.element.e2ee": { default: true, secure_backup_required: true },
    });
  });

  it("client: no identity server", () => {
    expect(clientWellKnown(exampleBranding())).not.toHaveProperty("m.identity_server");
  });

  it("client: announces the CPTS's call backend when there is one (MSC4143)", () => {
    const wellKnown = clientWellKnown(exampleBranding({ CPTS_CALL_LIVEKIT_URL: "https://rtc.cpts-exemple.fr/livekit/jwt" }));
    expect(wellKnown["org.matrix.msc4143.rtc_foci"]).toEqual([{ type: "livekit", livekit_service_url: "https://rtc.cpts-exemple.fr/livekit/jwt" }]);
    expect(wellKnown["io.element.e2ee"].default).toBe(true);
  });

  it("server: federation goes to the homeserver's host on 443, through the proxy", () => {
    expect(serverWellKnown(exampleBranding())).toEqual({ "m.server": "matrix.cpts-exemple.fr:443" });
  });

  it("client: no authentication issuer while Synapse signs members in itself", () => {
    expect(clientWellKnown(exampleBranding({ PSC_ENABLED: "true" }))).not.toHaveProperty("org.matrix.msc2965.authentication");
  });

  it("client: advertises MAS's issuer and account page to Element X when MAS is on (MSC2965)", () => {
    const wellKnown = clientWellKnown(exampleBranding({ MAS_ENABLED: "true", COMPOSE_PROFILES: "mas" }));
    expect(wellKnown["org.matrix.msc2965.authentication"]).toEqual({
      issuer: "https://auth.cpts-exemple.fr/",
      account: "https://auth.cpts-exemple.fr/account/",
    });
    expect(wellKnown["m.homeserver"]).toEqual({ base_url: "https://matrix.cpts-exemple.fr" });
  });
});
