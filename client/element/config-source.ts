// Element Web's config.json for a CPTS, typed against Element's own config type
// (@element-hq/element-web-module-api): a key Element does not know, or a value of the
// wrong type, fails the type-check (`npm run typecheck`, part of `npm test`).
//
// Policy, the same for every CPTS: only the CPTS's homeserver, no guests, no identity
// server or email/phone login, nothing sent to third parties (analytics, bug reports,
// integration manager, map tiles, link previews), French by default, new sessions must be
// verified, calls only through the CPTS's own MatrixRTC backend.
import type { Config } from "@element-hq/element-web-module-api";
import type { CptsBranding } from "./branding.ts";

/**
 * The settings we set by default. The module API types `setting_defaults` as
 * `Record<string, any>`, so names and value types are pinned here, from Element Web's
 * `src/settings/Settings.tsx` and `src/settings/UIFeature.ts` (1.12): only settings that
 * accept the config level.
 */
interface ElementSettingDefaults {
  language: "fr" | "en";
  /** Legacy analytics opt-in; no PostHog key is configured either, so nothing is sent. */
  analyticsOptIn: false;
  /** Link previews of unencrypted rooms would fetch pages through the homeserver. */
  urlPreviewsEnabled: false;
  "UIFeature.urlPreviews": false;
  /** Feedback prompts send rageshakes to a bug-report server; we configure none. */
  "UIFeature.feedback": false;
  "UIFeature.registration": false;
  /** Accounts are created by the CPTS and Synapse has no email: a reset link could not be sent. */
  "UIFeature.passwordReset": false;
  /** Leaving the CPTS goes through the coordination (`!membre retirer`), which also removes room memberships. */
  "UIFeature.deactivate": false;
  "UIFeature.identityServer": false;
  "UIFeature.thirdPartyId": false;
  "UIFeature.shareSocial": false;
  /** Location sharing needs a third-party map tile server. */
  "UIFeature.locationSharing": false;
  "UIFeature.allowCreatingPublicRooms": false;
  "UIFeature.allowCreatingPublicSpaces": false;
  /** Call buttons, shown only when the CPTS runs its own call backend. */
  "UIFeature.voip": boolean;
  /** Widgets, Jitsi conferences among them: Element's default Jitsi server is meet.element.io. */
  "UIFeature.widgets": boolean;
}

/** Element Call (group and 1:1 calls, video rooms) as labs features, from the same Settings.tsx. */
type CallFeatures = Record<"feature_group_calls" | "feature_video_rooms" | "feature_element_call_video_rooms", boolean>;

const ELEMENT_X = {
  ios: "https://apps.apple.com/app/element-x-secure-chat-call/id1631335820",
  android: "https://play.google.com/store/apps/details?id=io.element.android.x",
  fdroid: "https://f-droid.org/packages/io.element.android.x",
} as const;

export function elementConfig(branding: CptsBranding): Config {
  const calls = branding.callLivekitServiceUrl !== undefined;
  const settingDefaults: ElementSettingDefaults = {
    language: "fr",
    analyticsOptIn: false,
    urlPreviewsEnabled: false,
    "UIFeature.urlPreviews": false,
    "UIFeature.feedback": false,
    "UIFeature.registration": false,
    "UIFeature.passwordReset": false,
    "UIFeature.deactivate": false,
    "UIFeature.identityServer": false,
    "UIFeature.thirdPartyId": false,
    "UIFeature.shareSocial": false,
    "UIFeature.locationSharing": false,
    "UIFeature.allowCreatingPublicRooms": false,
    "UIFeature.allowCreatingPublicSpaces": false,
    "UIFeature.voip": calls,
    "UIFeature.widgets": branding.jitsiDomain !== undefined,
  };
  const features: CallFeatures = {
    feature_group_calls: calls,
    feature_video_rooms: calls,
    feature_element_call_video_rooms: calls,
  };
  const config = {
    brand: branding.name,
    // No m.identity_server: nothing to look people up by email or phone number.
    default_server_config: {
      "m.homeserver": { base_url: branding.homeserverUrl, server_name: branding.serverName },
    },
    disable_custom_urls: true,
    disable_guests: true,
    disable_3pid_login: true,
    default_country_code: "FR",
    force_verification: true,
    setting_defaults: settingDefaults,
    features,
    show_labs_settings: false,
    // Element Web embeds Element Call; the backend it uses is announced in
    // .well-known/matrix/client (well-known.ts). Without one, calls are off rather than
    // routed through Element's or Jitsi's public servers.
    element_call: calls ? { use_exclusively: true } : { disable: true },

    // Jitsi conferences only on the CPTS's own server, else never on Element's public one.
    ...(branding.jitsiDomain ? { jitsi: { preferred_domain: branding.jitsiDomain } } : {}),
    // Integration managers (Scalar by default) are third-party servers; empty URLs turn them off.
    integrations_ui_url: "",
    integrations_rest_url: "",
    integrations_widgets_urls: [],
    // Presence is off in Synapse; hide its UI instead of showing everyone offline.
    enable_presence_by_hs_url: { [branding.homeserverUrl]: false },
    room_directory: { servers: [branding.serverName] },
    // Shared links open the CPTS's Element Web rather than matrix.to.
    permalink_prefix: branding.elementWebUrl.replace(/\/$/, ""),
    embedded_pages: { login_for_welcome: true },

    branding: {
      auth_header_logo_url: branding.logoUrl,
      auth_footer_links: [
        { text: "Guide de démarrage", url: branding.onboardingUrl },
        { text: "Confidentialité", url: branding.privacyPolicyUrl },
      ],
    },
    help_url: branding.helpUrl,
    help_encryption_url: `${branding.onboardingUrl}#verifier`,
    help_key_storage_url: `${branding.onboardingUrl}#verifier`,
    privacy_policy_url: branding.privacyPolicyUrl,
    terms_and_conditions_links: [
      { text: "Politique de confidentialité", url: branding.privacyPolicyUrl },
      ...(branding.termsUrl ? [{ text: "Charte d'utilisation", url: branding.termsUrl }] : []),
    ],
    report_event: {
      admin_message_md:
        "Votre signalement est transmis à l'équipe qui administre le serveur de la CPTS. " +
        "En cas d'urgence vitale, appelez le 15.",
    },

    // Phones get Element X, as the onboarding page says.
    mobile_builds: ELEMENT_X,
    mobile_guide_app_variant: "element",
  } satisfies Config;
  return config;
}
