// A local, standards-compliant OpenID provider (the npm `oidc-provider`, certified by the
// OpenID Foundation) shaped like Pro Santé Connect: same endpoint paths as PSC's Keycloak
// realm, a confidential client authenticating with client_secret_basic, the `scope_all`
// scope, and PSC's userinfo claims (SubjectNameID = "8" + RPPS, names, SubjectRefPro…).
// It is served over HTTPS with a throw-away CA (scripts/lib/mail-pki.ts), because Synapse
// (authlib) refuses an issuer or endpoints that are not https: the production provider
// block is then used as it is, with no `skip_verification`.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import express from "express";
import Provider, { type Configuration, type JWK, type KoaContextWithOIDC } from "oidc-provider";
import type { LocalPki } from "../../scripts/lib/mail-pki.ts";

/** PSC's realm path: the issuer is `${PSC_AUTH_BASE_URL}${REALM_PATH}` in the production template. */
const REALM_PATH = "/auth/realms/esante-wallet";
/** Keycloak's endpoint layout under the realm, as PSC publishes it. */
const OPENID_CONNECT = "/protocol/openid-connect";
const LOGIN_FIELD = "identifiant";

export interface PscProfessional {
  readonly rpps: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Code of the profession in the national nomenclature (10 = médecin, 60 = infirmier…). */
  readonly professionCode: string;
}

export interface PscClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

export interface LocalPscProvider {
  /** What the production template's PSC_AUTH_BASE_URL would be. */
  readonly authBaseUrl: string;
  /** What the production template's PSC_WALLET_BASE_URL would be (its authorization endpoint is `${it}/auth`). */
  readonly walletBaseUrl: string;
  readonly issuer: string;
  /** The name of the login form's field where the professional is identified. */
  readonly loginField: string;
  /** Successful PSC authentications, by SubjectNameID. */
  readonly logins: readonly string[];
  close(): Promise<void>;
}

/** The national identifier PSC gives an RPPS holder. */
export function subjectNameIdOf(professional: PscProfessional): string {
  return `8${professional.rpps}`;
}

/** A userinfo response with PSC's claim names and shapes (values invented). */
export function pscUserinfo(professional: PscProfessional, sessionUuid: string): Record<string, unknown> {
  const nationalId = subjectNameIdOf(professional);
  return {
    // PSC's `sub` holds a technical identifier; the stable one is SubjectNameID.
    sub: `f:${sessionUuid}:${nationalId}`,
    SubjectNameID: nationalId,
    preferred_username: nationalId,
    given_name: professional.givenName,
    family_name: professional.familyName,
    SubjectRole: [`${professional.professionCode}^1.2.250.1.213.1.1.5.5`],
    SubjectRefPro: {
      codeCivilite: "",
      exercices: [
        {
          codeProfession: professional.professionCode,
          codeCategorieProfessionnelle: "C",
          nomDexercice: professional.familyName,
          prenomDexercice: professional.givenName,
          activities: [{ codeModeExercice: "L", codeSecteurDactivite: "SA07", codePostal: "59500" }],
        },
      ],
    },
    SubjectOrganization: `Cabinet de ${professional.givenName} ${professional.familyName}`,
    otherIds: [{ identifiant: nationalId, origine: "RPPS", qualite: 1 }],
    Secteur_Activite: "SA07^1.2.250.1.71.4.2.4",
    Palier_Authentification: "APPPRIP3^1.2.250.1.213.1.5.1.1.1",
    PSI_Locale: "1.2.250.1.213.1.3.1.1",
    UITVersion: "1.0",
  };
}

const PSC_CLAIMS = Object.keys(pscUserinfo({ rpps: "00000000000", givenName: "", familyName: "", professionCode: "" }, "")).filter((c) => c !== "sub");

function signingKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...(privateKey.export({ format: "jwk" }) as JWK), kid: randomUUID(), use: "sig", alg: "RS256" };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Starts the provider on 127.0.0.1 (a free port), for one client and a list of professionals. */
export async function startLocalPscProvider(options: {
  pki: LocalPki;
  client: PscClient;
  professionals: readonly PscProfessional[];
}): Promise<LocalPscProvider> {
  const byId = new Map(options.professionals.map((p) => [subjectNameIdOf(p), p]));
  const logins: string[] = [];
  /** PSC's `sub` changes from one login to the next; within a login, ID token and userinfo agree. */
  const currentSub = new Map<string, string>();
  const app = express();
  const server: Server = createServer({ key: readFileSync(options.pki.serverKeyFile), cert: readFileSync(options.pki.serverCertFile) }, app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}${REALM_PATH}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: options.client.clientId,
        client_secret: options.client.clientSecret,
        redirect_uris: [options.client.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    scopes: ["openid", "scope_all"],
    claims: { openid: ["sub"], scope_all: PSC_CLAIMS },
    async findAccount(_ctx, accountId) {
      const professional = byId.get(accountId);
      if (!professional) return undefined;
      const sessionUuid = currentSub.get(accountId) ?? randomUUID();
      return { accountId, claims: async () => pscUserinfo(professional, sessionUuid) as { sub: string } };
    },
    // PSC asks the professional for no consent: the grant covers what the client asked.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = ctx.oidc.result?.["consent"]?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid scope_all");
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    routes: {
      authorization: `${OPENID_CONNECT}/auth`,
      token: `${OPENID_CONNECT}/token`,
      userinfo: `${OPENID_CONNECT}/userinfo`,
      jwks: `${OPENID_CONNECT}/certs`,
      end_session: `${OPENID_CONNECT}/logout`,
    },
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    features: { devInteractions: { enabled: false } },
    // A test lives minutes; explicit lifetimes also keep the library from warning about defaults.
    ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  };
  const provider = new Provider(issuer, configuration);

  // The login page stands for the e-CPS app or the CPS card: the professional says who they are.
  app.get("/interaction/:uid", async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name !== "login") throw new Error(`unexpected prompt ${details.prompt.name}`);
      res.type("html").send(
        `<!doctype html><html lang="fr"><title>Pro Santé Connect (test)</title>` +
          `<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">` +
          `<label>Identifiant national <input name="${LOGIN_FIELD}"></label><button>Se connecter</button></form></html>`,
      );
    } catch (err) {
      next(err);
    }
  });
  app.post("/interaction/:uid/login", express.urlencoded({ extended: false }), async (req, res, next) => {
    try {
      const id = String((req.body as Record<string, unknown>)[LOGIN_FIELD] ?? "");
      if (!byId.has(id)) {
        await provider.interactionFinished(req, res, { error: "access_denied", error_description: "unknown professional" });
        return;
      }
      logins.push(id);
      currentSub.set(id, randomUUID());
      await provider.interactionFinished(req, res, { login: { accountId: id } }, { mergeWithLastSubmission: false });
    } catch (err) {
      next(err);
    }
  });
  app.use(REALM_PATH, provider.callback());

  return {
    authBaseUrl: origin,
    walletBaseUrl: `${issuer}${OPENID_CONNECT}`,
    issuer,
    loginField: LOGIN_FIELD,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
