import { expect, test } from "@playwright/test";
import { admin, moderator, outbox, publishEvent, register, signIn } from "./support";

test("a moderator on a phone checks a participant in by typing their code, and another staff device's count follows live", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !admin.email || !moderator.email, "run through scripts/e2e.sh");
  test.setTimeout(120_000);
  const stamp = Date.now();
  const slug = `e2e-door-${stamp}`;
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin);
  await publishEvent(desk, slug, `Door check ${stamp}`, 20, 2 * 3_600_000, "hybrid");

  // The participant's pass: a QR code drawn on the server, and its letters.
  const participant = await (await browser.newContext({ baseURL })).newPage();
  const link = await register(participant, slug, "Rania Haddad", `door.${stamp}@example.org`, "in_person");
  await participant.goto(link);
  await expect(participant.locator(".checkin-pass svg")).toBeVisible();
  const code = (await participant.locator(".checkin-code code").textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // A second staff device watches the count.
  await desk.goto(`/en/staff/events/${slug}/check-in`);
  await expect(desk.locator(".checkin-count")).toHaveText("0 of 1 checked in today");
  const watched = desk.url();

  // The moderator's phone: type the code, one tap.
  const phone = await (
    await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  ).newPage();
  await signIn(phone, moderator);
  await phone.goto(`/en/staff/events/${slug}/check-in`);
  // Made for the phone: nothing wider than the screen.
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.getByLabel("Name, organisation or code").fill(code.toLowerCase().replace("-", " "));
  await phone.getByRole("button", { name: "Find" }).tap();
  const arrival = phone.locator(".arrival", { hasText: "Rania Haddad" });
  await expect(arrival).toBeVisible();
  await arrival.getByRole("button", { name: "Check in" }).tap();
  await expect(phone.getByText("Checked in.", { exact: true })).toBeVisible();
  await expect(phone.locator(".arrival", { hasText: "Rania Haddad" })).toContainText("Checked in at");
  await expect(phone.locator(".checkin-count")).toHaveText("1 of 1 checked in today");

  // The other device, without reloading.
  await expect(desk.locator(".checkin-count")).toHaveText("1 of 1 checked in today", { timeout: 15_000 });
  expect(desk.url()).toBe(watched);

  // A second tap is refused; undo brings the count back everywhere.
  await phone.goto(`/en/staff/events/${slug}/check-in?q=${code}`);
  await phone.locator(".arrival").getByRole("button", { name: "Undo" }).tap();
  await expect(phone.getByText("Check-in undone.")).toBeVisible();
  await expect(desk.locator(".checkin-count")).toHaveText("0 of 1 checked in today", { timeout: 15_000 });

  // Where the browser reads QR codes (Chromium on Android, not this headless
  // one: its camera and detector are stood in for), the camera finds them.
  const scanner = await (
    await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  ).newPage();
  await scanner.addInitScript((seen: string) => {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 64;
    // A camera that shows something: frames keep coming.
    setInterval(() => canvas.getContext("2d")?.fillRect(0, 0, 1 + (Date.now() % 60), 8), 50);
    Object.defineProperty(navigator, "mediaDevices", {
      value: { getUserMedia: async () => canvas.captureStream() },
    });
    let calls = 0;
    (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
      async detect() {
        calls += 1;
        return calls < 3 ? [] : [{ rawValue: seen }];
      }
    };
  }, code);
  await signIn(scanner, moderator);
  await scanner.goto(`/en/staff/events/${slug}/check-in`);
  await scanner.getByRole("button", { name: "Scan a code" }).tap();
  await expect(scanner.locator(".arrival", { hasText: "Rania Haddad" })).toBeVisible({ timeout: 15_000 });
  await expect(scanner.getByLabel("Name, organisation or code")).toHaveValue(code);
  await expect(scanner.getByRole("button", { name: "Scan a code" })).toHaveAttribute("aria-pressed", "false");
});

test("a participant downloads a private material from their private page; the public never sees it", async ({
  browser,
  baseURL,
}) => {
  test.skip(!outbox || !admin.email, "run through scripts/e2e.sh");
  test.setTimeout(120_000);
  const stamp = Date.now();
  const slug = `e2e-materials-${stamp}`;
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await signIn(desk, admin);
  await publishEvent(desk, slug, `Materials check ${stamp}`, 20, 2 * 3_600_000, "hybrid");

  // The admin attaches a document for participants only.
  const pdf = Buffer.from(`%PDF-1.4\n% private notes ${stamp}\n%%EOF\n`);
  const title = `Briefing notes ${stamp}`;
  await desk.goto(`/en/staff/events/${slug}/materials`);
  await desk.getByLabel("Title in English").fill(title);
  await desk.getByLabel("Title in Arabic").fill(`ملاحظات الإحاطة ${stamp}`);
  await desk.getByLabel("Approved participants only (through their private link)").check();
  await desk.getByLabel("File").setInputFiles({ name: "notes.pdf", mimeType: "application/pdf", buffer: pdf });
  await desk.getByRole("button", { name: "Attach" }).click();
  await expect(desk.getByText("Attached.")).toBeVisible();

  // Not on the public page.
  const visitor = await (await browser.newContext({ baseURL })).newPage();
  await visitor.goto(`/en/events/${slug}`);
  await expect(visitor.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(visitor.getByText(title)).toHaveCount(0);

  // The approved participant downloads it from their private page.
  const participant = await (await browser.newContext({ baseURL, acceptDownloads: true })).newPage();
  const link = await register(participant, slug, "Omar Khalil", `materials.${stamp}@example.org`, "in_person");
  await participant.goto(link);
  const material = participant.getByRole("link", { name: title });
  await expect(material).toHaveAttribute("href", new RegExp(`^${link}/materials/\\d+$`));
  const [download] = await Promise.all([participant.waitForEvent("download"), material.click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const saved = await download.path();
  const { readFileSync } = await import("node:fs");
  expect(readFileSync(saved!).toString()).toBe(pdf.toString());
});
