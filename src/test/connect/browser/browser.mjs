// Bundles page.mjs with esbuild into gen/browser/ (with index.html), which the caller serves, and opens the test page in headless Chromium (Debian's, through
// npm playwright-core), prints the page's results as one JSON line `RESULTS {...}`, and saves a
// screenshot. Usage: node browser/browser.mjs <page URL> <screenshot path> (the page URL must carry
// ?api=<Tandem base URL>; the page is served from browser/ by the caller).
// Environment: TANDEM_CHROMIUM (default /usr/bin/chromium).
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const [pageUrl, screenshot] = process.argv.slice(2);
if (!pageUrl || !screenshot) {
  console.error("usage: node browser/browser.mjs <page URL> <screenshot path>");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "gen", "browser");
await build({ entryPoints: [join(here, "page.mjs")], bundle: true, format: "esm", outfile: join(out, "page.js"), logLevel: "warning" });
copyFileSync(join(here, "index.html"), join(out, "index.html"));
// a fresh profile per run (playwright passes it to Chromium as --user-data-dir)
const profile = mkdtempSync(join(tmpdir(), "tandem-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.TANDEM_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 900, height: 360 },
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  page.on("console", (m) => console.log(`console.${m.type()}: ${m.text()}`));
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.title === "done", null, { timeout: 60000 });
  console.log("RESULTS " + JSON.stringify(await page.evaluate(() => window.tandemResults)));
  await page.screenshot({ path: screenshot });
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
