import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "@playwright/test";

// scripts/e2e.sh starts the server writing its emails to E2E_OUTBOX and
// creates the staff accounts whose credentials it passes in.
export const outbox = process.env.E2E_OUTBOX ?? "";
export const moderator = {
  email: process.env.E2E_MODERATOR_EMAIL ?? "",
  password: process.env.E2E_MODERATOR_PASSWORD ?? "",
};
export const admin = {
  email: process.env.E2E_ADMIN_EMAIL ?? "",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
};

/** A decoded email: subject and text body. */
export type Mail = { to: string; subject: string; body: string };

function decodeWords(header: string): string {
  return header.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
    enc.toLowerCase() === "b"
      ? Buffer.from(text, "base64").toString("utf8")
      : Buffer.from(
          text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          "latin1",
        ).toString("utf8"),
  );
}

function parse(raw: string): Mail {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const header = (name: string) =>
    unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? "";
  let body = rest.join("\n\n");
  const encoding = header("content-transfer-encoding").toLowerCase();
  if (encoding === "base64") body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    body = Buffer.from(
      body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      "latin1",
    ).toString("utf8");
  }
  return { to: header("to"), subject: decodeWords(header("subject")), body };
}

/** The emails written so far to `address`, oldest first. */
export function mailsTo(address: string): Mail[] {
  return readdirSync(outbox)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => parse(readFileSync(join(outbox, f), "utf8")))
    .filter((m) => m.to.includes(address));
}

export async function waitForMail(address: string, count: number): Promise<Mail[]> {
  await expect.poll(() => mailsTo(address).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return mailsTo(address);
}
