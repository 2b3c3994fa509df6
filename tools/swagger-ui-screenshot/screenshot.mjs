// Opens Tandem's Swagger UI in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), tries GET /v1/users/{id} with id 1 as a user would (expand, "Try it out",
// fill in, "Execute"), checks the answer is Petar Petrovic from the demo data, and saves a
// screenshot.
//
//   node screenshot.mjs [base-url] [output.png]
//   defaults: http://localhost:8080 and ../../docs/swagger-ui.png
// Environment: CHROMIUM (default /usr/bin/chromium). Exits 1 if the answer is not the demo user.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const base = process.argv[2] ?? 'http://localhost:8080';
const out = process.argv[3] ?? path.resolve(here, '../../docs/swagger-ui.png');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${base}/q/swagger-ui/`, { waitUntil: 'networkidle' });
  // Swagger UI's ids escape the dots of the tag with backslashes; match on the operationId end.
  const op = page.locator('[id$="-UserService_GetUserById"]');
  await op.locator('.opblock-summary').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  await op.locator('input[placeholder="id"]').fill('1');
  await op.getByRole('button', { name: 'Execute' }).click();
  const body = op.locator('.responses-wrapper .live-responses-table .response-col_description pre').first();
  await body.waitFor({ timeout: 15000 });
  const text = await body.innerText();
  if (!text.includes('Petar') || !text.includes('magic stick')) {
    console.error(`unexpected answer from Swagger UI's call:\n${text}`);
    process.exitCode = 1;
  }
  await op.scrollIntoViewIfNeeded();
  await page.screenshot({ path: out, fullPage: false });
  console.log(`GET /v1/users/1 through Swagger UI answered Petar Petrovic; screenshot: ${out}`);
} finally {
  await browser.close();
}
