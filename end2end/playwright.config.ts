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
