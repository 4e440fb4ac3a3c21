// Package derive turns a session's rrweb event stream into analytics facts
// (docs/definitions.md). Everything is computed from the stream alone, so a
// plain rrweb recording gets the same analytics as one made by Loupe's
// tracker; the tracker's Custom events (core/rrweb/loupe.go) add what rrweb
// does not record (document height, element boxes, identify, errors).
//
// Thresholds come from core.Definitions; the defaults are in brackets.
//
//   - Pageview: every Meta event. Path is the URL path without query or
//     fragment; dwell runs to the next pageview or the session's end.
//   - Click: MouseInteraction Click, resolved through the DOM mirror
//     (rrweb.Mirror) to a selector, tag and text. X, Y are page
//     coordinates: the viewport position plus the page's scroll at that
//     moment. RelX, RelY place it in the element's box from the tracker's
//     loupe/rect sent just before the click; -1 without one.
//   - Rage click: at least RageClicks [3] consecutive clicks on one
//     pageview, each within RageRadiusPx [30] of the burst's first, first
//     to last within RageWindow [1 s]. Session.RageClicks counts bursts;
//     every click of a burst is marked.
//   - Dead click: no reaction within DeadClickWindow [1 s]. Reactions are
//     DOM mutations (and other visible changes: style sheets, canvas,
//     media), navigation (Meta), scroll, input, and focus of a text field.
//     A click on a text field, textarea or select is never dead. A click
//     followed by the next page load with no other click in between is not
//     dead even when the load takes longer (up to 10 s). A click on a link
//     or submit button shortly before the recording ends is not judged.
//   - Error click: a JS error within ErrorClickWindow [1 s] after a click.
//   - Quick back: a page left for the previous page (A → B → A) within
//     QuickBack [7 s]; the middle pageview is marked.
//   - Excessive scroll: at least ExcessiveScrollReversals [4] changes of
//     vertical scroll direction of one scrolled node (the page or an
//     element) within ExcessiveScrollWindow [10 s] on one pageview.
//   - Scroll depth: max over the pageview of (scrollTop + viewport height)
//     / document height, with the height from loupe/page. Without it the
//     depth is -1 and the page is left out of Session.MaxScrollPct; the
//     deepest scroll position in px is kept either way.
//   - JS errors: loupe/error events in streams from Loupe's tracker; in
//     plain rrweb recordings, rrweb/console@1 events of level error.
//   - Failed requests: rrweb/network@1 requests with status >= 400, status
//     0 (network error) or marked failed; entries without any status are
//     not judged.
//   - Custom events: loupe/event, and any non-Loupe Custom tag of a plain
//     recording (addCustomEvent) under its tag name. loupe/identify sets
//     UserID and Traits; loupe/feedback gives Feedback.
//   - Inputs: the field's selector only, never a value; consecutive input
//     events on one field are one input; changes the page's own script made
//     (userTriggered false) are not inputs.
//   - Mouse moves: sampled every 100 ms, at most 500 per pageview.
//   - Device: a phone or tablet user agent decides; otherwise the first
//     viewport's width (< 768 mobile, < 1024 tablet, else desktop).
//   - Frustration score: see Score.
//
// Timestamps are made monotone and relative to the first plausible event;
// one far from the rest (more than SessionMax from the median) counts as
// "timestamp out of range" in Facts.Uninterpreted with everything else the
// deriver could not interpret.
package derive
