// The tickets' service worker, at /ticket-sw.js with the scope /tickets/: a ticket page opened
// once reopens with no network (a basement, a queue, a phone in flight mode). Network first,
// so the ticket is always the newest when there is a network (a cancelled ticket says so at
// once); the kept copy when the network fails or is too slow. It keeps only what the ticket
// page itself put in its cache (public/ticket.js): each ticket under its own private address,
// never served at another, and gone once the server says the ticket is no more.
const CACHE = 'etape-tickets-v1';
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(networkFirst(event.request, url.pathname));
});

async function networkFirst(request, path) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(path);
  // Not a ticket's file: the network alone, however slow.
  if (!kept) return fetch(request);
  try {
    const response = await withTimeout(fetch(request), NETWORK_WAIT_MS);
    if (response.ok) await cache.put(path, response.clone());
    // The link is no longer valid: the device forgets the ticket.
    if (response.status === 404) await cache.delete(path);
    return response;
  } catch {
    return kept;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the network is too slow')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
