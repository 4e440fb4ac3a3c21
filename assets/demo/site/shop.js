// The demo shop: a catalogue, a cart in localStorage, and page renderers.
// Some things are broken on purpose so recordings show frustration signals:
// the "Apply" coupon button does nothing, "Buy now" throws on limited items,
// and the stock check for the tent answers 500.
(function () {
  var PRODUCTS = [
    { id: "lantern", name: "Brass Camp Lantern", price: 48, hue: 38, shape: "lantern", blurb: "Warm light for long evenings, refillable and built to last." },
    { id: "mug", name: "Enamel Mug", price: 16, hue: 200, shape: "mug", blurb: "Chip-resistant enamel over steel. Coffee tastes better outside." },
    { id: "tent", name: "Two-Person Tent", price: 289, hue: 140, shape: "tent", blurb: "Freestanding, 2.1 kg, pitches in four minutes.", limited: true },
    { id: "blanket", name: "Wool Blanket", price: 120, hue: 8, shape: "blanket", blurb: "Woven from undyed wool in a small mill." },
    { id: "knife", name: "Folding Knife", price: 64, hue: 260, shape: "knife", blurb: "A sharp carbon blade with an oak handle." },
    { id: "flask", name: "Steel Flask", price: 32, hue: 180, shape: "flask", blurb: "Keeps tea hot for twelve hours." },
    { id: "map", name: "Trail Map Set", price: 22, hue: 90, shape: "map", blurb: "Waterproof maps of twelve favourite routes." },
    { id: "stove", name: "Pocket Stove", price: 74, hue: 20, shape: "stove", blurb: "Boils a litre in three and a half minutes.", limited: true },
  ];

  function byId(id) {
    for (var i = 0; i < PRODUCTS.length; i++) if (PRODUCTS[i].id === id) return PRODUCTS[i];
    return null;
  }

  // Product photos come from the shop's image CDN, a second origin. The
  // server that serves these files puts the CDN's real origin in place of
  // this placeholder (assets/demo/README.md).
  var CDN = "https://cdn.fernhill.invalid";

  function art(p, sizes) {
    var src = CDN + "/img/" + p.id;
    return (
      '<img class="art" src="' + src + '-480.jpg" srcset="' + src + "-480.jpg 480w, " + src + '-960.jpg 960w" sizes="' +
      sizes + '" width="960" height="720" alt="' + p.name + '">'
    );
  }

  function money(n) {
    return "$" + n.toFixed(2);
  }

  // Cart: { productId: quantity } in localStorage.
  function cart() {
    try {
      return JSON.parse(localStorage.getItem("shop_cart") || "{}") || {};
    } catch (e) {
      return {};
    }
  }
  function saveCart(c) {
    localStorage.setItem("shop_cart", JSON.stringify(c));
    renderCount();
  }
  function add(id, n) {
    var c = cart();
    c[id] = (c[id] || 0) + (n || 1);
    saveCart(c);
  }
  function cartLines() {
    var c = cart();
    var lines = [];
    for (var id in c) {
      var p = byId(id);
      if (p && c[id] > 0) lines.push({ p: p, qty: c[id] });
    }
    return lines;
  }
  function total() {
    return cartLines().reduce(function (s, l) { return s + l.p.price * l.qty; }, 0);
  }
  function renderCount() {
    var el = document.querySelector(".cart-count");
    if (!el) return;
    var n = cartLines().reduce(function (s, l) { return s + l.qty; }, 0);
    el.textContent = String(n);
  }

  function renderHome() {
    var grid = document.getElementById("products");
    grid.innerHTML = PRODUCTS.map(function (p) {
      return (
        '<a class="card" href="/product.html?id=' + p.id + '" data-product="' + p.id + '">' + art(p, "(max-width: 720px) 100vw, 260px") +
        '<div class="info"><h3>' + p.name + (p.limited ? '<span class="tag">Limited</span>' : "") + "</h3>" +
        '<div class="price">' + money(p.price) + "</div></div></a>"
      );
    }).join("");
  }

  var TABS = {
    details: function (p) { return "<p>" + p.blurb + "</p><p>Made in small batches. Every piece is inspected by hand before it leaves the workshop.</p>"; },
    reviews: function () { return '<p>★★★★★ "Exactly as described." — Jo</p><p>★★★★☆ "Great, shipping took a while." — Sam</p>'; },
    shipping: function () { return "<p>Free shipping over $100. Returns within 30 days, no questions asked.</p>"; },
  };

  function renderProduct() {
    var params = new URLSearchParams(location.search);
    var p = byId(params.get("id")) || PRODUCTS[0];
    document.title = p.name + " — Fernhill Supply";
    document.getElementById("art").innerHTML = art(p, "(max-width: 720px) 100vw, 520px");
    document.getElementById("name").textContent = p.name;
    document.getElementById("price").textContent = money(p.price);
    document.getElementById("blurb").textContent = p.blurb;

    var stock = document.getElementById("stock");
    stock.textContent = "Checking stock…";
    // The tent's stock service is down: it answers 500.
    fetch((p.id === "tent" ? "/api/fail/stock?id=" : "/api/ok/stock?id=") + p.id)
      .then(function (r) {
        if (!r.ok) throw new Error("stock check failed: " + r.status);
        return r.json();
      })
      .then(function () {
        stock.textContent = "In stock — ships in 2 days";
      })
      .catch(function () {
        stock.textContent = "We couldn't check stock right now.";
        stock.className = "stock bad";
      });

    document.getElementById("add").addEventListener("click", function () {
      add(p.id, 1);
      var b = document.getElementById("add");
      b.textContent = "Added ✓";
      window.loupe.event("add_to_cart", { product: p.id, price: p.price });
      setTimeout(function () { b.textContent = "Add to cart"; }, 1500);
    });
    document.getElementById("buy").addEventListener("click", function () {
      // Limited items read a reservation that was never loaded: a real bug.
      var reservation = p.limited ? window.__reservations[p.id] : null;
      add(p.id, 1);
      location.href = "/checkout.html" + (reservation ? "?r=" + reservation : "");
    });

    function showTab(name) {
      if (!TABS[name]) name = "details";
      var links = document.querySelectorAll(".tabs a");
      for (var i = 0; i < links.length; i++) links[i].className = links[i].getAttribute("data-tab") === name ? "on" : "";
      document.getElementById("tab-body").innerHTML = TABS[name](p);
    }
    document.querySelector(".tabs").addEventListener("click", function (e) {
      var a = e.target.closest("a[data-tab]");
      if (!a) return;
      e.preventDefault();
      var name = a.getAttribute("data-tab");
      history.pushState({ tab: name }, "", "/product.html?id=" + p.id + "&tab=" + name);
      showTab(name);
    });
    window.addEventListener("popstate", function () {
      showTab(new URLSearchParams(location.search).get("tab"));
    });
    showTab(params.get("tab"));
  }

  function renderCart() {
    var box = document.getElementById("cart");
    var lines = cartLines();
    if (!lines.length) {
      box.innerHTML = '<div class="empty">Your cart is empty. <a href="/">Keep browsing</a></div>';
      return;
    }
    box.innerHTML =
      '<table class="cart"><tr><th>Item</th><th>Qty</th><th>Price</th><th></th></tr>' +
      lines.map(function (l) {
        return "<tr><td>" + l.p.name + "</td><td>" + l.qty + "</td><td>" + money(l.p.price * l.qty) +
          '</td><td><button class="btn secondary remove" data-id="' + l.p.id + '">Remove</button></td></tr>';
      }).join("") +
      "</table>" +
      '<div class="summary"><div class="coupon"><button class="btn secondary" id="show-coupon" type="button">Have a coupon?</button></div>' +
      '<strong id="total">Total ' + money(total()) + '</strong><a class="btn" id="to-checkout" href="/checkout.html">Checkout</a></div>';
    box.addEventListener("click", function (e) {
      var rm = e.target.closest(".remove");
      if (rm) {
        var c = cart();
        delete c[rm.getAttribute("data-id")];
        saveCart(c);
        renderCart();
      }
    });
    document.getElementById("show-coupon").addEventListener("click", function () {
      // Opens the coupon field. Its Apply button has no handler: clicking it does nothing.
      document.querySelector(".coupon").innerHTML =
        '<input type="text" id="coupon" placeholder="Coupon code" autocomplete="off"><button class="btn warm" id="apply-coupon" type="button">Apply</button>';
      document.getElementById("coupon").focus();
    });
  }

  function renderCheckout() {
    var lines = cartLines();
    document.getElementById("order-total").textContent = money(total()) + " · " + lines.length + " item" + (lines.length === 1 ? "" : "s");
    var form = document.getElementById("checkout");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var msg = document.getElementById("form-error");
      var name = form.elements.namedItem("name").value.trim();
      var email = form.elements.namedItem("email").value.trim();
      var card = form.elements.namedItem("card").value.replace(/\s+/g, "");
      if (!name || email.indexOf("@") < 1 || card.length < 12) {
        msg.textContent = "Please fill in your name, a valid email and a card number.";
        return;
      }
      var order = "FH-" + Math.floor(100000 + Math.random() * 900000);
      var customer = "cust_" + Math.floor(1000 + Math.random() * 9000);
      window.loupe.identify(customer, { plan: lines.length > 1 ? "bundle" : "single" });
      window.loupe.event("purchase", { order: order, total: total(), items: lines.length });
      sessionStorage.setItem("shop_order", order);
      saveCart({});
      location.href = "/thanks.html";
    });
  }

  function renderThanks() {
    document.getElementById("order").textContent = sessionStorage.getItem("shop_order") || "FH-000000";
  }

  var page = document.body.getAttribute("data-page");
  renderCount();
  if (page === "home") renderHome();
  if (page === "product") renderProduct();
  if (page === "cart") renderCart();
  if (page === "checkout") renderCheckout();
  if (page === "thanks") renderThanks();
})();
