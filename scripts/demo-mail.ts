// `npm run demo:mail`: delivers invented MSSanté mail to the demo's CPTS mailbox (started by
// `npm start`), by LMTP as an operator's MTA does; the bridge carries it into Matrix.
// CPTS_DATA_DIR as for npm start (default ./data).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nodemailer from "nodemailer";
import type { DemoDescription } from "./demo/seed.ts";
import { demoMailMessages } from "./lib/demo-mail-messages.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA_DIR = process.env["CPTS_DATA_DIR"] ?? join(ROOT, "data");

async function main(): Promise<void> {
  let demo: DemoDescription;
  try {
    demo = JSON.parse(readFileSync(join(DATA_DIR, "demo.json"), "utf8")) as DemoDescription;
  } catch {
    throw new Error(`no ${join(DATA_DIR, "demo.json")}: start the demo first (npm start), then run npm run demo:mail in another terminal`);
  }
  if (!demo.mail) throw new Error("the running demo has no MSSanté mailbox (Dovecot is not installed: as root, bash scripts/install-dovecot.sh, then npm start again)");
  const lmtp = nodemailer.createTransport({ host: "127.0.0.1", port: demo.mail.lmtpPort, lmtp: true, secure: false, ignoreTLS: true } as never);
  for (const message of await demoMailMessages()) {
    await lmtp.sendMail({ envelope: { from: "mailer-daemon@mssante.localhost", to: [message.deliverTo] }, raw: message.raw }).catch((err: Error) => {
      throw new Error(`the demo mailbox did not take the mail (${err.message}): is npm start still running?`);
    });
    console.log(`✉️  ${message.subject}\n    ${message.label}`);
  }
  console.log(`\nThe bridge (${demo.bots["mssante"] ?? "@mssante"}) brings them into Matrix within seconds. Replies leave into ${demo.mail.outbox}/`);
}

main().catch((err: unknown) => {
  console.error(`npm run demo:mail failed: ${(err as Error).message}`);
  process.exit(1);
});
