// Demo shop v3: shared state (localStorage) and per-page behaviour.
(function () {
  'use strict';

  var PRODUCTS = window.SHOP_PRODUCTS;
  var CATEGORIES = window.SHOP_CATEGORIES;
  var KEYS = { user: 'shop.user', cart: 'shop.cart', order: 'shop.lastOrder', seq: 'shop.orderSeq' };
  var CREDENTIALS = { email: 'demo@example.com', password: 'secret123' };
  var EXPRESS_PRICE = 15;
  var EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

  // ---------- helpers ----------
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function money(amount) { return '$' + amount.toFixed(2); }
  function read(key, fallback) {
    try {
      var raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }
  function write(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function findProduct(id) {
    for (var i = 0; i < PRODUCTS.length; i++) if (PRODUCTS[i].id === id) return PRODUCTS[i];
    return undefined;
  }
  function categoryLabel(value) {
    for (var i = 0; i < CATEGORIES.length; i++) if (CATEGORIES[i].value === value) return CATEGORIES[i].label;
    return value;
  }

  // ---------- session ----------
  function currentUser() { return read(KEYS.user, null); }

  // ---------- cart ----------
  function getCart() {
    return read(KEYS.cart, []).filter(function (line) { return findProduct(line.id) && line.qty > 0; });
  }
  function saveCart(cart) { write(KEYS.cart, cart); renderCartCount(); }
  function cartCount() { return getCart().reduce(function (n, line) { return n + line.qty; }, 0); }
  function cartSubtotal(cart) {
    return cart.reduce(function (sum, line) { return sum + findProduct(line.id).price * line.qty; }, 0);
  }
  function addToCart(id, qty) {
    var cart = getCart();
    var line = cart.filter(function (l) { return l.id === id; })[0];
    if (line) line.qty = Math.min(10, line.qty + qty);
    else cart.push({ id: id, qty: qty });
    saveCart(cart);
  }

  // ---------- header / toast ----------
  function renderHeader() {
    var header = $('#masthead');
    if (!header) return;
    var user = currentUser();
    var auth = user
      ? '<span class="account-name" data-testid="account-menu">Signed in as ' + escapeHtml(user.email) + '</span>' +
        '<a href="#" role="button" id="log-out" class="link-button">Log out</a>'
      : '<a href="/signin" id="log-in-link">Log in</a>';
    header.innerHTML =
      '<a class="brand" href="/">Medic Shop</a>' +
      '<div class="main-nav" role="navigation" aria-label="Main">' +
      '<a href="/products" class="nav-link">Products</a>' +
      '<span class="auth">' + auth + '</span>' +
      '<a href="/cart" class="nav-link bag-link">Bag <span class="badge bag-count" data-testid="bag-count">0</span></a>' +
      '</div>';
    var signOut = $('#log-out');
    if (signOut) {
      signOut.addEventListener('click', function (event) {
        event.preventDefault();
        localStorage.removeItem(KEYS.user);
        renderHeader();
      });
    }
    renderCartCount();
  }
  function renderCartCount() {
    var badge = $('.bag-count');
    if (badge) badge.textContent = String(cartCount());
  }
  function showToast(message) {
    var toast = $('#toast');
    if (!toast) return;
    toast.textContent = message;
    toast.hidden = false;
  }

  // ---------- sign in ----------
  function initSignIn() {
    var form = $('#login-form');
    var email = $('#login-email');
    var password = $('#login-password');
    var emailError = $('#login-email-error');
    var passwordError = $('#login-password-error');
    var failure = $('#login-error');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      failure.hidden = true;
      var ok = true;
      var emailValue = email.value.trim();
      if (!emailValue) { emailError.textContent = 'Email is required.'; ok = false; }
      else if (!EMAIL_RE.test(emailValue)) { emailError.textContent = 'Enter a valid email address.'; ok = false; }
      else emailError.textContent = '';
      email.setAttribute('aria-invalid', emailError.textContent ? 'true' : 'false');
      if (!password.value) { passwordError.textContent = 'Password is required.'; ok = false; }
      else passwordError.textContent = '';
      password.setAttribute('aria-invalid', passwordError.textContent ? 'true' : 'false');
      if (!ok) return;
      if (emailValue.toLowerCase() !== CREDENTIALS.email || password.value !== CREDENTIALS.password) {
        failure.textContent = 'Invalid email or password.';
        failure.hidden = false;
        password.value = '';
        return;
      }
      write(KEYS.user, { email: CREDENTIALS.email, name: 'Demo User' });
      var next = new URLSearchParams(location.search).get('next');
      location.href = next && next.charAt(0) === '/' && next.charAt(1) !== '/' ? next : '/products';
    });
  }

  // ---------- product list ----------
  function initProducts() {
    var search = $('#q');
    var category = $('#department');
    var sort = $('#sort');
    var list = $('#catalog');
    var count = $('[data-testid="result-count"]');
    var empty = $('#empty-state');

    CATEGORIES.forEach(function (c) {
      var option = document.createElement('option');
      option.value = c.value;
      option.textContent = c.label;
      category.appendChild(option);
    });

    var params = new URLSearchParams(location.search);
    search.value = params.get('q') || '';
    category.value = params.get('category') || '';
    sort.value = params.get('sort') || 'featured';
    if (!sort.value) sort.value = 'featured';

    function apply() {
      var q = search.value.trim().toLowerCase();
      var items = PRODUCTS.filter(function (p) {
        if (q && (p.name + ' ' + p.description).toLowerCase().indexOf(q) === -1) return false;
        if (category.value && p.category !== category.value) return false;
        return true;
      });
      if (sort.value === 'price-asc') items.sort(function (a, b) { return a.price - b.price; });
      if (sort.value === 'price-desc') items.sort(function (a, b) { return b.price - a.price; });
      if (sort.value === 'rating') items.sort(function (a, b) { return b.rating - a.rating; });

      list.innerHTML = items.map(function (p) {
        return '<article class="product-tile" role="listitem" data-testid="product-tile" data-sku="' + p.id + '">' +
          '<div class="thumb" aria-hidden="true">' + escapeHtml(p.name.charAt(0)) + '</div>' +
          '<div class="tile-body">' +
          '<p class="price">' + money(p.price) + '</p>' +
          '<h2 class="tile-title"><a href="/product?id=' + p.id + '">' + escapeHtml(p.name) + '</a></h2>' +
          '<p class="tile-meta"><span class="category">' + escapeHtml(categoryLabel(p.category)) + '</span> · ' +
          '<span class="availability ' + (p.inStock ? 'available">In stock' : 'sold-out">Out of stock') + '</span></p>' +
          '</div>' +
          '<button type="button" class="add-btn" data-sku="' + p.id + '"' + (p.inStock ? '' : ' disabled') + '>Add to bag</button>' +
          '</article>';
      }).join('');
      count.textContent = items.length + (items.length === 1 ? ' product' : ' products');
      empty.hidden = items.length !== 0;

      var next = new URLSearchParams();
      if (search.value.trim()) next.set('q', search.value.trim());
      if (category.value) next.set('category', category.value);
      if (sort.value !== 'featured') next.set('sort', sort.value);
      var qs = next.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    }

    list.addEventListener('click', function (event) {
      var button = event.target.closest('button.add-btn');
      if (!button) return;
      var product = findProduct(button.getAttribute('data-sku'));
      addToCart(product.id, 1);
      showToast('Added 1 × ' + product.name + ' to your bag.');
    });
    search.addEventListener('input', apply);
    category.addEventListener('change', apply);
    sort.addEventListener('change', apply);
    $('#filter-bar').addEventListener('submit', function (event) { event.preventDefault(); apply(); });
    $('#reset-filters').addEventListener('click', function () {
      search.value = '';
      category.value = '';
      sort.value = 'featured';
      apply();
    });
    apply();
  }

  // ---------- product detail ----------
  function initProduct() {
    var id = new URLSearchParams(location.search).get('id');
    var product = findProduct(id);
    var container = $('#product-view');
    if (!product) {
      document.title = 'Product not found · Medic Shop';
      container.innerHTML = '<h1>Product not found</h1><p>We could not find that product. <a href="/products">Back to products</a></p>';
      return;
    }
    document.title = product.name + ' · Medic Shop';
    container.innerHTML =
      '<nav class="breadcrumbs" aria-label="You are here"><a href="/products">Products</a> / ' +
      '<a href="/products?category=' + product.category + '">' + escapeHtml(categoryLabel(product.category)) + '</a></nav>' +
      '<div class="detail-grid">' +
      '<div class="media">' +
      '<div class="thumb large" aria-hidden="true">' + escapeHtml(product.name.charAt(0)) + '</div>' +
      (product.inStock ? '' : '<span class="ribbon">Out of stock</span>') +
      '</div>' +
      '<div class="product-summary">' +
      '<h1 class="product-title">' + escapeHtml(product.name) + '</h1>' +
      '<p class="availability ' + (product.inStock ? 'available">In stock' : 'sold-out">Out of stock') + '</p>' +
      '<p class="detail-price" data-test="price">' + money(product.price) + '</p>' +
      '<p class="description">' + escapeHtml(product.description) + '</p>' +
      '<form id="buy-box" class="add-form" novalidate>' +
      '<div class="qty-field">' +
      '<label for="qty">Qty</label>' +
      '<input id="qty" name="qty" type="number" min="1" max="10" value="1"' + (product.inStock ? '' : ' disabled') + '>' +
      '</div>' +
      '<button type="submit" class="primary add-btn"' + (product.inStock ? '' : ' disabled') + '>Add to bag</button>' +
      '</form>' +
      '<p class="form-error" id="qty-error"></p>' +
      '</div></div>';
    $('#buy-box').addEventListener('submit', function (event) {
      event.preventDefault();
      var qty = parseInt($('#qty').value, 10);
      if (!(qty >= 1 && qty <= 10)) {
        $('#qty-error').textContent = 'Choose a quantity from 1 to 10.';
        return;
      }
      $('#qty-error').textContent = '';
      addToCart(product.id, qty);
      showToast('Added ' + qty + ' × ' + product.name + ' to your bag.');
    });
  }

  // ---------- cart ----------
  function initCart() {
    var body = $('#bag-lines');
    var empty = $('#bag-empty');
    var summary = $('#bag-summary');

    function renderTotals() {
      var cart = getCart();
      $('[data-testid="bag-subtotal"]').textContent = money(cartSubtotal(cart));
      $('#bag-items-count').textContent = cartCount() + (cartCount() === 1 ? ' item' : ' items');
    }
    function render() {
      var cart = getCart();
      empty.hidden = cart.length !== 0;
      body.hidden = cart.length === 0;
      summary.hidden = cart.length === 0;
      body.innerHTML = cart.map(function (line) {
        var p = findProduct(line.id);
        return '<div class="bag-line" role="listitem" data-sku="' + p.id + '">' +
          '<a class="line-name" href="/product?id=' + p.id + '">' + escapeHtml(p.name) + '</a>' +
          '<span class="unit-price">' + money(p.price) + '</span>' +
          '<label class="line-qty"><span class="visually-hidden">Qty for ' + escapeHtml(p.name) + '</span>' +
          '<input class="qty" type="number" min="1" max="10" value="' + line.qty + '"></label>' +
          '<span class="line-amount">' + money(p.price * line.qty) + '</span>' +
          '<a href="#" role="button" class="remove-link">Remove</a>' +
          '</div>';
      }).join('');
      renderTotals();
    }
    body.addEventListener('input', function (event) {
      var input = event.target.closest('input.qty');
      if (!input) return;
      var qty = parseInt(input.value, 10);
      if (!(qty >= 1 && qty <= 10)) return;
      var row = input.closest('.bag-line');
      var id = row.getAttribute('data-sku');
      var cart = getCart();
      cart.forEach(function (line) { if (line.id === id) line.qty = qty; });
      saveCart(cart);
      $('.line-amount', row).textContent = money(findProduct(id).price * qty);
      renderTotals();
    });
    body.addEventListener('click', function (event) {
      var button = event.target.closest('a.remove-link');
      if (!button) return;
      event.preventDefault();
      var id = button.closest('.bag-line').getAttribute('data-sku');
      saveCart(getCart().filter(function (line) { return line.id !== id; }));
      render();
    });
    $('#go-to-checkout').addEventListener('click', function () { location.href = '/checkout'; });
    render();
  }

  // ---------- checkout ----------
  function initCheckout() {
    var cart = getCart();
    var form = $('#shipping-form');
    if (cart.length === 0) {
      $('.checkout-layout').hidden = true;
      $('#checkout-empty').hidden = false;
      return;
    }
    var user = currentUser();
    if (user) $('#contact-email').value = user.email;

    function shippingPrice() {
      var selected = $('input[name="shipping"]:checked');
      return selected && selected.value === 'express' ? EXPRESS_PRICE : 0;
    }
    function renderSummary() {
      var subtotal = cartSubtotal(cart);
      $('#summary-items').innerHTML = cart.map(function (line) {
        var p = findProduct(line.id);
        return '<li><span>' + escapeHtml(p.name) + ' × ' + line.qty + '</span> <span>' + money(p.price * line.qty) + '</span></li>';
      }).join('');
      $('#summary-subtotal').textContent = money(subtotal);
      $('[data-testid="shipping-cost"]').textContent = shippingPrice() ? money(shippingPrice()) : 'Free';
      $('#order-total').textContent = money(subtotal + shippingPrice());
    }
    $all('input[name="shipping"]').forEach(function (radio) { radio.addEventListener('change', renderSummary); });
    renderSummary();

    var rules = [
      { id: 'full-name', check: function (v) { return v ? '' : 'Full name is required.'; } },
      { id: 'contact-email', check: function (v) { return !v ? 'Email is required.' : EMAIL_RE.test(v) ? '' : 'Enter a valid email address.'; } },
      { id: 'street', check: function (v) { return v ? '' : 'Street address is required.'; } },
      { id: 'city', check: function (v) { return v ? '' : 'City is required.'; } },
      { id: 'postal-code', check: function (v) { return !v ? 'Postal code is required.' : /^\d{5}$/.test(v) ? '' : 'Postal code must be 5 digits.'; } },
      { id: 'country-code', check: function (v) { return v ? '' : 'Select a country.'; } },
    ];

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var errors = 0;
      var firstInvalid = null;
      rules.forEach(function (rule) {
        var input = $('#' + rule.id);
        var message = rule.check(input.value.trim());
        var error = $('#' + rule.id + '-error');
        error.textContent = message;
        if (message) error.setAttribute('role', 'alert');
        else error.removeAttribute('role');
        input.setAttribute('aria-invalid', message ? 'true' : 'false');
        if (message) {
          errors++;
          if (!firstInvalid) firstInvalid = input;
        }
      });
      var summary = $('#form-errors');
      if (errors) {
        summary.textContent = 'Please fix ' + errors + (errors === 1 ? ' error' : ' errors') + ' before placing your order.';
        summary.hidden = false;
        firstInvalid.focus();
        return;
      }
      summary.hidden = true;
      var seq = read(KEYS.seq, 1000) + 1;
      write(KEYS.seq, seq);
      var subtotal = cartSubtotal(cart);
      var order = {
        id: 'ORD-' + seq,
        items: cart.map(function (line) { var p = findProduct(line.id); return { name: p.name, qty: line.qty, price: p.price }; }),
        subtotal: subtotal,
        shipping: shippingPrice(),
        total: subtotal + shippingPrice(),
        name: $('#full-name').value.trim(),
        email: $('#contact-email').value.trim(),
        city: $('#city').value.trim(),
        method: shippingPrice() ? 'Express' : 'Standard',
      };
      write('shop.order', order);
      write(KEYS.cart, []);
      location.href = '/confirmation?order=' + encodeURIComponent(order.id);
    });
  }

  // ---------- confirmation ----------
  function initConfirmation() {
    var order = read(KEYS.order, null);
    var wanted = new URLSearchParams(location.search).get('order');
    var container = $('#order-confirmation');
    if (!order || (wanted && wanted !== order.id)) {
      container.innerHTML = '<h1>No recent order</h1><p>We could not find that order. <a href="/products">Continue shopping</a></p>';
      return;
    }
    container.innerHTML =
      '<h1>Thank you for your order!</h1>' +
      '<dl class="order-facts">' +
      '<dt>Order number</dt><dd data-testid="order-number">' + escapeHtml(order.id) + '</dd>' +
      '<dt>Confirmation sent to</dt><dd class="confirmation-email">' + escapeHtml(order.email) + '</dd>' +
      '<dt>Shipping to</dt><dd><span class="ship-to">' + escapeHtml(order.name + ', ' + order.city) + '</span> (' + order.method + ')</dd>' +
      '<dt>Total paid</dt><dd><strong id="total-paid">' + money(order.total) + '</strong></dd>' +
      '</dl>' +
      '<ul class="confirmation-items">' + order.items.map(function (item) {
        return '<li>' + escapeHtml(item.name) + ' × ' + item.qty + '</li>';
      }).join('') + '</ul>' +
      '<a class="button" href="/products">Continue shopping</a>';
  }

  // ---------- boot ----------
  renderHeader();
  var pages = {
    signin: initSignIn,
    products: initProducts,
    product: initProduct,
    cart: initCart,
    checkout: initCheckout,
    confirmation: initConfirmation,
  };
  var init = pages[document.body.getAttribute('data-page')];
  if (init) init();
  document.body.setAttribute('data-ready', 'true');
})();
