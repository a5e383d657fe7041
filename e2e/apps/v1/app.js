// Demo shop v1: shared state (localStorage) and per-page behaviour.
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
    var header = $('#site-header');
    if (!header) return;
    var user = currentUser();
    var auth = user
      ? '<span class="user-menu" data-testid="user-menu">Signed in as ' + escapeHtml(user.email) + '</span>' +
        '<button type="button" id="sign-out" class="link-button">Sign out</button>'
      : '<a href="/signin" id="sign-in-link">Sign in</a>';
    header.innerHTML =
      '<a class="brand" href="/">Medic Shop</a>' +
      '<nav class="main-nav" aria-label="Main">' +
      '<a href="/products" class="nav-link">Products</a>' +
      '<a href="/cart" class="nav-link" id="cart-link">Cart <span id="cart-count" class="badge">0</span></a>' +
      '<span class="auth">' + auth + '</span>' +
      '</nav>';
    var signOut = $('#sign-out');
    if (signOut) {
      signOut.addEventListener('click', function () {
        localStorage.removeItem(KEYS.user);
        renderHeader();
      });
    }
    renderCartCount();
  }
  function renderCartCount() {
    var badge = $('#cart-count');
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
    var form = $('#signin-form');
    var email = $('#signin-email');
    var password = $('#signin-password');
    var emailError = $('#email-error');
    var passwordError = $('#password-error');
    var failure = $('#signin-error');
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
    var search = $('#search');
    var category = $('#category-filter');
    var inStock = $('#in-stock-filter');
    var sort = $('#sort-select');
    var list = $('#product-list');
    var count = $('#result-count');
    var empty = $('#no-results');

    CATEGORIES.forEach(function (c) {
      var option = document.createElement('option');
      option.value = c.value;
      option.textContent = c.label;
      category.appendChild(option);
    });

    var params = new URLSearchParams(location.search);
    search.value = params.get('q') || '';
    category.value = params.get('category') || '';
    inStock.checked = params.get('inStock') === '1';
    sort.value = params.get('sort') || 'featured';
    if (!sort.value) sort.value = 'featured';

    function apply() {
      var q = search.value.trim().toLowerCase();
      var items = PRODUCTS.filter(function (p) {
        if (q && (p.name + ' ' + p.description).toLowerCase().indexOf(q) === -1) return false;
        if (category.value && p.category !== category.value) return false;
        if (inStock.checked && !p.inStock) return false;
        return true;
      });
      if (sort.value === 'price-asc') items.sort(function (a, b) { return a.price - b.price; });
      if (sort.value === 'price-desc') items.sort(function (a, b) { return b.price - a.price; });
      if (sort.value === 'rating') items.sort(function (a, b) { return b.rating - a.rating; });

      list.innerHTML = items.map(function (p) {
        return '<li class="product-card" data-testid="product-card" data-product-id="' + p.id + '">' +
          '<div class="thumb" aria-hidden="true">' + escapeHtml(p.name.charAt(0)) + '</div>' +
          '<h3 class="product-name"><a href="/product?id=' + p.id + '">' + escapeHtml(p.name) + '</a></h3>' +
          '<p class="product-category">' + escapeHtml(categoryLabel(p.category)) + '</p>' +
          '<p class="product-price">' + money(p.price) + '</p>' +
          '<p class="stock ' + (p.inStock ? 'in-stock">In stock' : 'out-of-stock">Out of stock') + '</p>' +
          '<button type="button" class="add-to-cart" data-id="' + p.id + '"' + (p.inStock ? '' : ' disabled') + '>Add to cart</button>' +
          '</li>';
      }).join('');
      count.textContent = items.length + (items.length === 1 ? ' product' : ' products');
      empty.hidden = items.length !== 0;

      var next = new URLSearchParams();
      if (search.value.trim()) next.set('q', search.value.trim());
      if (category.value) next.set('category', category.value);
      if (inStock.checked) next.set('inStock', '1');
      if (sort.value !== 'featured') next.set('sort', sort.value);
      var qs = next.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : ''));
    }

    list.addEventListener('click', function (event) {
      var button = event.target.closest('button.add-to-cart');
      if (!button) return;
      var product = findProduct(button.getAttribute('data-id'));
      addToCart(product.id, 1);
      showToast('Added 1 × ' + product.name + ' to your cart.');
    });
    search.addEventListener('input', apply);
    category.addEventListener('change', apply);
    inStock.addEventListener('change', apply);
    sort.addEventListener('change', apply);
    $('#filters').addEventListener('submit', function (event) { event.preventDefault(); apply(); });
    $('#clear-filters').addEventListener('click', function () {
      search.value = '';
      category.value = '';
      inStock.checked = false;
      sort.value = 'featured';
      apply();
    });
    apply();
  }

  // ---------- product detail ----------
  function initProduct() {
    var id = new URLSearchParams(location.search).get('id');
    var product = findProduct(id);
    var container = $('#product-detail');
    if (!product) {
      document.title = 'Product not found · Medic Shop';
      container.innerHTML = '<h1>Product not found</h1><p>We could not find that product. <a href="/products">Back to products</a></p>';
      return;
    }
    document.title = product.name + ' · Medic Shop';
    container.innerHTML =
      '<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/products">Products</a> / ' +
      '<a href="/products?category=' + product.category + '">' + escapeHtml(categoryLabel(product.category)) + '</a></nav>' +
      '<div class="detail-grid">' +
      '<div class="thumb large" aria-hidden="true">' + escapeHtml(product.name.charAt(0)) + '</div>' +
      '<div class="detail-info">' +
      '<h1 id="product-title">' + escapeHtml(product.name) + '</h1>' +
      '<p class="detail-price" data-testid="product-price">' + money(product.price) + '</p>' +
      '<p class="stock ' + (product.inStock ? 'in-stock">In stock' : 'out-of-stock">Out of stock') + '</p>' +
      '<p class="description">' + escapeHtml(product.description) + '</p>' +
      '<form id="add-form" class="add-form" novalidate>' +
      '<label for="quantity">Quantity</label>' +
      '<input id="quantity" name="quantity" type="number" min="1" max="10" value="1"' + (product.inStock ? '' : ' disabled') + '>' +
      '<button type="submit" id="add-to-cart" class="primary"' + (product.inStock ? '' : ' disabled') + '>Add to cart</button>' +
      '</form>' +
      '<p class="form-error" id="quantity-error"></p>' +
      '</div></div>';
    $('#add-form').addEventListener('submit', function (event) {
      event.preventDefault();
      var qty = parseInt($('#quantity').value, 10);
      if (!(qty >= 1 && qty <= 10)) {
        $('#quantity-error').textContent = 'Choose a quantity from 1 to 10.';
        return;
      }
      $('#quantity-error').textContent = '';
      addToCart(product.id, qty);
      showToast('Added ' + qty + ' × ' + product.name + ' to your cart.');
    });
  }

  // ---------- cart ----------
  function initCart() {
    var table = $('#cart-table');
    var body = $('#cart-table tbody');
    var empty = $('#cart-empty');
    var summary = $('#cart-summary');

    function renderTotals() {
      var cart = getCart();
      $('#cart-subtotal').textContent = money(cartSubtotal(cart));
      $('#cart-items-count').textContent = cartCount() + (cartCount() === 1 ? ' item' : ' items');
    }
    function render() {
      var cart = getCart();
      empty.hidden = cart.length !== 0;
      table.hidden = cart.length === 0;
      summary.hidden = cart.length === 0;
      body.innerHTML = cart.map(function (line) {
        var p = findProduct(line.id);
        return '<tr class="cart-row" data-id="' + p.id + '">' +
          '<td class="item-name"><a href="/product?id=' + p.id + '">' + escapeHtml(p.name) + '</a></td>' +
          '<td class="item-price">' + money(p.price) + '</td>' +
          '<td><input class="qty-input" type="number" min="1" max="10" value="' + line.qty + '" aria-label="Quantity for ' + escapeHtml(p.name) + '"></td>' +
          '<td class="line-total">' + money(p.price * line.qty) + '</td>' +
          '<td><button type="button" class="remove-item">Remove</button></td>' +
          '</tr>';
      }).join('');
      renderTotals();
    }
    body.addEventListener('input', function (event) {
      var input = event.target.closest('input.qty-input');
      if (!input) return;
      var qty = parseInt(input.value, 10);
      if (!(qty >= 1 && qty <= 10)) return;
      var row = input.closest('tr');
      var id = row.getAttribute('data-id');
      var cart = getCart();
      cart.forEach(function (line) { if (line.id === id) line.qty = qty; });
      saveCart(cart);
      $('.line-total', row).textContent = money(findProduct(id).price * qty);
      renderTotals();
    });
    body.addEventListener('click', function (event) {
      var button = event.target.closest('button.remove-item');
      if (!button) return;
      var id = button.closest('tr').getAttribute('data-id');
      saveCart(getCart().filter(function (line) { return line.id !== id; }));
      render();
    });
    render();
  }

  // ---------- checkout ----------
  function initCheckout() {
    var cart = getCart();
    var form = $('#checkout-form');
    if (cart.length === 0) {
      form.hidden = true;
      $('#checkout-empty').hidden = false;
      return;
    }
    var user = currentUser();
    if (user) $('#email').value = user.email;

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
      $('#summary-shipping').textContent = shippingPrice() ? money(shippingPrice()) : 'Free';
      $('#order-total').textContent = money(subtotal + shippingPrice());
    }
    $all('input[name="shipping"]').forEach(function (radio) { radio.addEventListener('change', renderSummary); });
    renderSummary();

    var rules = [
      { id: 'fullName', check: function (v) { return v ? '' : 'Full name is required.'; } },
      { id: 'email', check: function (v) { return !v ? 'Email is required.' : EMAIL_RE.test(v) ? '' : 'Enter a valid email address.'; } },
      { id: 'address', check: function (v) { return v ? '' : 'Street address is required.'; } },
      { id: 'city', check: function (v) { return v ? '' : 'City is required.'; } },
      { id: 'postalCode', check: function (v) { return !v ? 'Postal code is required.' : /^\d{5}$/.test(v) ? '' : 'Postal code must be 5 digits.'; } },
      { id: 'country', check: function (v) { return v ? '' : 'Select a country.'; } },
    ];

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var errors = 0;
      var firstInvalid = null;
      rules.forEach(function (rule) {
        var input = $('#' + rule.id);
        var message = rule.check(input.value.trim());
        $('#' + rule.id + '-error').textContent = message;
        input.setAttribute('aria-invalid', message ? 'true' : 'false');
        if (message) {
          errors++;
          if (!firstInvalid) firstInvalid = input;
        }
      });
      var summary = $('#error-summary');
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
        name: $('#fullName').value.trim(),
        email: $('#email').value.trim(),
        city: $('#city').value.trim(),
        method: shippingPrice() ? 'Express' : 'Standard',
      };
      write(KEYS.order, order);
      write(KEYS.cart, []);
      location.href = '/confirmation?order=' + encodeURIComponent(order.id);
    });
  }

  // ---------- confirmation ----------
  function initConfirmation() {
    var order = read(KEYS.order, null);
    var wanted = new URLSearchParams(location.search).get('order');
    var container = $('#confirmation');
    if (!order || (wanted && wanted !== order.id)) {
      container.innerHTML = '<h1>No recent order</h1><p>We could not find that order. <a href="/products">Continue shopping</a></p>';
      return;
    }
    container.innerHTML =
      '<h1>Thank you for your order!</h1>' +
      '<p class="order-ref">Order number: <strong id="order-number">' + escapeHtml(order.id) + '</strong></p>' +
      '<p>A confirmation email is on its way to <span id="confirmation-email">' + escapeHtml(order.email) + '</span>.</p>' +
      '<p>Shipping to <span id="ship-to">' + escapeHtml(order.name + ', ' + order.city) + '</span> (' + order.method + ').</p>' +
      '<ul class="confirmation-items">' + order.items.map(function (item) {
        return '<li>' + escapeHtml(item.name) + ' × ' + item.qty + '</li>';
      }).join('') + '</ul>' +
      '<p class="confirmation-total">Total paid: <strong id="confirmation-total">' + money(order.total) + '</strong></p>' +
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
