// Element's config.json. The compile-time check is `satisfies Config` in config-source.ts
// (tsc runs in `npm test`); the lines below prove that type does reject what Element does
// not read. The runtime checks read the JSON as Element would.
import type { Config } from "@element-hq/element-web-module-api";
import { describe, expect, it } from "vitest";
import { elementConfig } from "./config-source.ts";
import { exampleBranding } from "./example-env.ts";

// @ts-expect-error Element Web embeds Element Call: `element_call.url` is not read any more.
void ({ brand: "x", element_call: { url: "https://call.example.org" } } satisfies Config);
// @ts-expect-error Piwik analytics were removed from Element Web.
void ({ brand: "x", piwik: { url: "https://piwik.example.org" } } satisfies Config);
// @ts-expect-error the setting is `disable_guests`.
void ({ brand: "x", disable_guest: true } satisfies Config);

/** Every string that looks like a URL, with its key path. */
function urlsIn(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => urlsIn(item, `${path}[${index}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [...urlsIn(key, `${path}.${key} (key)`), ...urlsIn(item, `${path}.${key}`)]);
  }
  return [];
}

/** Download pages of the apps the onboarding page recommends: the only other hosts allowed. */
const APP_STORES = new Set(["apps.apple.com", "play.google.com", "f-droid.org"]);

describe("Element config.json", () => {
  const branding = exampleBranding();
  const config = JSON.parse(JSON.stringify(elementConfig(branding))) as Record<string, any>;

  it("points at the CPTS's homeserver only", () => {
    expect(config["default_server_config"]).toEqual({
      "m.homeserver": { base_url: "https://matrix.cpts-exemple.fr", server_name: "cpts-exemple.fr" },
    });
    expect(config["disable_custom_urls"]).toBe(true);
    expect(config).not.toHaveProperty("default_server_name");
    expect(config).not.toHaveProperty("default_hs_url");
    expect(config["brand"]).toBe("CPTS Exemple");
    expect(config["room_directory"]).toEqual({ servers: ["cpts-exemple.fr"] });
  });

  it("has no guests, no identity server, no email or phone login", () => {
    expect(config["disable_guests"]).toBe(true);
    expect(config["disable_3pid_login"]).toBe(true);
    expect(config["default_server_config"]).not.toHaveProperty("m.identity_server");
    expect(config).not.toHaveProperty("default_is_url");
    expect(config["setting_defaults"]).toMatchObject({
      "UIFeature.identityServer": false,
      "UIFeature.thirdPartyId": false,
      "UIFeature.registration": false,
    });
  });

  it("sends nothing to analytics, bug-report or integration servers", () => {
    for (const key of ["posthog", "piwik", "sentry", "bug_report_endpoint_url", "analytics_owner"]) {
      expect(config, key).not.toHaveProperty(key);
    }
    expect(config["setting_defaults"]).toMatchObject({ analyticsOptIn: false, "UIFeature.feedback": false, "UIFeature.urlPreviews": false });
    expect([config["integrations_ui_url"], config["integrations_rest_url"]]).toEqual(["", ""]);
    expect(config["integrations_widgets_urls"]).toEqual([]);
    // Element's default Jitsi server is public (meet.element.io): widgets off without the CPTS's own.
    expect(config).not.toHaveProperty("jitsi");
    expect(config["setting_defaults"]).toMatchObject({ "UIFeature.widgets": false });
    const ownJitsi = elementConfig(exampleBranding({ CPTS_JITSI_DOMAIN: "visio.cpts-exemple.fr" })) as unknown as Record<string, Record<string, unknown>>;
    expect(ownJitsi["jitsi"]).toEqual({ preferred_domain: "visio.cpts-exemple.fr" });
    expect(ownJitsi["setting_defaults"]).toMatchObject({ "UIFeature.widgets": true });
  });

  it("links only to the CPTS's own hosts and the app stores", () => {
    const own = new Set([branding.serverName, "matrix.cpts-exemple.fr", "element.cpts-exemple.fr", new URL(branding.privacyPolicyUrl).hostname]);
    const foreign = urlsIn(config).filter(([, url]) => {
      const host = new URL(url).hostname;
      return !own.has(host) && !APP_STORES.has(host);
    });
    expect(foreign).toEqual([]);
    expect(urlsIn(config).length).toBeGreaterThan(10);
  });

  it("speaks French by default, with French phone numbers", () => {
    expect(config["setting_defaults"]["language"]).toBe("fr");
    expect(config["default_country_code"]).toBe("FR");
  });

  it("makes new sessions verify, and lets Element read the encryption policy of the well-known", () => {
    expect(config["force_verification"]).toBe(true);
    // io.element.e2ee lives in .well-known/matrix/client (well-known.test.ts); Element
    // fetches it unless this is false.
    expect(config["enable_client_well_known_lookups"]).not.toBe(false);
  });

  it("carries the CPTS's brand, logo, help and privacy links", () => {
    expect(config["branding"]["auth_header_logo_url"]).toBe("https://element.cpts-exemple.fr/branding/logo.svg");
    expect(config["help_url"]).toBe("https://cpts-exemple.fr/bienvenue/");
    expect(config["help_encryption_url"]).toBe("https://cpts-exemple.fr/bienvenue/#verifier");
    expect(config["privacy_policy_url"]).toBe("https://cpts-exemple.fr/confidentialite");
    expect(config["branding"]["auth_footer_links"]).toContainEqual({ text: "Confidentialité", url: "https://cpts-exemple.fr/confidentialite" });
    expect(config["terms_and_conditions_links"]).toEqual([{ text: "Politique de confidentialité", url: "https://cpts-exemple.fr/confidentialite" }]);
    expect(config["permalink_prefix"]).toBe("https://element.cpts-exemple.fr");
  });

  it("switches calls off when the CPTS has no call backend", () => {
    expect(config["element_call"]).toEqual({ disable: true });
    expect(config["setting_defaults"]["UIFeature.voip"]).toBe(false);
    expect(Object.values(config["features"])).toEqual([false, false, false]);
  });

  it("uses Element Call exclusively once the CPTS runs one, and lists the charter when there is one", () => {
    const withCalls = elementConfig(
      exampleBranding({ CPTS_CALL_LIVEKIT_URL: "https://rtc.cpts-exemple.fr/livekit/jwt", CPTS_TERMS_URL: "https://cpts-exemple.fr/charte" }),
    ) as Record<string, any>;
    expect(withCalls["element_call"]).toEqual({ use_exclusively: true });
    expect(withCalls["setting_defaults"]["UIFeature.voip"]).toBe(true);
    expect(withCalls["features"]).toEqual({ feature_group_calls: true, feature_video_rooms: true, feature_element_call_video_rooms: true });
    expect(withCalls["terms_and_conditions_links"]).toContainEqual({ text: "Charte d'utilisation", url: "https://cpts-exemple.fr/charte" });
  });
});
