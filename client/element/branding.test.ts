import { describe, expect, it } from "vitest";
import { ConfigError } from "../../bots/core/config.ts";
import { brandingFromEnv, DEFAULT_LOGO_FILE } from "./branding.ts";
import { exampleBranding, exampleEnv } from "./example-env.ts";

const problems = (overrides: Record<string, string>): string => {
  try {
    brandingFromEnv(exampleEnv(overrides), "/srv/cpts");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("accepted");
};

describe("CPTS branding from the environment", () => {
  it("reads the values documented in .env.example", () => {
    expect(exampleBranding()).toEqual({
      name: "CPTS Exemple",
      serverName: "cpts-exemple.fr",
      homeserverUrl: "https://matrix.cpts-exemple.fr",
      elementWebUrl: "https://element.cpts-exemple.fr/",
      onboardingUrl: "https://cpts-exemple.fr/bienvenue/",
      logoFile: DEFAULT_LOGO_FILE,
      logoUrl: "https://element.cpts-exemple.fr/branding/logo.svg",
      helpUrl: "https://cpts-exemple.fr/bienvenue/",
      privacyPolicyUrl: "https://cpts-exemple.fr/confidentialite",
      pscEnabled: false,
    });
  });

  it("takes the optional values when they are set", () => {
    const branding = brandingFromEnv(
      exampleEnv({
        CPTS_HELP_URL: "https://cpts-exemple.fr/aide",
        CPTS_TERMS_URL: "https://cpts-exemple.fr/charte",
        CPTS_LOGO_FILE: "branding/cpts.png",
        CPTS_CALL_LIVEKIT_URL: "https://rtc.cpts-exemple.fr/livekit/jwt",
      }),
      "/srv/cpts",
    );
    expect(branding).toMatchObject({
      helpUrl: "https://cpts-exemple.fr/aide",
      termsUrl: "https://cpts-exemple.fr/charte",
      logoFile: "/srv/cpts/branding/cpts.png",
      logoUrl: "https://element.cpts-exemple.fr/branding/logo.png",
      callLivekitServiceUrl: "https://rtc.cpts-exemple.fr/livekit/jwt",
    });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ["a missing name", { CPTS_NAME: "" }, /CPTS_NAME: missing/],
    ["a server name with a scheme", { SYNAPSE_SERVER_NAME: "https://cpts-exemple.fr" }, /SYNAPSE_SERVER_NAME: the server name: a lower-case host name/],
    ["a plain-http homeserver", { SYNAPSE_PUBLIC_BASEURL: "http://matrix.cpts-exemple.fr/" }, /SYNAPSE_PUBLIC_BASEURL: the homeserver's https:\/\/ URL/],
    ["a homeserver URL with a path", { SYNAPSE_PUBLIC_BASEURL: "https://matrix.cpts-exemple.fr/synapse/" }, /SYNAPSE_PUBLIC_BASEURL: the homeserver's https:\/\/ URL without a path/],
    ["a proxy host that is not the homeserver's", { MATRIX_HOST: "synapse.cpts-exemple.fr" }, /MATRIX_HOST: must be the host of SYNAPSE_PUBLIC_BASEURL/],
    ["Element on the homeserver's origin", { ELEMENT_HOST: "matrix.cpts-exemple.fr" }, /ELEMENT_HOST: must differ from MATRIX_HOST/],
    ["Element on the server name", { ELEMENT_HOST: "cpts-exemple.fr" }, /ELEMENT_HOST: must differ from SYNAPSE_SERVER_NAME/],
    ["a missing privacy notice", { CPTS_PRIVACY_URL: " " }, /CPTS_PRIVACY_URL: missing/],
    ["a privacy notice over http", { CPTS_PRIVACY_URL: "http://cpts-exemple.fr/rgpd" }, /CPTS_PRIVACY_URL: an https:\/\/ URL/],
    ["a help link that is not a URL", { CPTS_HELP_URL: "bienvenue" }, /CPTS_HELP_URL: an https:\/\/ URL/],
    ["a logo in another format", { CPTS_LOGO_FILE: "logo.gif" }, /CPTS_LOGO_FILE: an \.svg or \.png file/],
    ["a call backend with credentials", { CPTS_CALL_LIVEKIT_URL: "https://user:pw@rtc.cpts-exemple.fr/" }, /CPTS_CALL_LIVEKIT_URL: an https:\/\/ URL/],
    ["MAS_ENABLED in another spelling (the proxy picks its routes by the word)", { MAS_ENABLED: "yes" }, /MAS_ENABLED: true or false/],
    ["MAS on without its host", { MAS_ENABLED: "true", COMPOSE_PROFILES: "mas", MAS_HOST: "" }, /MAS_HOST: missing: MAS_ENABLED=true needs/],
    ["MAS on the homeserver's host", { MAS_ENABLED: "true", COMPOSE_PROFILES: "mas", MAS_HOST: "matrix.cpts-exemple.fr" }, /MAS_HOST: must differ from MATRIX_HOST/],
    ["MAS on without its services", { MAS_ENABLED: "true" }, /COMPOSE_PROFILES: must include mas/],
    ["MAS's services without the delegation", { COMPOSE_PROFILES: "mas" }, /MAS_ENABLED: must be true when COMPOSE_PROFILES includes mas/],
    ["PSC_ENABLED that is not a boolean", { PSC_ENABLED: "peut-etre" }, /PSC_ENABLED: true or false/],
  ];
  it.each(bad)("refuses %s, naming the variable", (_label, overrides, expected) => {
    expect(problems(overrides)).toMatch(expected);
  });

  it("lists every problem at once", () => {
    const message = problems({ CPTS_NAME: "", ELEMENT_HOST: "Element", CPTS_PRIVACY_URL: "" });
    expect(message.split("\n").slice(1)).toEqual([
      "  - CPTS_NAME: missing: set it in .env (see .env.example)",
      "  - ELEMENT_HOST: Element Web's host name: a lower-case host name like cpts-exemple.fr, without https:// or path",
      "  - CPTS_PRIVACY_URL: missing: set it in .env (see .env.example)",
    ]);
  });

  it("reads the sign-in set-up: Synapse alone by default, MAS's issuer and account page when it is on", () => {
    expect(brandingFromEnv(exampleEnv(), "/srv/cpts")).toMatchObject({ pscEnabled: false });
    expect(brandingFromEnv(exampleEnv(), "/srv/cpts")).not.toHaveProperty("authentication");
    const mas = brandingFromEnv(exampleEnv({ MAS_ENABLED: "true", COMPOSE_PROFILES: "mas", PSC_ENABLED: "yes" }), "/srv/cpts");
    expect(mas).toMatchObject({
      pscEnabled: true,
      authentication: { issuer: "https://auth.cpts-exemple.fr/", accountUrl: "https://auth.cpts-exemple.fr/account/" },
    });
  });
});
