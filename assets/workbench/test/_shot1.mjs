import { openBrowser } from '/work/main/assets/workbench/test/harness.mjs';
const [base, hash, out] = process.argv.slice(2);
const { browser, page, problems } = await openBrowser(base);
await page.goto(base + hash);
await page.waitForTimeout(1500);
await page.screenshot({ path: out });
console.log(problems, await page.evaluate(() => [window.__loupe_pwned, document.querySelector('iframe')?.getAttribute('sandbox')]));
await browser.close();
