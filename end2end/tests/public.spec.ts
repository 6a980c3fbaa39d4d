import { expect, test, type Page } from "@playwright/test";

/** Fails the test on console errors or warnings (hydration mismatches are
 * reported as such) and on any request that leaves the app's own origin. */
function watch(page: Page, baseURL: string) {
  const problems: string[] = [];
  const origin = new URL(baseURL).origin;
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      problems.push(`console ${msg.type()}: ${msg.text()}`);
    }
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith("data:") && new URL(url).origin !== origin) {
      problems.push(`third-party request: ${url}`);
    }
  });
  return problems;
}

/** Hydration is done when the reader's local time has been filled in. */
async function hydrated(page: Page) {
  await expect(page.locator(".local-time").first()).toBeVisible();
}

test("browse the list, open an event, switch language", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL!);

  await page.goto("/en/events");
  await expect(page).toHaveTitle(/Upcoming events/);
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");

  const platform = page.getByRole("link", { name: /Lausanne Platform \d{4}/ });
  await platform.click();
  await expect(page).toHaveURL(/\/en\/events\/lausanne-platform-/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Lausanne Platform");
  await expect(page.getByText("Welcome and opening remarks")).toBeVisible();
  await hydrated(page);
  await expect(page.locator(".local-time").first()).toContainText("Your time");
  // The reader is in Damascus (UTC+3 all year, see playwright.config.ts).
  const first = page.locator(".session-time").first();
  const start = new Date((await first.locator("time").getAttribute("datetime"))!);
  const there = new Date(start.getTime() + 3 * 3_600_000);
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][there.getUTCDay()];
  const clock = [there.getUTCHours(), there.getUTCMinutes()].map((n) => String(n).padStart(2, "0")).join(":");
  await expect(first.locator(".local-time")).toContainText(`${weekday} ${clock} – `);
  await expect(first.locator(".local-time")).toContainText("GMT+3");

  const slug = new URL(page.url()).pathname.split("/").pop();
  await page.getByRole("link", { name: "العربية" }).click();
  await expect(page).toHaveURL(new RegExp(`/ar/events/${slug}$`));
  await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
  await expect(page.locator("html")).toHaveAttribute("lang", "ar");
  await expect(page.getByText("كلمة الترحيب والافتتاح")).toBeVisible();
  await hydrated(page);
  await expect(page.locator(".local-time").first()).toContainText("بتوقيتك");
  await expect(page.locator(".local-time").first()).toContainText("غرينتش+٣");

  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(new RegExp(`/en/events/${slug}$`));

  expect(problems).toEqual([]);
});

test("filters and search work from the form", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL!);
  await page.goto("/ar/events");
  await page.getByLabel("السابقة").check();
  await page.getByLabel("بحث").fill("الاستراتيجيه");
  await page.getByRole("button", { name: "اعرض الفعاليات" }).click();
  await expect(page).toHaveURL(/when=past/);
  await expect(page.getByText("مشاورات الاستراتيجية الجندرية")).toBeVisible();
  await expect(page.getByText("صيغة آريا")).toHaveCount(0);
  expect(problems).toEqual([]);
});

test("closed events are listed without details", async ({ page }) => {
  await page.goto("/en/events?when=past&kind=community_event");
  await expect(page.getByText("Closed event").first()).toBeVisible();
  await page.getByRole("link", { name: "Briefing and Q&A for former detainees" }).click();
  await expect(page.getByText("This is a closed event.")).toBeVisible();
  await expect(page.locator(".agenda")).toHaveCount(0);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the list and event pages show their content", async ({ page }) => {
    await page.goto("/en/events");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Upcoming events");
    await expect(page.locator(".event-card").first()).toBeVisible();

    await page.goto("/en/events?when=past&format=online");
    await expect(page.getByText("Gender Strategy consultations")).toBeVisible();

    await page.getByRole("link", { name: "Gender Strategy consultations" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gender Strategy consultations");
    await expect(page.getByText("barriers to surfacing gender-based violence")).toBeVisible();

    await page.goto("/ar/events");
    await expect(page.locator("html")).toHaveAttribute("dir", "rtl");
    await expect(page.locator(".event-card").first()).toBeVisible();
  });
});
