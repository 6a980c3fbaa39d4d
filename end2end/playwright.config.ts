import { defineConfig } from "@playwright/test";

// The server is started by scripts/e2e.sh (release build, fresh database with
// the demo data) and its address passed in BASE_URL.
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3100";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  // Specs run two at a time; one that counts what the whole server holds
  // (tagged `@alone`: the live streams open on an event) runs after the
  // others, by itself, so no other spec's page is counted with it.
  projects: [
    { name: "together", grepInvert: /@alone/ },
    { name: "alone", grep: /@alone/, dependencies: ["together"] },
  ],
  use: {
    baseURL,
    // Syria's time zone, so the "your time" line (which appears only after
    // hydration, and only when the reader's zone differs) can be checked.
    timezoneId: "Asia/Damascus",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
