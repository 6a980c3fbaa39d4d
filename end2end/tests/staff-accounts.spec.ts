import { createHmac } from "node:crypto";
import { type Page, expect, test } from "@playwright/test";
import { admin } from "./support";

/** RFC 6238: the six-digit code for `secret` (base 32) at `at` (ms). */
function totp(secret: string, at: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "")) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/en/staff/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /log in|sign in/i }).click();
}

/** Adds a staff account on the users page; returns its one-time password. */
async function addStaff(page: Page, email: string, name: string, role: "admin" | "moderator") {
  await page.goto("/en/staff/users");
  await page.locator("#new-email").fill(email);
  await page.locator("#new-name").fill(name);
  await page.locator("#new-role").selectOption(role);
  await page.locator(".staff-add button[type=submit]").click();
  return (await page.locator("code.secret").textContent())!.trim();
}

test("an admin sets up two-factor sign-in, signs in with a code and ends a moderator's session", async ({
  browser,
  baseURL,
}) => {
  test.skip(!admin.email, "run through scripts/e2e.sh");
  const stamp = Date.now();
  // Accounts of this spec's own, so that other specs' sessions are untouched.
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin.email, admin.password);
  await expect(desk).not.toHaveURL(/login/);
  const adminEmail = `totp.${stamp}@example.org`;
  const adminPassword = await addStaff(desk, adminEmail, "TOTP Admin", "admin");
  const modEmail = `revoked.${stamp}@example.org`;
  const modPassword = await addStaff(desk, modEmail, "Revoked Moderator", "moderator");

  const moderator = await (await browser.newContext({ baseURL })).newPage();
  await signIn(moderator, modEmail, modPassword);
  await expect(moderator).toHaveURL(/\/en\/staff$/);

  // Enrol: the secret is on the page as text beside the QR code.
  const page = await (await browser.newContext({ baseURL })).newPage();
  await signIn(page, adminEmail, adminPassword);
  await page.goto("/en/staff/account");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.locator(".qr-code svg")).toBeVisible();
  const secret = (await page.locator("#totp-secret").textContent())!.trim();
  await page.getByRole("textbox", { name: "Code" }).fill(totp(secret, Date.now()));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.locator(".recovery-codes li")).toHaveCount(10);

  // Sign out, then in again: the password, then a code (the next one: the
  // one used to enrol is spent).
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, adminEmail, adminPassword);
  await expect(page).toHaveURL(/\/en\/staff\/login\/code$/);
  await page.getByRole("textbox", { name: "Code" }).fill(totp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/en\/staff$/);

  // End the moderator's session from the users page.
  await page.goto("/en/staff/users");
  const row = page.locator(`tr[data-user="${modEmail}"]`);
  await row.getByRole("button", { name: "End sessions" }).click();
  await expect(page.getByRole("status")).toContainText("Done.");

  // The moderator's next request lands on the sign-in page.
  await moderator.goto("/en/staff/registrations");
  await expect(moderator).toHaveURL(/\/en\/staff\/login/);
});
