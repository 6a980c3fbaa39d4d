import { expect, test } from "@playwright/test";
import { mailsTo, outbox } from "./support";

// scripts/e2e.sh starts the server with `lausanne demo`'s three sample
// bulletins, writing its emails to E2E_OUTBOX.

test("read an issue in Arabic, switch to English, search without diacritics, subscribe and confirm", async ({
  page,
}) => {
  test.skip(!outbox, "run through scripts/e2e.sh");
  const title = page.getByRole("heading", { level: 1 });

  // An Arabic reader opens an issue from the archive.
  await page.goto("/ar/bulletins");
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await page.getByRole("link", { name: "كيف نعمل مع المجتمع المدني السوري" }).click();
  await expect(title).toHaveText("كيف نعمل مع المجتمع المدني السوري");
  await expect(page.locator(".prose h2").first()).toHaveText("البداية");

  // The language switch lands on the same issue, in English.
  await page.locator(".lang-switch").click();
  await expect(page).toHaveURL(/\/en\/bulletins\/working-with-civil-society$/);
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(title).toHaveText("How we work with Syrian civil society");

  // Search in Arabic, without the hamza and diacritics the text has (الأطفال).
  await page.goto("/ar/bulletins");
  await page.getByRole("searchbox").fill("الاطفال");
  await page.getByRole("button", { name: "بحث", exact: true }).click();
  await expect(page.locator(".bulletin-item h3")).toHaveText(["ما سمعناه في مشاورات الأطفال والشباب"]);

  // Subscribe in Arabic; the page never says whether the address was known.
  const address = `reader.${Date.now()}@example.org`;
  await page.goto("/ar/subscribe");
  await page.getByLabel("عنوان البريد الإلكتروني").fill(address);
  await page.locator("#lang-ar").check();
  await page.getByRole("button", { name: "اشترك", exact: true }).click();
  await expect(title).toHaveText("تفقّد بريدك الإلكتروني");

  // Confirm through the emailed link.
  await expect.poll(() => mailsTo(address).length, { timeout: 15_000 }).toBe(1);
  const [mail] = mailsTo(address);
  const link = mail.body.match(/https?:\/\/\S+\/subscribe\/confirm\/[0-9a-f]{32}/);
  expect(link).not.toBeNull();
  await page.goto(link![0]);
  await page.getByRole("button", { name: "أؤكد اشتراكي" }).click();
  await expect(title).toHaveText("تم اشتراكك");
});
