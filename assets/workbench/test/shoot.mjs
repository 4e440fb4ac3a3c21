// Screenshots every view of a running `loupe serve` into a folder:
//   node test/shoot.mjs 'http://127.0.0.1:18501/?key=…' ../../artifacts/screenshots
// (the address it printed, with its launch key)
import { openBrowser, settled } from './harness.mjs';

const [address, dir = '../../artifacts/screenshots'] = process.argv.slice(2);
const base = new URL(address).origin + '/';
const { browser, page, problems } = await openBrowser(address);
for (const [name, hash] of [
  ['sessions', '#/sessions'], ['player', process.env.PLAYER_HASH || '#/sessions/rrweb-player-public-events?t=3000'],
  ['funnels', '#/funnels'], ['heatmaps', '#/heatmaps'], ['segments', '#/segments'], ['dashboards', '#/dashboards'],
  ['insights', '#/insights'], ['alerts', '#/alerts'], ['sync', '#/sync'], ['settings', '#/settings'],
]) {
  await page.goto(base + hash);
  await settled(page);
  await page.screenshot({ path: `${dir}/${name}.png` });
  console.log('shot', name);
}
console.log('problems:', problems);
await browser.close();
