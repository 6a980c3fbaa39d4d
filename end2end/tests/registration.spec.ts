import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// scripts/e2e.sh starts the server writing its emails to E2E_OUTBOX and
// creates the moderator whose credentials it passes in.
const outbox = process.env.E2E_OUTBOX ?? "";
const moderator = {
  email: process.env.E2E_MODERATOR_EMAIL ?? "",
  password: process.env.E2E_MODERATOR_PASSWORD ?? "",
};

/** A decoded email: subject and text body. */
type Mail = { to: string; subject: string; body: string };

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
function mailsTo(address: string): Mail[] {
  return readdirSync(outbox)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => parse(readFileSync(join(outbox, f), "utf8")))
    .filter((m) => m.to.includes(address));
}

async function waitForMail(address: string, count: number): Promise<Mail[]> {
  await expect.poll(() => mailsTo(address).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
  return mailsTo(address);
}

test("a CSO registers in Arabic, a moderator approves in English, the participant sees it in Arabic", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !moderator.email, "run through scripts/e2e.sh");
  const address = `rim.${Date.now()}@example.org`;

  // The participant, in Arabic, finds the Lausanne Platform meeting and registers.
  const participant = await browser.newPage();
  await participant.goto("/ar/events?kind=platform_meeting");
  await participant.locator(".event-title a").first().click();
  await participant.getByRole("link", { name: "سجّل الآن" }).click();
  await expect(participant.locator("html")).toHaveAttribute("dir", "rtl");
  await participant.getByLabel("اسمك").fill("ريم الخطيب");
  await participant.getByLabel("المنظمة", { exact: true }).fill("رابطة عائلات قيصر");
  await participant.getByLabel("صفتك").fill("منسقة");
  await participant.getByLabel("البريد الإلكتروني").fill(address);
  await participant.getByLabel("عبر الإنترنت").check();
  await participant.getByLabel("الترجمة الفورية").selectOption("ar");
  await participant.getByLabel("قرأت إشعار الخصوصية").check();
  await participant.getByRole("button", { name: "سجّل", exact: true }).click();
  await expect(participant.getByRole("heading", { level: 1 })).toHaveText("تفقّد بريدك الإلكتروني");

  // The private link arrives by email, in Arabic.
  const [received] = await waitForMail(address, 1);
  expect(received.subject).toContain("تسجيلك");
  expect(received.body).toContain("ريم الخطيب");
  const link = received.body.match(/\/ar\/r\/[0-9a-f]{32}/)?.[0];
  expect(link).toBeTruthy();
  await participant.goto(link!);
  await expect(participant.locator("[data-state]")).toHaveText("بانتظار المراجعة");

  // A moderator logs in, in English, and approves it from the queue.
  const staff = await (await browser.newContext({ baseURL })).newPage();
  await staff.goto("/en/staff/login");
  await staff.getByLabel("Email address").fill(moderator.email);
  await staff.getByLabel("Password").fill(moderator.password);
  await staff.getByRole("button", { name: /log in|sign in/i }).click();
  await staff.goto("/en/staff/registrations?state=pending");
  const row = staff.locator("tr", { hasText: "ريم الخطيب" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Email confirmed");
  await row.getByRole("button", { name: "Approve" }).click();
  await expect(staff.getByRole("status")).toContainText("Decisions recorded: 1");

  // The participant's private page now says "approved", in Arabic.
  await participant.reload();
  await expect(participant.locator("[data-state]")).toHaveText("مقبول");

  // And the decision came by email, in their language.
  const mails = await waitForMail(address, 2);
  const decision = mails.find((m) => m.body.includes("تمت الموافقة على تسجيلك"));
  expect(decision, mails.map((m) => m.subject).join(" | ")).toBeTruthy();
  expect(decision!.subject).toContain("تسجيلك");
});

test("the registration form works without JavaScript and keeps what was typed", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/en/events?kind=briefing");
  await page.locator(".event-title a").first().click();
  await page.getByRole("link", { name: "Register" }).click();
  await page.getByLabel("Your name").fill("Omar Saleh");
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByRole("button", { name: "Register" }).click();
  await expect(page.locator(".form-errors")).toContainText("Some answers need your attention");
  await expect(page.getByLabel("Your name")).toHaveValue("Omar Saleh");
  await expect(page.getByLabel("Email address")).toHaveValue("not-an-email");
  await expect(page.locator("#email-error")).toContainText("email address like");
  await context.close();
});
