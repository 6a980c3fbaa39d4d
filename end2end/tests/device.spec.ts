import { expect, test } from "@playwright/test";
import { admin, outbox, signIn, utcInput, publishEvent, registerOnline } from "./support";

const MEETING_HOST = "meet.example.org";

test("a remembered participant joins from the event page; nobody else sees it; forgetting removes it", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !admin.email, "run through scripts/e2e.sh");
  test.setTimeout(150_000);
  const stamp = Date.now();
  const slug = `e2e-device-${stamp}`;
  const meetingUrl = `https://${MEETING_HOST}/device-${stamp}`;

  // An online event in 20 minutes; its session's join window (20 minutes
  // before it starts) opens about 40 s from now.
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin);
  await publishEvent(desk, slug, `Device briefing ${stamp}`, 10, 20 * 60_000);
  await desk.goto(`/en/staff/events/${slug}/sessions/new`);
  await desk.locator("[name=title_en]").fill("Open questions");
  await desk.locator("[name=title_ar]").fill("أسئلة مفتوحة");
  await desk.locator("[name=starts_at]").fill(utcInput(Date.now() + 20 * 60_000 + 40_000));
  await desk.locator("[name=ends_at]").fill(utcInput(Date.now() + 80 * 60_000));
  await desk.locator("[name=meeting_url]").fill(meetingUrl);
  await desk.locator("[name=join_minutes_before]").fill("20");
  await desk.getByRole("button", { name: "Save session" }).click();
  await expect(desk.locator(".form-errors")).toHaveCount(0);

  // The participant registers, opens the link and asks to be remembered.
  const context = await browser.newContext({ baseURL });
  const participant = await context.newPage();
  // A hydration mismatch is reported on the console.
  const errors: string[] = [];
  participant.on("console", (m) => m.type() === "error" && errors.push(m.text().slice(0, 300)));
  await participant.route(`https://${MEETING_HOST}/**`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<title>Meeting room (test)</title><h1>Meeting room</h1>" }),
  );
  const link = await registerOnline(participant, slug, "Samer Khalil", `device.${stamp}@example.org`);
  await participant.goto(link);
  const remember = participant.getByLabel("Remember me on this device");
  await expect(remember).not.toBeChecked();
  await remember.check();
  await participant.getByRole("button", { name: "Remember this device" }).click();
  await expect(participant.getByText("This browser remembers your registration")).toBeVisible();

  // The event page now knows them: their status, and the Join button when
  // the window opens, without reload.
  await participant.getByRole("link", { name: `Device briefing ${stamp}` }).first().click();
  await expect(participant).toHaveURL(new RegExp(`/en/events/${slug}$`));
  await expect(participant.getByRole("heading", { name: "Your registration" })).toBeVisible();
  await expect(participant.locator(".reader-box [data-state]")).toHaveText("Approved");
  const join = participant.locator(".agenda").getByRole("link", { name: "Join the session" });
  await expect(participant.locator(".agenda .join-state")).toContainText("Opens");
  await expect(join).toBeVisible({ timeout: 90_000 });

  // Another browser on the same page sees neither.
  const other = await (await browser.newContext({ baseURL })).newPage();
  await other.goto(`/en/events/${slug}`);
  await expect(other.getByRole("heading", { level: 1 })).toContainText("Device briefing");
  await expect(other.getByRole("heading", { name: "Your registration" })).toHaveCount(0);
  await expect(other.getByRole("link", { name: "Join the session" })).toHaveCount(0);
  expect(await other.content()).not.toContain("/join/device/");

  await join.click();
  await expect(participant).toHaveURL(meetingUrl);
  await expect(participant.getByRole("heading")).toHaveText("Meeting room");

  // "Not you?" forgets this browser.
  await participant.goto(`/en/events/${slug}`);
  await participant.getByRole("button", { name: "Not you? Forget this device" }).click();
  await expect(participant.getByRole("heading", { level: 1 })).toContainText("Device briefing");
  await expect(participant.getByRole("heading", { name: "Your registration" })).toHaveCount(0);
  expect((await context.cookies()).some((c) => c.name === "lausanne_device")).toBeFalsy();
  expect(errors).toEqual([]);
});
