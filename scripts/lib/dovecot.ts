// A private Dovecot (Debian's dovecot-imapd + dovecot-lmtpd) standing in for an MSSanté
// operator, for the demo (`npm start`) and the MSSanté bridge tests: its own configuration in
// a temporary folder, run in the foreground on free high ports, without root, IMAPS only
// (TLS with a throw-away CA), LMTP on 127.0.0.1 for delivery.
//
// Three kinds of mailboxes, as MSSanté operators have them:
//  - certificate mailboxes (application / organisation): log in only with a client
//    certificate signed by its CA; the password sent is ignored, a login without a
//    valid certificate is refused;
//  - token mailboxes (a person's): OAUTHBEARER / XOAUTH2 with a bearer token checked by a
//    small introspection endpoint run beside it;
//  - every other address (correspondents): delivered to, and readable with `readerPassword`
//    so a test can look at what the bridge sent.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { findFreePort } from "./free-port.ts";
import { createLocalPki, type LocalPki } from "./mail-pki.ts";

const DOVECOT = "/usr/sbin/dovecot";
const DOVEADM = "/usr/bin/doveadm";

export interface DovecotOptions {
  /** Addresses that log in with a client certificate only. */
  readonly certificateMailboxes?: readonly string[];
  /** Address → bearer token accepted for it. */
  readonly tokenMailboxes?: Readonly<Record<string, string>>;
}

export interface LocalDovecot {
  readonly dir: string;
  readonly pki: LocalPki;
  readonly host: "127.0.0.1";
  readonly imapsPort: number;
  readonly lmtpPort: number;
  /** Password of every address that is neither a certificate nor a token mailbox. */
  readonly readerPassword: string;
  /** Stops the server (SIGTERM) and waits for it; the mail stays on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same ports with the same mail. */
  start(): Promise<void>;
  /** Runs `doveadm` against this instance. */
  doveadm(args: readonly string[]): string;
  /** What Dovecot logged (logins, auth failures, deliveries; never mail bodies), for diagnosis. */
  log(): string;
  /** Stops and removes everything. */
  dispose(): Promise<void>;
}

interface Identity {
  internalUser: string;
  loginUser: string;
  mailUid: number;
  mailGid: number;
}

/** Root runs the mail processes as the unprivileged Debian accounts; anyone else as themselves. */
function identity(): Identity {
  const me = userInfo();
  if (me.uid !== 0) return { internalUser: me.username, loginUser: me.username, mailUid: me.uid, mailGid: me.gid };
  const nobody = spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim();
  const nogroup = spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim();
  return { internalUser: "dovecot", loginUser: "dovenull", mailUid: Number(nobody), mailGid: Number(nogroup) };
}

function configText(dir: string, pki: LocalPki, ports: { imaps: number; lmtp: number; introspection: number }, who: Identity, readerPassword: string): string {
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = cpts-mssante-${ports.imaps}
listen = 127.0.0.1
protocols = imap lmtp
log_path = ${dir}/dovecot.log
auth_verbose = yes
default_internal_user = ${who.internalUser}
default_internal_group = ${who.internalUser === "dovecot" ? "dovecot" : userInfo().username}
default_login_user = ${who.loginUser}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:~/Maildir
mail_uid = ${who.mailUid}
mail_gid = ${who.mailGid}
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
postmaster_address = postmaster@mssante.localhost
ssl = required
ssl_cert = <${pki.serverCertFile}
ssl_key = <${pki.serverKeyFile}
ssl_ca = <${pki.caFile}
ssl_verify_client_cert = yes
ssl_require_crl = no
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login oauthbearer xoauth2

service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${ports.imaps}
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${ports.lmtp}
  }
}
service anvil {
  chroot =
}
service imap {
  process_limit = 64
}
protocol imap {
  mail_max_userip_connections = 64
}

