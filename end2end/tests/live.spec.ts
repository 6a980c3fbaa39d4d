import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { admin, moderator, outbox, registerOnline, signIn, utcInput as utc } from "./support";

// The meeting "room": a placeholder domain, answered here so that no request
// leaves the machine.
const MEETING_HOST = "meet.example.org";

/** Attendance rows for a session, read from the test database. */
function attendance(meetingUrl: string): number {
  const db = process.env.E2E_DATABASE ?? "";
  const out = execFileSync("python3", [
    "-c",
    "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(" +
      "'SELECT COUNT(*) FROM attendance a JOIN sessions s ON s.id = a.session_id WHERE s.meeting_url = ?'," +
      " (sys.argv[2],)).fetchone()[0])",
    db,
    meetingUrl,
  ]);
  return Number(out.toString().trim());
}

test("open pages follow seats, the participant's state and the join window without reload", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !admin.email || !process.env.E2E_DATABASE, "run through scripts/e2e.sh");
  test.setTimeout(150_000);
  const stamp = Date.now();
  const slug = `e2e-live-${stamp}`;
  const meetingUrl = `https://${MEETING_HOST}/e2e-${stamp}`;

  // An admin creates an online event starting in 20 minutes, with a session
  // whose join window (20 minutes before its start) opens about 40 s from now.
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin);
  await desk.goto("/en/staff/events/new");
  const starts = stamp + 20 * 60_000;
  await desk.locator("[name=slug]").fill(slug);
  await desk.locator("[name=kind]").selectOption("briefing");
  await desk.locator("[name=format]").selectOption("online");
  await desk.locator("[name=visibility]").selectOption("public");
  await desk.locator("[name=title_en]").fill("Live briefing (test)");
  await desk.locator("[name=title_ar]").fill("إحاطة مباشرة (اختبار)");
  await desk.locator("[name=time_zone]").fill("UTC");
  await desk.locator("[name=starts_at]").fill(utc(starts));
  await desk.locator("[name=ends_at]").fill(utc(starts + 2 * 3_600_000));
  await desk.locator("[name=seats_online]").fill("5");
  await desk.locator("[name=requires_approval]").check();
  await desk.getByRole("button", { name: "Publish" }).click();
  await expect(desk.locator(".form-errors")).toHaveCount(0);
  await desk.goto(`/en/staff/events/${slug}/sessions/new`);
  await desk.locator("[name=title_en]").fill("Questions and answers");
  await desk.locator("[name=title_ar]").fill("أسئلة وأجوبة");
  await desk.locator("[name=starts_at]").fill(utc(Date.now() + 20 * 60_000 + 40_000));
  await desk.locator("[name=ends_at]").fill(utc(starts + 3_600_000));
  await desk.locator("[name=meeting_url]").fill(meetingUrl);
  await desk.locator("[name=join_minutes_before]").fill("20");
  await desk.getByRole("button", { name: "Save session" }).click();
  await expect(desk.locator(".form-errors")).toHaveCount(0);

  // Two visitors have the event page open.
  const visitors = await Promise.all(
    [0, 1].map(async () => {
      const page = await (await browser.newContext({ baseURL })).newPage();
      await page.goto(`/en/events/${slug}`);
      await expect(page.locator(".seats-left")).toHaveText("5 places left");
      return page;
    }),
  );
  // Neither the pages nor the scripts and WASM they load carry the meeting URL.
  const html = await visitors[0].content();
  expect(html).not.toContain(MEETING_HOST);
  const assets = await visitors[0].evaluate(() =>
    performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/pkg/")),
  );
  expect(assets.some((a) => a.endsWith(".wasm"))).toBeTruthy();
  for (const asset of assets) {
    const body = await (await visitors[0].request.get(asset)).body();
    expect(body.includes(MEETING_HOST), asset).toBeFalsy();
  }

  // A participant registers to attend online and opens their private page.
  const address = `live.${stamp}@example.org`;
  const participant = await (await browser.newContext({ baseURL })).newPage();
  await participant.route(`https://${MEETING_HOST}/**`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<title>Meeting room (test)</title><h1>Meeting room</h1>" }),
  );
  const link = await registerOnline(participant, slug, "Huda Nasser", address);
  await participant.goto(link);
  await expect(participant.locator("[data-state]")).toHaveText("Waiting for review");
  const session = participant.locator(".join-sessions .session").first();
  await expect(session).toContainText("once your registration is approved");
  expect(await participant.content()).not.toContain(MEETING_HOST);

  // A moderator approves: both visitors' seats and the participant's state
  // change in place.
  const staff = await (await browser.newContext({ baseURL })).newPage();
  await signIn(staff, moderator);
  await staff.goto("/en/staff/registrations?state=pending");
  await staff.locator("tr", { hasText: "Huda Nasser" }).getByRole("button", { name: "Approve" }).click();
  await expect(staff.getByRole("status")).toContainText("Decisions recorded: 1");
  for (const page of visitors) {
    await expect(page.locator(".seats-left")).toHaveText("4 places left", { timeout: 10_000 });
  }
  await expect(participant.locator("[data-state]")).toHaveText("Approved", { timeout: 10_000 });
  await expect(session).toContainText("Opens");
  await expect(session.locator(".countdown")).toContainText(/in \d+ min \d+ s/);

  // The join window opens: the button appears without reload and leads to
  // the meeting, and the join is recorded.
  const join = session.getByRole("link", { name: "Join the session" });
  await expect(join).toBeVisible({ timeout: 90_000 });
  await join.click();
  await expect(participant).toHaveURL(meetingUrl);
  await expect(participant.getByRole("heading")).toHaveText("Meeting room");
  expect(attendance(meetingUrl)).toBe(1);
});
