import { expect, test, type Page } from "@playwright/test";

// Measures client-side navigation on Lighthouse's "Slow 4G" profile (150 ms
// round trip, 1.6 Mbps down, 750 kbps up, 4x slower CPU) in headless
// Chromium, and prints the figures: time from the click to the new page
// painted, with and without prefetch, and the bytes each navigation moved.

/** Clicks the link and resolves, in the page, on the frame after the new
 * page's heading shows `title`: milliseconds from the click. */
async function clickToPaint(page: Page, href: string, title: string): Promise<number> {
  return page.evaluate(
    ([href, title]) =>
      new Promise<number>((resolve) => {
        const link = [...document.querySelectorAll<HTMLAnchorElement>("a[href]")].find(
          (a) => a.getAttribute("href") === href,
        )!;
        const start = performance.now();
        const painted = () =>
          document.querySelector("main h1")?.textContent?.includes(title)
            ? requestAnimationFrame(() => resolve(performance.now() - start))
            : requestAnimationFrame(painted);
        link.click();
        painted();
      }),
    [href, title],
  );
}

test("list to event and back on Slow 4G: painted within budget, only the page's HTML moves", async ({ page }) => {
  test.setTimeout(60_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Bytes per URL of the requests that start after `moved.clear()`: the list
  // page's live stream ends during the navigation, and what it received
  // before the click (other tests register meanwhile) is not the
  // navigation's cost.
  const moved = new Map<string, number>();
  const urls = new Map<string, string>();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId);
    if (url !== undefined) moved.set(url, (moved.get(url) ?? 0) + e.encodedDataLength);
  });
  const clearMoved = () => {
    moved.clear();
    urls.clear();
  };

  await page.goto("/en/events");
  // The islands are awake (the WASM has started) before measuring.
  await page.waitForFunction(() => (window as unknown as { __lausanneHydrated?: boolean }).__lausanneHydrated === true);
  const links = page.locator(".event-card h3 a");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
  const titles = await links.allTextContents();
  expect(hrefs.length).toBeGreaterThanOrEqual(2);

  // Without prefetch.
  clearMoved();
  const cold = await clickToPaint(page, hrefs[0], titles[0]);
  const coldBytes = [...moved.values()].reduce((a, b) => a + b, 0);
  const coldUrls = [...moved.keys()];
  await page.goBack();
  await expect(page.locator("main h1")).toHaveText("Upcoming events");

  // With prefetch: the reader's pointer rests on the card first.
  const prefetched = page.waitForResponse((r) => r.url().endsWith(hrefs[1]));
  // By address: an event published meanwhile (by another spec) may have
  // joined the list the back navigation fetched.
  await page.locator(`.event-card h3 a[href="${hrefs[1]}"]`).hover();
  await (await prefetched).finished();
  clearMoved();
  const warm = await clickToPaint(page, hrefs[1], titles[1]);
  const warmBytes = [...moved.values()].reduce((a, b) => a + b, 0);

  // The page's own compressed HTML, for comparison.
  const html = await page.request.get(hrefs[0], { headers: { "accept-encoding": "br" } });
  const compressed = Number(html.headers()["content-length"] ?? (await html.body()).length);
  console.log(
    `Slow 4G, 4x CPU: list -> event painted ${cold.toFixed(0)} ms after the click without prefetch, ` +
      `${warm.toFixed(0)} ms with; bytes moved ${coldBytes} (page HTML ${compressed} compressed) and ${warmBytes} after prefetch`,
  );
  expect(coldUrls.every((u) => !/\/pkg\/|\.css$|\.wasm$|\.js$/.test(u)), coldUrls.join(", ")).toBeTruthy();
  expect(coldUrls.filter((u) => !u.includes("/live?")), coldUrls.join(", ")).toHaveLength(1);
  expect(cold).toBeLessThanOrEqual(1000);
  expect(warm).toBeLessThanOrEqual(300);
  expect(coldBytes).toBeLessThanOrEqual(compressed + 2048);
});
