import { expect, test } from "@playwright/test";
import { moderator, outbox, waitForMail } from "./support";

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
  // Until the address is confirmed, our emails carry nobody's typed words.
  expect(received.body).not.toContain("ريم الخطيب");
  expect(received.body).toContain("تحية طيبة");
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
