import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { admin } from "./support";

// Client-side navigation: links and GET forms fetch the next page and swap
// it in; the document (and anything kept on `window`) survives.

// Playwright runs in end2end/, where axe-core is installed.
const axeSource = readFileSync(join(process.cwd(), "node_modules/axe-core/axe.min.js"), "utf8");

/** Marks the document; a full page load loses the mark. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 42));
}
async function kept(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __kept?: number }).__kept === 42);
}

/** WCAG 2 A and AA problems axe-core finds on the page as it is now. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

async function expectLanded(page: Page, title: RegExp, lang: "en" | "ar") {
  await expect(page).toHaveTitle(title);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  await expect(page.locator("html")).toHaveAttribute("dir", lang === "ar" ? "rtl" : "ltr");
  await expect(page.locator("main h1")).toBeFocused();
  expect(await kept(page), "the document was not reloaded").toBeTruthy();
}

test("list, event, bulletin, back and forward without reloading; focus, title, language", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto("/en/events");
  await mark(page);
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));

  await page.getByRole("link", { name: /Lausanne Platform \d{4}/ }).first().click();
  await expect(page).toHaveURL(/\/en\/events\/lausanne-platform-/);
  await expectLanded(page, /Lausanne Platform/, "en");
  await expect(page.getByText("Welcome and opening remarks")).toBeVisible();
  // The new page's islands come alive: the reader's own time is filled in.
  await expect(page.locator(".local-time").first()).toContainText("Your time");
  expect(await accessibilityProblems(page)).toEqual([]);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bulletins" }).click();
  await expectLanded(page, /Bulletin/, "en");
  await page.locator(".bulletin-item h3 a").first().click();
  await expect(page).toHaveURL(/\/en\/bulletins\/[\w-]+$/);
  const issue = page.url();
  await expectLanded(page, /·/, "en");
  expect(await accessibilityProblems(page)).toEqual([]);

  await page.goBack();
  await expect(page).toHaveURL(/\/en\/bulletins$/);
  await expectLanded(page, /Bulletin/, "en");
  await page.goForward();
  await expect(page).toHaveURL(issue);
  await expectLanded(page, /·/, "en");

  // The language switch: the same issue, in Arabic, right to left.
  await page.locator(".lang-switch").click();
  await expect(page).toHaveURL(issue.replace("/en/", "/ar/"));
  await expectLanded(page, /·/, "ar");
  await expect(page.locator(".lang-switch")).toHaveText("English");
  expect(await accessibilityProblems(page)).toEqual([]);

  // Nothing but pages was fetched again: no stylesheet, script or WASM.
  const assets = requests.filter((url) => /\/pkg\/|\.css|\.wasm|\.js$/.test(url));
  expect(assets).toEqual([]);
  expect(problems).toEqual([]);
});

test("a missing page shows the 404 in the app; a server error leaves the page and offers a retry", async ({ page }) => {
  await page.goto("/en/events");
  await mark(page);
  await page.evaluate(() => {
    const a = document.createElement("a");
    a.href = "/en/events/no-such-event";
    a.textContent = "a link to nowhere";
    document.querySelector("main")!.append(a);
  });
  await page.getByRole("link", { name: "a link to nowhere" }).click();
  await expectLanded(page, /not found/i, "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");

  await page.goto("/ar/events");
  await mark(page);
  await page.route("**/ar/privacy", (route) => route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }));
  await page.locator(".site-footer").getByRole("link").last().click();
  const status = page.locator("#nav-status");
  await expect(status).toContainText("تعذّر تحميل هذه الصفحة.");
  await expect(page).toHaveURL(/\/ar\/events$/);
  await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Bad gateway");
  await page.unroute("**/ar/privacy");
  await status.getByRole("link", { name: "حاول مجدداً" }).click();
  await expect(page).toHaveURL(/\/ar\/privacy$/);
  await expect(status).not.toHaveClass(/nav-failed/);
  expect(await kept(page)).toBeTruthy();
});

