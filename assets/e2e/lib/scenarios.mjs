// The scripted visits recorded for the demo data and the analytics tests.
// Each covers a shape of real traffic and, between them, a positive and a
// negative case for every frustration signal of docs/definitions.md.
import { DESKTOP, MOBILE, TABLET, WINDOWS_EDGE } from "./chromium.mjs";

export const SCENARIOS = [
  {
    name: "buyer-desktop",
    device: DESKTOP,
    about: "Browses, opens a product tab (pushState), adds to cart and buys; types checkout details.",
    async run(v) {
      await v.goto("/");
      await v.scroll(600);
      await v.click('[data-product="lantern"]', { nav: true });
      await v.click('.tabs a[data-tab="reviews"]', { spa: true });
      await v.click("#add", { customEvents: 1 });
      await v.click("#view-cart", { nav: true });
      await v.click("#to-checkout", { nav: true });
      await v.type("#name", "Ada Quill-7731");
      await v.type("#email", "ada.quill.7731@example.org");
      await v.type("#card", "4242 4242 4242 7731");
      await v.type("#exp", "12/29");
      await v.type("#cvc", "7731");
      await v.click("#place-order", { nav: true, customEvents: 1 });
      v.count.identifies++;
      await v.wait(1000);
    },
  },
  {
    name: "buyer-mobile",
    device: MOBILE,
    mobile: true,
    about: "Taps a product and buys it with Buy now on a phone.",
    async run(v) {
      await v.goto("/");
      await v.scroll(900);
      await v.click('[data-product="mug"]', { nav: true });
      await v.click("#buy", { nav: true });
      await v.type("#name", "Mira Okafor-2208");
      await v.type("#email", "mira.okafor.2208@example.com");
      await v.type("#card", "5555 4444 3333 2208");
      await v.click("#place-order", { nav: true, customEvents: 1 });
      v.count.identifies++;
      await v.wait(1000);
    },
  },
  {
    name: "rage-coupon",
    device: DESKTOP,
    about: "Opens the coupon field (not dead: it opens a text field), types a code and rage-clicks the Apply button that does nothing.",
    async run(v) {
      await v.goto("/product.html?id=flask");
      await v.click("#add", { customEvents: 1 });
      await v.click("#view-cart", { nav: true });
      await v.click("#show-coupon");
      await v.type("#coupon", "SPRING-SECRET-4417");
      await v.rage("#apply-coupon", 5);
      await v.click("#to-checkout", { nav: true });
      await v.wait(1500);
    },
  },
  {
    name: "coupon-no-rage",
    device: WINDOWS_EDGE,
    about: "Clicks the dead Apply button twice fast, three times slowly, and three times fast but far apart: dead clicks, no rage burst.",
    async run(v) {
      await v.goto("/product.html?id=knife");
      await v.click("#add", { customEvents: 1 });
      await v.click("#view-cart", { nav: true });
      await v.click("#show-coupon");
      await v.rage("#apply-coupon", 2);
      await v.rage("#apply-coupon", 3, { gapMs: 650 });
      await v.rage("#apply-coupon", 3, { spreadPx: 36 });
      await v.wait(1000);
    },
  },
  {
    name: "error-hitter",
    device: DESKTOP,
    about: "Opens the tent (stock check answers 500), clicks Buy now twice (each throws), then buys the lantern instead and abandons checkout.",
    async run(v) {
      await v.goto("/");
      await v.click('[data-product="tent"]', { nav: true, failedRequests: 1 });
      // Reads the page first: a Buy now error right after the card click
      // would make that click an error click too (one-second window).
      await v.wait(800);
      await v.click("#buy", { error: true, dead: true });
      await v.click("#buy", { error: true, dead: true });
      await v.click('.tabs a[data-tab="shipping"]', { spa: true });
      await v.click(".logo", { nav: true });
      await v.click('[data-product="lantern"]', { nav: true });
      await v.click("#buy", { nav: true });
      await v.type("#name", "Theo Marsh-6604");
      await v.wait(1500);
    },
  },
  {
    name: "checkout-abandoner",
    device: TABLET,
    mobile: true,
    about: "Adds a blanket, starts checkout on a tablet, types name and email, and leaves.",
    async run(v) {
      await v.goto("/product.html?id=blanket");
      await v.click("#add", { customEvents: 1 });
      await v.click(".cart-link", { nav: true });
      await v.click("#to-checkout", { nav: true });
      await v.type("#name", "Basil Thorne-5519");
      await v.type("#email", "basil.thorne.5519@example.net");
      await v.wait(3000);
    },
  },
  {
    name: "quick-back",
    device: DESKTOP,
    about: "Opens the blanket and goes back after about 2 s (quick back), then opens the maps and goes back after about 9 s (not quick).",
    async run(v) {
      await v.goto("/");
      await v.scroll(500);
      await v.click('[data-product="blanket"]', { nav: true });
      await v.wait(1200);
      await v.back({ quick: true });
      await v.click('[data-product="map"]', { nav: true });
      await v.wait(8500);
      await v.back();
      await v.wait(1000);
    },
  },
  {
    name: "scroller",
    device: DESKTOP,
    about: "Reads the home page to the end, then scrolls up and down with 5 reversals (excessive); on a second view of the home page 2 reversals (not excessive).",
    async run(v) {
      await v.goto("/");
      await v.scrollToEnd();
      await v.wait(1200);
      await v.jitterScroll(5);
      await v.wait(1000);
      await v.goto("/");
      await v.jitterScroll(2);
      await v.wait(1000);
    },
  },
  {
    name: "spa-tabs",
    device: MOBILE,
    mobile: true,
    about: "Switches product tabs (each a pushState pageview), waits, goes back once (popstate), adds to cart.",
    async run(v) {
      await v.goto("/product.html?id=stove");
      await v.click('.tabs a[data-tab="reviews"]', { spa: true });
      await v.click('.tabs a[data-tab="shipping"]', { spa: true });
      await v.wait(7500);
      await v.back({ spa: true });
      await v.click("#add", { customEvents: 1 });
      await v.wait(1000);
    },
  },
  {
    name: "tent-mobile",
    device: MOBILE,
    mobile: true,
    about: "On a phone: the tent's stock check fails, Buy now throws once, then the visitor adds it to the cart and buys.",
    async run(v) {
      await v.goto("/product.html?id=tent", { failedRequests: 1 });
      await v.click("#buy", { error: true, dead: true });
      await v.click("#add", { customEvents: 1 });
      await v.click(".cart-link", { nav: true });
      await v.click("#to-checkout", { nav: true });
      await v.type("#name", "Rosa Pike-3390");
      await v.type("#email", "rosa.pike.3390@example.org");
      await v.type("#card", "4000 0566 5566 3390");
      await v.click("#place-order", { nav: true, customEvents: 1 });
      v.count.identifies++;
      await v.wait(1000);
    },
  },
];
