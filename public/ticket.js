// The ticket page's own script (no island: nothing here needs the app's WebAssembly). It keeps
// the open ticket for offline use, through /ticket-sw.js, and offers printing. Without it the
// page is whole: the browser's Print menu prints only the ticket (style/main.css, @media print).
const CACHE = 'etape-tickets-v1';
const page = location.pathname;

const print = document.querySelector('[data-print]');
if (print) {
  print.hidden = false;
  print.addEventListener('click', () => window.print());
}

// This ticket's page, its images and the stylesheet: what reopening it offline needs.
function ticketFiles() {
  const files = [page, '/ticket.js'];
  for (const img of document.querySelectorAll('.ticket img')) files.push(new URL(img.src).pathname);
  for (const link of document.querySelectorAll('link[rel="stylesheet"]')) files.push(new URL(link.href).pathname);
  return files;
}

async function keep() {
  if (!document.querySelector('.ticket img')) {
    // Cancelled or waiting: nothing to show at a door, so nothing is kept.
    await forget();
    return;
  }
  const cache = await caches.open(CACHE);
  await cache.addAll(ticketFiles());
  const note = document.querySelector('[data-offline]');
  if (note) note.hidden = false;
}

// Drops this ticket (and only this one) from the device.
async function forget() {
  const cache = await caches.open(CACHE);
  const prefix = `${page}/`;
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path === page || path.startsWith(prefix)) await cache.delete(request);
  }
}

if ('serviceWorker' in navigator && 'caches' in window) {
  navigator.serviceWorker
    .register('/ticket-sw.js', { scope: '/tickets/' })
    .then(() => navigator.serviceWorker.ready)
    .then(keep)
    .catch(() => {});
  const button = document.querySelector('[data-forget]');
  button?.addEventListener('click', async () => {
    await forget();
    document.querySelector('[data-offline]').hidden = true;
    const done = document.querySelector('[data-forgotten]');
    done.hidden = false;
    done.focus();
  });
}