# Certificate mailboxes: only with a valid client certificate (any password).
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%{if;%{cert};eq;valid;%u;-} ${dir}/certificate-users
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/certificate-users
  deny = yes
}
# Token mailboxes: a bearer token, checked by the introspection endpoint run beside Dovecot.
passdb {
  driver = oauth2
  mechanisms = oauthbearer xoauth2
  args = ${dir}/oauth2.conf
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/token-users
  deny = yes
}
# Everyone else (correspondents), to read what was delivered.
passdb {
  driver = static
  args = password=${readerPassword}
}
userdb {
  driver = static
  args = uid=${who.mailUid} gid=${who.mailGid} home=${dir}/mail/%d/%n allow_all_users=yes
}
`;
}

function waitForPort(port: number, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const failed = exited();
      if (failed) return reject(new Error(failed));
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`dovecot did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** The token mailboxes' introspection endpoint (RFC 7662 style, as Dovecot's oauth2 passdb asks it). */
function startIntrospection(tokens: Readonly<Record<string, string>>): Promise<{ server: Server; port: number }> {
  const owners = new Map(Object.entries(tokens).map(([address, token]) => [token, address]));
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const token = new URLSearchParams(body).get("token") ?? (req.headers.authorization ?? "").replace(/^Bearer /, "");
      const owner = owners.get(token);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(owner ? { active: true, email: owner, username: owner } : { active: false }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** Whether Dovecot is installed (scripts/install-dovecot.sh, by the bootstrap; it needs root the first time). */
export function dovecotInstalled(): boolean {
  return existsSync(DOVECOT);
}

export async function startDovecot(options: DovecotOptions = {}): Promise<LocalDovecot> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: run scripts/install-dovecot.sh as root (apt-get install -y dovecot-imapd dovecot-lmtpd)`);
  const dir = mkdtempSync(join(tmpdir(), "cpts-dovecot-"));
  chmodSync(dir, 0o755);
  const pki = createLocalPki(join(dir, "pki"));
  chmodSync(pki.serverKeyFile, 0o644);
  const who = identity();
  for (const sub of ["run", "state", "mail"]) mkdirSync(join(dir, sub), { recursive: true });
  chownSync(join(dir, "mail"), who.mailUid, who.mailGid);
  const readerPassword = randomBytes(12).toString("hex");
  const tokens = options.tokenMailboxes ?? {};
  writeFileSync(join(dir, "certificate-users"), (options.certificateMailboxes ?? []).map((a) => `${a}:::::::nopassword\n`).join(""));
  writeFileSync(join(dir, "token-users"), Object.keys(tokens).map((a) => `${a}:::::::\n`).join(""));
  const introspection = await startIntrospection(tokens);
  writeFileSync(
    join(dir, "oauth2.conf"),
    `introspection_mode = post\nintrospection_url = http://127.0.0.1:${introspection.port}/introspect\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
  );
  const ports = { imaps: await findFreePort(), lmtp: await findFreePort(), introspection: introspection.port };
  const configFile = join(dir, "dovecot.conf");
  writeFileSync(configFile, configText(dir, pki, ports, who, readerPassword));

  let child: ChildProcess | undefined;
  let exitMessage: string | undefined;
  const start = async (): Promise<void> => {
    exitMessage = undefined;
    let stderr = "";
    const started = spawn(DOVECOT, ["-F", "-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
    started.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    started.once("exit", (code, signal) => {
      if (child === started) child = undefined;
      exitMessage = `dovecot exited (${code ?? signal}): ${stderr}${safeRead(join(dir, "dovecot.log")).slice(-2000)}`;
    });
    // Not left running when the process that started it exits (npm start failing, a test worker ending).
    const killOnExit = (): void => void started.kill("SIGTERM");
    process.once("exit", killOnExit);
    started.once("exit", () => process.off("exit", killOnExit));
    child = started;
    await waitForPort(ports.imaps, 15_000, () => exitMessage);
    await waitForPort(ports.lmtp, 15_000, () => exitMessage);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (!running) return;
    const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    dir,
    pki,
    host: "127.0.0.1",
    imapsPort: ports.imaps,
    lmtpPort: ports.lmtp,
    readerPassword,
    stop,
    start,
    doveadm(args) {
      const result = spawnSync(DOVEADM, ["-c", configFile, ...args], { encoding: "utf8" });
      if (result.status !== 0) throw new Error(`doveadm ${args.join(" ")} failed: ${result.stderr}`);
      return result.stdout;
    },
    log: () => safeRead(join(dir, "dovecot.log")),
    async dispose() {
      await stop();
      introspection.server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