test("GET forms navigate in place; POST forms and downloads keep their normal behaviour", async ({ page }) => {
  await page.goto("/en/events");
  await mark(page);
  await page.getByLabel("Past").check();
  await page.getByRole("button", { name: "Show events" }).click();
  await expect(page).toHaveURL(/when=past/);
  await expect(page.getByText("Gender Strategy consultations")).toBeVisible();
  expect(await kept(page)).toBeTruthy();

  // A calendar file is downloaded, not swapped in.
  await page.goto("/en/events/documentation-briefing-2026");
  await mark(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: /calendar/i }).first().click();
  expect((await download).suggestedFilename()).toMatch(/\.ics$/);
  expect(await kept(page)).toBeTruthy();

  // Subscribing posts the form: a normal page load.
  await page.goto("/en/subscribe");
  await mark(page);
  await page.getByLabel("Email address").fill(`nav.${Date.now()}@example.org`);
  await page.getByRole("button", { name: "Subscribe" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your email");
  expect(await kept(page)).toBeFalsy();
});

test("after 50 navigations the tab holds one live stream", { tag: "@alone" }, async ({ page, browser, baseURL }) => {
  test.skip(!admin.email, "run through scripts/e2e.sh");
  test.setTimeout(180_000);
  const slug = "documentation-briefing-2026";
  const event = `/en/events/${slug}`;
  const desk = await (await browser.newContext({ baseURL })).newPage();
  await desk.goto("/en/staff/login");
  await desk.getByLabel("Email address").fill(admin.email);
  await desk.getByLabel("Password").fill(admin.password);
  await desk.getByRole("button", { name: /log in|sign in/i }).click();
  await expect(desk).not.toHaveURL(/login/);
  const streams = async () => {
    const text = await (await desk.request.get(`/staff/metrics?event=${slug}`)).text();
    return Number(text.match(/lausanne_live_event_streams\{event="[^"]+"\} (\d+)/)?.[1] ?? -1);
  };
  // It runs alone (`@alone`); streams the other specs' pages left on this
  // event end when the server next writes to them (a keep-alive every 20 s):
  // start from none.
  await expect.poll(streams, { timeout: 60_000 }).toBe(0);
  await page.goto(event);
  await mark(page);
  for (let i = 0; i < 25; i++) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: i % 2 ? "Bulletins" : "Events" }).click();
    await expect(page.locator("main h1")).toBeFocused();
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`${event}$`));
    await expect(page.locator(".seats-left").first()).toBeVisible();
  }
  expect(await kept(page)).toBeTruthy();

  await expect.poll(streams, { timeout: 30_000 }).toBe(1);
  console.log(`live streams for the tab after 50 navigations: ${await streams()}`);
  // Leaving the event closes its stream.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bulletins" }).click();
  await expect.poll(streams, { timeout: 30_000 }).toBe(0);
});

test("a page without islands starts no WASM; the first island a navigation brings wakes it", async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(err.message));
  const hydrated = () => page.evaluate(() => (window as unknown as { __lausanneHydrated?: boolean }).__lausanneHydrated === true);
  await page.goto("/en/privacy");
  await expect(page.locator("leptos-island")).toHaveCount(0);
  // Time for an idle callback that would have started it.
  await page.waitForTimeout(1_500);
  expect(await hydrated(), "no island, no WASM started").toBeFalsy();
  await mark(page);

  await page.locator(".site-nav").getByRole("link", { name: "Events", exact: true }).click();
  await expect(page.locator("main h1")).toHaveText("Upcoming events");
  await page.waitForFunction(() => (window as unknown as { __lausanneHydrated?: boolean }).__lausanneHydrated === true);
  await page.getByRole("link", { name: /Lausanne Platform \d{4}/ }).click();
  await expect(page.locator(".local-time").first()).toContainText("Your time");
  expect(await kept(page), "the document was not reloaded").toBeTruthy();
  expect(problems).toEqual([]);
});
