import { expect, test } from "@playwright/test";
import { moderator, outbox, signIn } from "./support";

test("the event report renders in Arabic, right to left, with its chart, and prints without the site's chrome", async ({
  page,
}) => {
  test.skip(!outbox || !moderator.email, "run through scripts/e2e.sh");
  await signIn(page, moderator);
  await page.goto("/ar/staff");
  // An event with sign-ups (its dashboard panel has a chart).
  const panel = page.locator(".panel", { has: page.locator("figure.chart") }).first();
  await panel.getByRole("link", { name: "تقرير الفعالية" }).click();
  await expect(page).toHaveURL(/\/ar\/staff\/events\/[^/]+\/report$/);
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("تقرير الفعالية");
  await expect(page.locator("figure.chart svg")).toBeVisible();
  await expect(page.locator(".report-headline")).toContainText("حضر ممثلون");
  // Tables read right to left: a row's header is on the right.
  const row = page.locator(".report-table tbody tr").first();
  const header = await row.locator("th").boundingBox();
  const cell = await row.locator("td").first().boundingBox();
  expect(header!.x).toBeGreaterThan(cell!.x);
  // On paper: no navigation, no staff bar.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator(".staff-bar")).toBeHidden();
  await expect(page.locator("figure.chart svg")).toBeVisible();
});
