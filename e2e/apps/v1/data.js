// Demo shop catalogue. Prices are in US dollars.
window.SHOP_PRODUCTS = [
  { id: 'p1', name: 'Aurora Wireless Headphones', category: 'audio', price: 129, inStock: true, rating: 4.6,
    description: 'Over-ear headphones with active noise cancelling and 30 hours of battery life.' },
  { id: 'p2', name: 'Pulse Bluetooth Speaker', category: 'audio', price: 59, inStock: true, rating: 4.3,
    description: 'A splash-proof speaker that fills a room and fits in a backpack.' },
  { id: 'p3', name: 'Echo Studio Earbuds', category: 'audio', price: 89, inStock: false, rating: 4.1,
    description: 'True wireless earbuds with a pocket-sized charging case.' },
  { id: 'p4', name: 'Stride Fitness Watch', category: 'wearables', price: 199, inStock: true, rating: 4.5,
    description: 'GPS, heart rate and sleep tracking with a week of battery life.' },
  { id: 'p5', name: 'Nova Smart Ring', category: 'wearables', price: 249, inStock: false, rating: 4.0,
    description: 'A titanium ring that tracks activity, sleep and temperature.' },
  { id: 'p6', name: 'Orbit Sleep Band', category: 'wearables', price: 79, inStock: true, rating: 3.9,
    description: 'A soft headband with built-in speakers for falling asleep to audio.' },
  { id: 'p7', name: 'Lumen Desk Lamp', category: 'home', price: 45, inStock: true, rating: 4.7,
    description: 'A dimmable LED lamp with a warm-to-cool colour slider.' },
  { id: 'p8', name: 'Brew Pour-Over Kettle', category: 'home', price: 39, inStock: true, rating: 4.4,
    description: 'A gooseneck kettle for precise pour-over coffee.' },
  { id: 'p9', name: 'Cloud Linen Throw', category: 'home', price: 69, inStock: false, rating: 4.2,
    description: 'A stonewashed linen blanket that gets softer with every wash.' },
  { id: 'p10', name: 'Canvas Laptop Sleeve', category: 'accessories', price: 35, inStock: true, rating: 4.1,
    description: 'A padded waxed-canvas sleeve for 13 and 14 inch laptops.' },
  { id: 'p11', name: 'Volt Charging Dock', category: 'accessories', price: 49, inStock: true, rating: 4.0,
    description: 'Charges a phone, a watch and earbuds at the same time.' },
  { id: 'p12', name: 'Trail Water Bottle', category: 'accessories', price: 25, inStock: true, rating: 4.8,
    description: 'An insulated steel bottle that keeps drinks cold for 24 hours.' },
];

window.SHOP_CATEGORIES = [
  { value: 'audio', label: 'Audio' },
  { value: 'wearables', label: 'Wearables' },
  { value: 'home', label: 'Home' },
  { value: 'accessories', label: 'Accessories' },
];
