// A scripted visit to the demo shop that counts what it does, so the
// recordings come with a manifest of facts the analytics must find.
// Flags on each action say what the shop does in response (e.g. dead: the
// click changes nothing on the page), which the script knows by design.

/** Counters of what a visit did; see core/derive/testdata/recorded/README.md. */
export function emptyCounts() {
  return {
    page_loads: 0,
    spa_navigations: 0,
    clicks: 0,
    rage_bursts: 0,
    dead_clicks: 0,
    error_clicks: 0,
    js_errors: 0,
    failed_requests: 0,
    quick_backs: 0,
    excessive_scroll_pages: 0,
    custom_events: 0,
    identifies: 0,
  };
}

export class Visit {
  constructor(page, origin, { mobile = false } = {}) {
    this.page = page;
    this.origin = origin;
    this.mobile = mobile;
    this.count = emptyCounts();
    this.secrets = [];
    this.steps = [];
  }

  note(s) {
    this.steps.push(s);
  }

  /**
   * A person's pause. The recording keeps it (dwell times, idle gaps), so
   * it is part of the scenario; it is never how a test waits for the page.
   */
  async wait(ms) {
    await this.page.waitForTimeout(ms);
  }

  /** Opens a path as a new page load. */
  async goto(path, { failedRequests = 0 } = {}) {
    await this.page.goto(this.origin + path, { waitUntil: "load" });
    this.count.page_loads++;
    this.count.failed_requests += failedRequests;
    this.note(`open ${path}`);
    await this.wait(700);
  }

  async _press(selector, position) {
    const opts = position ? { position } : {};
    if (this.mobile) {
      await this.page.tap(selector, opts);
      return;
    }
    // Glide the pointer to the target first, as a hand would, so the
    // recordings carry realistic mouse movement.
    const el = this.page.locator(selector).first();
    await el.scrollIntoViewIfNeeded();
    const box = await el.boundingBox();
    if (box) {
      const x = box.x + (position ? position.x : box.width / 2);
      const y = box.y + (position ? position.y : box.height / 2);
      await this.page.mouse.move(x, y, { steps: 12 });
    }
    await this.page.click(selector, opts);
  }

  /**
   * Clicks (taps on mobile) an element. nav: the click loads a new page;
   * spa: it pushes a history entry; dead: nothing on the page reacts;
   * error: it throws a JS error; failedRequests: requests that fail on the
   * page it leads to.
   */
  async click(selector, { nav = false, spa = false, dead = false, error = false, failedRequests = 0, customEvents = 0, position } = {}) {
    if (nav) {
      await Promise.all([this.page.waitForNavigation({ waitUntil: "load" }), this._press(selector, position)]);
      this.count.page_loads++;
    } else {
      await this._press(selector, position);
    }
    this.count.clicks++;
    if (spa) this.count.spa_navigations++;
    if (dead) this.count.dead_clicks++;
    if (error) {
      this.count.error_clicks++;
      this.count.js_errors++;
    }
    this.count.failed_requests += failedRequests;
    this.count.custom_events += customEvents;
    this.note(`click ${selector}${nav ? " (loads a page)" : ""}${spa ? " (pushState)" : ""}${dead ? " (dead)" : ""}${error ? " (throws)" : ""}`);
    // Dead clicks need a quiet second after them to be dead.
    await this.wait(dead || error ? 1300 : 600);
  }

  /** Clicks n times fast near one spot: a rage burst when n >= 3. */
  async rage(selector, n, { dead = true, spreadPx = 6, gapMs = 90 } = {}) {
    // Raw input at fixed coordinates: locator actions wait for actionability
    // and would stretch a burst past its 1000 ms on a busy machine.
    const box = await this.page.locator(selector).boundingBox();
    for (let i = 0; i < n; i++) {
      const x = box.x + box.width / 2 + ((i % 3) - 1) * spreadPx;
      const y = box.y + box.height / 2;
      if (this.mobile) await this.page.touchscreen.tap(x, y);
      else await this.page.mouse.click(x, y);
      if (i < n - 1) await this.wait(gapMs);
    }
    this.count.clicks += n;
    // docs/definitions.md: >= 3 clicks, each within 30 px of the first, first to last <= 1000 ms.
    const burst = n >= 3 && gapMs * (n - 1) < 800 && spreadPx * 2 <= 30;
    if (burst) this.count.rage_bursts++;
    if (dead) this.count.dead_clicks += n;
    this.note(`click ${selector} ${n} times, ${gapMs} ms apart, ${spreadPx} px spread${burst ? " (rage)" : ""}${dead ? " (dead)" : ""}`);
    await this.wait(1300);
  }

  /** Clicks into a text field and types; secret text must never be recorded. */
  async type(selector, text, { secret = true } = {}) {
    await this._press(selector);
    this.count.clicks++;
    await this.page.keyboard.type(text, { delay: 35 });
    if (secret) this.secrets.push(text);
    this.note(`type into ${selector}`);
    await this.wait(400);
  }

  /** Goes back in history; quick when the page left was shown under 7 s. */
  async back({ quick = false, spa = false } = {}) {
    if (spa) {
      await this.page.goBack({ waitUntil: "commit" });
      this.count.spa_navigations++;
    } else {
      await this.page.goBack({ waitUntil: "load" });
      this.count.page_loads++;
    }
    if (quick) this.count.quick_backs++;
    this.note(`back${quick ? " (quick)" : ""}${spa ? " (popstate)" : ""}`);
    await this.wait(800);
  }

  /** Scrolls by dy pixels in steps, like a wheel or a flick. */
  async scroll(dy, steps = 6) {
    for (let i = 0; i < steps; i++) {
      if (this.mobile) await this.page.evaluate((d) => window.scrollBy(0, d), dy / steps);
      else await this.page.mouse.wheel(0, dy / steps);
      await this.wait(120);
    }
    await this.wait(300);
  }

  /** Scrolls to the very bottom. */
  async scrollToEnd() {
    const h = await this.page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight - window.scrollY);
    await this.scroll(h + 50, 10);
    this.note("scroll to the end");
  }

  /** Scrolls down and up `reversals` times within a few seconds. */
  async jitterScroll(reversals) {
    await this.page.mouse.move(400, 400).catch(() => {});
    for (let i = 0; i <= reversals; i++) await this.scroll(i % 2 === 0 ? 500 : -400, 3);
    if (reversals >= 4) this.count.excessive_scroll_pages++;
    this.note(`scroll down and up with ${reversals} reversals`);
  }
}
