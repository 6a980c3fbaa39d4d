import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

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

/** `YYYY-MM-DDTHH:MM:SS` in UTC, as a datetime-local input takes it. */
export function utcInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/en/staff/login");
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: /log in|sign in/i }).click();
  await expect(page).not.toHaveURL(/login/);
}

/** An admin publishes a first-come event starting `startsIn` ms from now,
 * online with `seats` places, or hybrid (in Geneva) with as many in the room. */
export async function publishEvent(
  desk: Page,
  slug: string,
  title: string,
  seats: number,
  startsIn: number,
  format: "online" | "hybrid" = "online",
) {
  const starts = Date.now() + startsIn;
  await desk.goto("/en/staff/events/new");
  await desk.locator("[name=slug]").fill(slug);
  await desk.locator("[name=kind]").selectOption("briefing");
  await desk.locator("[name=format]").selectOption(format);
  await desk.locator("[name=visibility]").selectOption("public");
  await desk.locator("[name=title_en]").fill(title);
  await desk.locator("[name=title_ar]").fill(`${title} (ar)`);
  if (format === "hybrid") {
    await desk.locator("[name=city_en]").fill("Geneva");
    await desk.locator("[name=city_ar]").fill("جنيف");
    await desk.locator("[name=country_en]").fill("Switzerland");
    await desk.locator("[name=country_ar]").fill("سويسرا");
    await desk.locator("[name=venue]").fill("Palais Wilson, room 3");
    await desk.locator("[name=seats_in_person]").fill(String(seats));
  }
  await desk.locator("[name=time_zone]").fill("UTC");
  await desk.locator("[name=starts_at]").fill(utcInput(starts));
  await desk.locator("[name=ends_at]").fill(utcInput(starts + 2 * 3_600_000));
  await desk.locator("[name=seats_online]").fill(String(seats));
  // First come, first served: a confirmed address takes a place at once.
  await desk.locator("[name=requires_approval]").uncheck();
  await desk.getByRole("button", { name: "Publish" }).click();
  await expect(desk.locator(".form-errors")).toHaveCount(0);
}

/** Registers `address` for the event online; returns the private link's path. */
export async function registerOnline(page: Page, slug: string, name: string, address: string): Promise<string> {
  return register(page, slug, name, address);
}

/** Registers `address` for the event (in person where asked; online or the
 * only mode otherwise); returns the private link's path. */
export async function register(
  page: Page,
  slug: string,
  name: string,
  address: string,
  mode?: "in_person",
): Promise<string> {
  await page.goto(`/en/events/${slug}/register`);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Organisation", { exact: true }).fill("Idlib Youth Forum");
  await page.getByLabel("Your role").fill("Coordinator");
  await page.getByLabel("Email address").fill(address);
  if (mode) await page.locator(`[name=mode][value=${mode}]`).check();
  await page.getByLabel(/privacy notice/).check();
  await page.getByRole("button", { name: "Register", exact: true }).click();
  const [mail] = await waitForMail(address, 1);
  const link = mail.body.match(/\/en\/r\/[0-9a-f]{32}/)?.[0];
  expect(link).toBeTruthy();
  return link!;
}
