// Loads the Loupe tracker on every page of the demo shop.
//
// The collector origin comes from a `?collector=http://host:port` query
// parameter on any page, remembered in sessionStorage for the rest of the
// visit. Without it the tracker is loaded from this site's own /t.js (as when
// the shop is served by the collector itself, e.g. `loupe demo`).
(function () {
  // Calls made before t.js arrives are queued and replayed by the tracker.
  var l = (window.loupe = window.loupe || { q: [] });
  ["identify", "event", "feedback"].forEach(function (m) {
    l[m] = l[m] || function () {
      l.q.push([m].concat([].slice.call(arguments)));
    };
  });
  l.push = l.push || function (call) {
    l.q.push(call);
  };

  var collector = "";
  try {
    var fromQuery = new URLSearchParams(location.search).get("collector");
    if (fromQuery && /^https?:\/\/[^\s]+$/.test(fromQuery)) {
      sessionStorage.setItem("loupe_collector", fromQuery.replace(/\/+$/, ""));
    }
    collector = sessionStorage.getItem("loupe_collector") || "";
  } catch (e) {
    // storage blocked: fall back to this origin
  }
  var s = document.createElement("script");
  s.async = true;
  s.src = (collector || "") + "/t.js";
  s.setAttribute("data-site", "demo");
  // Product ids and tabs are what the shop's pages are about; every other
  // query parameter is stripped at capture.
  s.setAttribute("data-keep-params", "id,tab");
  // Feedback prompts: a satisfaction score right after an order, and the
  // recommend question only for visitors who stay on the home page a while.
  // Each is shown at most once to a visitor.
  s.setAttribute(
    "data-feedback",
    JSON.stringify([
      { kind: "csat", page: "/thanks.html", delay: 1000, question: "How was checking out today?" },
      { kind: "nps", page: "/", delay: 30000 },
    ]),
  );
  document.head.appendChild(s);
})();
