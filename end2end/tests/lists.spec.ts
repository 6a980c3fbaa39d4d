import { expect, test } from "@playwright/test";
import { admin, outbox, publishEvent, registerOnline, signIn } from "./support";

// Open lists follow what they show: places, registration, cancellation,
// and events published while they are open.

test("a registration elsewhere updates the open list; a new event is announced; a cancelled one says so", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !admin.email, "run through scripts/e2e.sh");
  test.setTimeout(90_000);
  const stamp = Date.now();
  const slug = `e2e-list-${stamp}`;
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin);
  await publishEvent(desk, slug, `List briefing ${stamp}`, 3, 10 * 24 * 3_600_000);

  // A reader has the list open.
  const reader = await (await browser.newContext({ baseURL })).newPage();
  await reader.goto("/en/events");
  const card = reader.locator(`.card-status[data-event="${slug}"]`);
  await expect(card.locator(".seats-left")).toHaveText("3 places left");
  await expect(reader.locator(".local-time, .card-status").first()).toBeVisible();

  // Someone else registers and confirms (first come: a place is taken).
  const participant = await (await browser.newContext({ baseURL })).newPage();
  const link = await registerOnline(participant, slug, "Rania Haddad", `list.${stamp}@example.org`);
  const confirmed = Date.now();
  await participant.goto(link);
  await expect(card.locator(".seats-left")).toHaveText("2 places left", { timeout: 2_000 + (Date.now() - confirmed) });
  console.log(`list updated ${Date.now() - confirmed} ms after the registration was confirmed`);

  // An event published meanwhile: a polite notice, the list itself unmoved.
  const cards = await reader.locator(".event-card").count();
  await publishEvent(desk, `${slug}-new`, `New briefing ${stamp}`, 5, 12 * 24 * 3_600_000);
  const notice = reader.getByRole("status").filter({ hasText: "1 new event" });
  await expect(notice).toBeVisible({ timeout: 5_000 });
  expect(await reader.locator(".event-card").count()).toBe(cards);
  await notice.getByRole("link", { name: "show" }).click();
  await expect(reader.locator(`.card-status[data-event="${slug}-new"]`)).toBeVisible();

  // Cancelling shows on the open list.
  await desk.goto(`/en/staff/events/${slug}/edit`);
  await desk.getByLabel("Yes, cancel this event").check();
  await desk.getByRole("button", { name: "Cancel event" }).click();
  const again = reader.locator(`.card-status[data-event="${slug}"]`);
  await expect(again.locator(".tag-cancelled")).toHaveText("Cancelled", { timeout: 5_000 });
  await expect(again.locator(".card-seats")).toBeHidden();
});
