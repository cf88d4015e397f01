// What Element and the browser do for a single sign-on, with fetch and a cookie jar:
// Synapse's SSO redirect → the provider's authorization endpoint → its login page (a form
// the "person" fills in) → Synapse's OIDC callback → Synapse's confirmation page, whose
// link carries a loginToken → `m.login.token` for an access token and a new device.
import { parse, type DefaultTreeAdapterTypes } from "parse5";
import { CookieJar } from "tough-cookie";

const MAX_REDIRECTS = 20;

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;
type Element = DefaultTreeAdapterTypes.Element;

export interface SsoSession {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId: string;
}

export interface SsoLogin {
  readonly homeserverUrl: string;
  /** Synapse's name for the provider: "oidc-" + the template's idp_id. */
  readonly idpId: string;
  /** Where Element would be; Synapse appends the loginToken to it. */
  readonly clientRedirectUrl: string;
  /** The login form's fields, as the person fills them in at the provider. */
  readonly credentials: Readonly<Record<string, string>>;
}

function elements(node: Node, tag: string): Element[] {
  const found: Element[] = [];
  const visit = (n: Node): void => {
    if ("tagName" in n && n.tagName === tag) found.push(n);
    if ("childNodes" in n) for (const child of n.childNodes) visit(child);
    if ("content" in n && n.content) visit(n.content as unknown as Node);
  };
  visit(node);
  return found;
}

const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;

class Browser {
  private readonly jar = new CookieJar();

  /** One navigation: follows redirects, keeping cookies, until a page that is not a redirect. */
  async navigate(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    let method = init.method ?? "GET";
    let body: URLSearchParams | undefined = init.form ? new URLSearchParams(init.form) : undefined;
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = { accept: "text/html" };
      const cookie = await this.jar.getCookieString(current);
      if (cookie) headers["cookie"] = cookie;
      if (body) headers["content-type"] = "application/x-www-form-urlencoded";
      const res = await fetch(current, { method, headers, redirect: "manual", ...(body ? { body } : {}) });
      for (const line of res.headers.getSetCookie()) await this.jar.setCookie(line, current);
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        current = new URL(location, current).href;
        // 303 (and, as browsers do, 301/302 after a POST) continue with a GET.
        if (res.status !== 307 && res.status !== 308) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      return { url: current, status: res.status, html: await res.text() };
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
  }

  /** Fills in and submits the page's only form. */
  async submitForm(page: { url: string; html: string }, values: Readonly<Record<string, string>>): Promise<{ url: string; status: number; html: string }> {
    const forms = elements(parse(page.html), "form");
    if (forms.length !== 1) throw new Error(`expected one form at ${page.url}, found ${forms.length}`);
    const form = forms[0]!;
    const fields = new Set(elements(form, "input").map((input) => attr(input, "name")));
    for (const name of Object.keys(values)) if (!fields.has(name)) throw new Error(`the form at ${page.url} has no field ${name}`);
    const action = new URL(attr(form, "action") ?? page.url, page.url).href;
    return this.navigate(action, { method: (attr(form, "method") ?? "GET").toUpperCase(), form: { ...values } });
  }
}

/** The loginToken in the link of Synapse's "continue to your client" page. */
function loginTokenOf(page: { url: string; html: string }, clientRedirectUrl: string): string {
  for (const link of elements(parse(page.html), "a")) {
    const href = attr(link, "href");
    if (!href?.startsWith(clientRedirectUrl)) continue;
    const token = new URL(href).searchParams.get("loginToken");
    if (token) return token;
  }
  throw new Error(`no link to ${clientRedirectUrl} with a loginToken at ${page.url}:\n${page.html.slice(0, 2_000)}`);
}

/** A full browser-less SSO login; resolves with a new device's access token. */
export async function loginWithSso(login: SsoLogin): Promise<SsoSession> {
  const browser = new Browser();
  const start = `${login.homeserverUrl}/_matrix/client/v3/login/sso/redirect/${encodeURIComponent(login.idpId)}?redirectUrl=${encodeURIComponent(login.clientRedirectUrl)}`;
  const loginPage = await browser.navigate(start);
  if (loginPage.status !== 200) throw new Error(`the provider's login page answered ${loginPage.status} at ${loginPage.url}: ${loginPage.html.slice(0, 500)}`);
  const confirmation = await browser.submitForm(loginPage, login.credentials);
  if (confirmation.status !== 200) throw new Error(`SSO callback answered ${confirmation.status} at ${confirmation.url}: ${confirmation.html.slice(0, 1_000)}`);
  const token = loginTokenOf(confirmation, login.clientRedirectUrl);
  const res = await fetch(`${login.homeserverUrl}/_matrix/client/v3/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "m.login.token", token, initial_device_display_name: "Element (PSC test)" }),
  });
  const body = (await res.json()) as { user_id?: string; access_token?: string; device_id?: string; error?: string };
  if (!res.ok || !body.user_id || !body.access_token || !body.device_id) throw new Error(`m.login.token failed (${res.status}): ${body.error ?? JSON.stringify(body)}`);
  return { userId: body.user_id, accessToken: body.access_token, deviceId: body.device_id };
}
