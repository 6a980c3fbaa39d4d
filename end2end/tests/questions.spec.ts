import { expect, test } from "@playwright/test";
import { moderator, admin, outbox, signIn, utcInput, publishEvent, registerOnline } from "./support";

test("an anonymous Arabic question is moderated, translated, seen live, voted on, projected; plain forms without JavaScript", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !admin.email || !moderator.email, "run through scripts/e2e.sh");
  test.setTimeout(180_000);
  const stamp = Date.now();
  const slug = `e2e-questions-${stamp}`;
  const title = `Questions briefing ${stamp}`;

  // An online event in two hours with one session.
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin);
  await publishEvent(desk, slug, title, 20, 2 * 3_600_000);
  await desk.goto(`/en/staff/events/${slug}/sessions/new`);
  await desk.locator("[name=title_en]").fill("Open questions");
  await desk.locator("[name=title_ar]").fill("أسئلة مفتوحة");
  await desk.locator("[name=starts_at]").fill(utcInput(Date.now() + 2 * 3_600_000 + 60_000));
  await desk.locator("[name=ends_at]").fill(utcInput(Date.now() + 3 * 3_600_000));
  await desk.locator("[name=meeting_url]").fill(`https://meet.example.org/q-${stamp}`);
  await desk.getByRole("button", { name: "Save session" }).click();
  await expect(desk.locator(".form-errors")).toHaveCount(0);

  // The first participant asks in Arabic, anonymously, from their private page.
  const asker = await (await browser.newContext({ baseURL })).newPage();
  const link = await registerOnline(asker, slug, "Huda Saleh", `asker.${stamp}@example.org`);
  await asker.goto(link.replace("/en/", "/ar/"));
  await expect(asker.locator("html")).toHaveAttribute("dir", "rtl");
  const arabic = `ماذا يحدث للأدلة التي نرسلها؟ ${stamp}`;
  await asker.getByLabel("سؤالك").fill(arabic);
  const anonymous = asker.getByLabel("اسأل دون ذكر اسمك");
  await anonymous.check();
  await asker.getByRole("button", { name: "أرسل السؤال" }).click();
  await expect(asker.getByText("سيظهر سؤالك على اللوحة بعد أن يوافق عليه مشرف")).toBeVisible();
  await expect(asker.locator(".my-question")).toContainText("طُرح دون اسم");

  // A second participant, remembered on their browser, watches the board.
  const voter = await (await browser.newContext({ baseURL })).newPage();
  const errors: string[] = [];
  voter.on("console", (m) => m.type() === "error" && errors.push(m.text().slice(0, 300)));
  const voterLink = await registerOnline(voter, slug, "Karim Nasser", `voter.${stamp}@example.org`);
  await voter.goto(voterLink);
  await voter.getByLabel("Remember me on this device").check();
  await voter.getByRole("button", { name: "Remember this device" }).click();
  await voter.goto(`/en/events/${slug}`);
  await voter.getByRole("link", { name: "Questions for this session" }).first().click();
  await expect(voter).toHaveURL(/\/sessions\/\d+\/questions$/);
  const board = voter.url();
  await expect(voter.locator(".board-empty")).toBeVisible();

  // A moderator approves it in English and adds a translation.
  const mod = await (await browser.newContext({ baseURL })).newPage();
  await signIn(mod, moderator);
  await mod.goto(`/en/staff/events/${slug}/questions`);
  const item = mod.locator(".staff-question", { hasText: String(stamp) });
  await expect(item).toContainText("Asked anonymously");
  await expect(item).not.toContainText("Huda");
  await item.getByRole("button", { name: "Approve" }).click();
  await expect(mod.getByText("Done.")).toBeVisible();
  const translation = `What happens to the evidence we send? ${stamp}`;
  await mod.locator(".staff-question", { hasText: String(stamp) }).getByLabel(/Translation/).fill(translation);
  await mod.locator(".staff-question", { hasText: String(stamp) }).getByRole("button", { name: "Save the translation" }).click();
  await expect(mod.getByText("Done.")).toBeVisible();

  // The second participant sees it arrive without reloading, in English,
  // with the Arabic beside it; then votes.
  const question = voter.locator(".board .question", { hasText: translation });
  await expect(question).toBeVisible({ timeout: 15_000 });
  await expect(question.locator(".question-other")).toHaveText(arabic);
  expect(voter.url()).toBe(board);
  await question.getByRole("button", { name: "Vote for this question" }).click();
  await expect(voter.getByText("Your vote was counted.")).toBeVisible();
  await expect(voter.locator(".board .question", { hasText: translation }).locator("[data-votes]")).toHaveText("1");
  await expect(voter.getByText("You voted for this question")).toBeVisible();

  // The room view: large type for the back of the room.
  const room = await (await browser.newContext({ baseURL, viewport: { width: 1280, height: 720 } })).newPage();
  await room.goto(`${board}/room`);
  const projected = room.locator(".board-room .question-text", { hasText: translation });
  await expect(projected).toBeVisible();
  const size = await projected.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(size).toBeGreaterThanOrEqual(32);
  await expect(room.locator(".site-header")).toBeHidden();
  await room.goto(`${board.replace("/en/", "/ar/")}/room`);
  await expect(room.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(room.locator(".board-room .question-text", { hasText: arabic })).toBeVisible();

  // Without JavaScript: asking and voting are plain forms.
  const plain = await (await browser.newContext({ baseURL, javaScriptEnabled: false })).newPage();
  const plainLink = await registerOnline(plain, slug, "Nour Haddad", `plain.${stamp}@example.org`);
  await plain.goto(plainLink);
  await plain.getByLabel("Your question").fill(`A question typed without scripts ${stamp}`);
  await plain.getByRole("button", { name: "Send the question" }).click();
  await expect(plain.getByText("Your question will appear on the board")).toBeVisible();
  await plain.locator(".board .question", { hasText: translation }).getByRole("button", { name: "Vote for this question" }).click();
  await expect(plain.getByText("Your vote was counted.")).toBeVisible();
  await plain.goto(board);
  await expect(plain.locator(".board .question", { hasText: translation }).locator("[data-votes]")).toHaveText("2");
  expect(errors).toEqual([]);
});
