// The door scanner: the camera, the screen, and the queue of check-ins made offline.
//
// What a code *is* (a real ticket of this stage, of another stage, or nothing) and, offline,
// whether its holder comes in, is decided by the WebAssembly (`door/src/lib.rs`), with the
// server's own rules. Online, every real ticket goes to `POST /api/v1/checkins`, which decides
// for all doors at once. Offline, the door decides on what it last heard from the server, keeps
// each scan in IndexedDB with its own id and sends it when the network returns: the server
// counts an id once, so a resend never doubles a check-in.
import init, { Door, decide, decode_frame } from './door.js';

const $ = (id) => document.getElementById(id);
const words = JSON.parse($('door-words').textContent);
const lang = document.documentElement.lang || 'fr';

const SECRET_KEY = 'etape-door-secret';
const REFRESH_MS = 5000;
const REQUEST_TIMEOUT_MS = 4000;
const RESULT_MS = 1400;
// The same code held in front of the camera counts once, until it has been away this long.
const SAME_CODE_MS = 3000;
const FRAME_WIDTH = 640;

let secret = null;
let state = null; // the last `GET /api/v1/door`
let door = null; // the WebAssembly `Door`, from `state`
let online = navigator.onLine;
let revoked = false;
let queue = []; // scans made offline, oldest first, as stored
let localConflicts = [];
let lastCode = null;
let lastSeen = 0;
let resultTimer = null;
let syncing = false;

// --- words --------------------------------------------------------------------------------

function say(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? String(values[key]) : ''));
}

function timeOf(iso) {
  if (!iso) return '';
  const options = { hour: '2-digit', minute: '2-digit' };
  if (state?.stage?.time_zone) options.timeZone = state.stage.time_zone;
  try {
    return new Intl.DateTimeFormat(lang, options).format(new Date(iso));
  } catch {
    return new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  }
}

function fold(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// --- storage: IndexedDB, so that a reload or a closed tab loses nothing ---------------------

let dbPromise = null;
function database() {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open('etape-door', 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('queue', { keyPath: 'id' });
      request.result.createObjectStore('state');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return dbPromise;
}

async function store(name, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const result = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(result?.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const saveState = (value) => store('state', 'readwrite', (s) => s.put(value, secret));
const loadState = () => store('state', 'readonly', (s) => s.get(secret));
const enqueue = (item) => store('queue', 'readwrite', (s) => s.put(item));
const dequeue = (id) => store('queue', 'readwrite', (s) => s.delete(id));
async function loadQueue() {
  const all = (await store('queue', 'readonly', (s) => s.getAll())) ?? [];
  return all.filter((item) => item.secret === secret).sort((a, b) => a.seq - b.seq);
}

// --- the server -------------------------------------------------------------------------------

class Unauthorised extends Error {}
// The server understood the scan and will never take it (a 4xx other than 401, 408 or 429):
// sending it again would only block the queue behind it.
class Refused extends Error {}

async function api(path, body) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(path, {
      method: body ? 'POST' : 'GET',
      headers: {
        Authorization: `Bearer ${secret}`,
        Accept: 'application/json',
        'Accept-Language': lang,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) throw new Unauthorised();
    const transient = response.status >= 500 || response.status === 408 || response.status === 429;
    if (!response.ok && !transient) {
      setOnline(true);
      throw new Refused(`HTTP ${response.status}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    setOnline(true);
    return await response.json();
  } catch (error) {
    if (!(error instanceof Unauthorised || error instanceof Refused)) setOnline(false);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function setOnline(value) {
  online = value;
  renderStatus();
}

function linkRevoked() {
  revoked = true;
  notice(words.revoked);
  stopCamera();
  document.body.classList.add('door-revoked');
}

async function refresh() {
  if (revoked) return;
  try {
    useState(await api('/api/v1/door'));
    await saveState(state);
  } catch (error) {
    if (error instanceof Unauthorised) linkRevoked();
  }
}

function useState(next) {
  if (!state) notice('');
  state = next;
  door = new Door(state.stage.id, state.keys);
  $('door-title').textContent = `${state.stage.city} · ${state.door}`;
  if (state.stage.cancelled) notice(words.stage_cancelled);
  renderStatus();
  renderPeople();
  document.body.dataset.door = 'ready';
}

// --- deciding a scan ----------------------------------------------------------------------------

function attendee(registration) {
  return state?.attendees.find((person) => person.registration === registration);
}

// A code from the camera or the keyboard.
async function scanCode(code) {
  if (!door || revoked) return;
  const reading = door.read(code);
  if (reading.kind === 'invalid') {
    show({ result: 'invalid' });
    return;
  }
  if (reading.kind === 'short_code') {
    // Typed from under a QR code that would not scan: its holder is in the door's list.
    const person = state?.attendees.find((one) => one.short_code === reading.id);
    await submit({ code }, person?.registration ?? null, 'invalid');
    return;
  }
  await submit({ code }, reading.kind === 'this_stage' ? reading.id : null);
}

// Asks the server, or decides here when it cannot be reached, and keeps what was decided here.
// `unknown` is what a code naming no registrant of this stage shows offline.
async function submit(target, registration, unknown = 'wrong_stage') {
  const scan = { ...target, id: randomId(), scanned_at: new Date().toISOString() };
  if (online) {
    try {
      const answer = await api('/api/v1/checkins', scan);
      learn(registration, answer);
      show(answer);
      return;
    } catch (error) {
      if (error instanceof Unauthorised) return linkRevoked();
      if (error instanceof Refused) return show({ result: 'invalid' });
    }
  }
  const answer = decideHere(registration, unknown);
  // The same id as the request that may have reached the server: it counts once.
  const item = { ...scan, door_result: answer.result, ticket: registration, secret, seq: Date.now() };
  queue.push(item);
  await enqueue(item);
  renderStatus();
  show(answer);
}

function decideHere(registration, unknown) {
  if (!registration) return { result: unknown };
  const person = attendee(registration);
  const earlier = queue.find((item) => item.ticket === registration && item.door_result === 'admitted');
  const checkedIn = Boolean(person?.checked_in_at) || Boolean(earlier);
  const result = decide(person?.status ?? '', Boolean(state.stage.cancelled), checkedIn);
  return {
    result,
    attendee: person ? { name: person.name } : undefined,
    checked_in_at: person?.checked_in_at ?? earlier?.scanned_at,
    door: person?.door ?? (earlier ? state.door : undefined),
  };
}

// What the server said of a ticket, kept until the next refresh brings it.
function learn(registration, answer) {
  // The counters move at once, not at the next refresh.
  if (answer.result === 'admitted' && state) {
    state.counts.checked_in += 1;
    const here = state.counts.doors.find((d) => d.door === state.door);
    if (here) here.checked_in += 1;
    renderStatus();
  }
  const person = registration && attendee(registration);
  if (person && answer.checked_in_at) {
    person.checked_in_at = answer.checked_in_at;
    person.door = answer.door;
  }
}

// --- sending what was decided offline -------------------------------------------------------

async function sync() {
  if (syncing || revoked || !queue.length) return;
  syncing = true;
  try {
    while (queue.length) {
      const item = queue[0];
      const { secret: _secret, seq: _seq, ticket, ...scan } = item;
      const answer = await api('/api/v1/checkins', scan).catch((error) => {
        if (error instanceof Refused) return null;
        throw error;
      });
      if (!answer) {
        await dequeue(item.id);
        queue.shift();
        continue;
      }
      if (item.door_result === 'admitted' && answer.result === 'already_checked_in') {
        localConflicts.push({ name: answer.attendee?.name ?? '', first: answer, at: item.scanned_at });
      }
      learn(ticket, answer);
      await dequeue(item.id);
      queue.shift();
      renderStatus();
    }
    await refresh();
  } catch (error) {
    if (error instanceof Unauthorised) linkRevoked();
  } finally {
    syncing = false;
  }
}

// --- the screen ---------------------------------------------------------------------------------

const TONE = {
  admitted: 'go',
  already_checked_in: 'warn',
  wrong_stage: 'stop',
  cancelled: 'stop',
  waitlisted: 'stop',
  invalid: 'stop',
};

function show(answer) {
  const result = answer.result in TONE ? answer.result : 'invalid';
  const box = $('door-result');
  box.dataset.tone = TONE[result];
  box.dataset.result = result;
  $('door-result-word').textContent = words[result];
  const name = answer.attendee?.name;
  $('door-result-name').textContent = result === 'invalid' || result === 'wrong_stage' ? '' : (name ?? words.unknown_name);
  let detail = '';
  if (result === 'already_checked_in') detail = say(words.already_detail, { time: timeOf(answer.checked_in_at), door: answer.door ?? '' });
  else if (result === 'wrong_stage' && answer.stage?.city) detail = say(words.wrong_stage_detail, { city: answer.stage.city });
  else if (result === 'invalid') detail = words.invalid_detail;
  $('door-result-detail').textContent = detail;
  box.hidden = false;
  // The last result stays in the bar, for whoever looked away when it covered the screen.
  const last = $('door-last');
  last.dataset.result = result;
  last.textContent = [words[result], $('door-result-name').textContent, detail].filter(Boolean).join(' · ');
  signal(TONE[result]);
  clearTimeout(resultTimer);
  resultTimer = setTimeout(hideResult, RESULT_MS);
}

function hideResult() {
  $('door-result').hidden = true;
}

let audio = null;
function signal(tone) {
  const pattern = { go: [[880, 0.15]], warn: [[660, 0.12], [660, 0.12]], stop: [[220, 0.45]] }[tone];
  navigator.vibrate?.(tone === 'go' ? 80 : [200, 80, 200]);
  try {
    audio ??= new AudioContext();
    let at = audio.currentTime;
    for (const [frequency, length] of pattern) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      oscillator.type = tone === 'stop' ? 'square' : 'sine';
      gain.gain.setValueAtTime(0.25, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + length);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + length);
      at += length + 0.06;
    }
  } catch {
    // No sound on this browser: colour, words and vibration remain.
  }
}

function notice(text) {
  const box = $('door-notice');
  box.textContent = text;
  box.hidden = !text;
}

function renderStatus() {
  const status = $('door-online');
  status.dataset.state = online ? 'online' : 'offline';
  status.textContent = online ? words.online : words.offline;
  $('door-pending').textContent = say(words.pending, { count: queue.length });
  $('door-pending').dataset.count = String(queue.length);
  if (!state) return;
  const pendingIn = queue.filter((item) => item.door_result === 'admitted').length;
  $('door-count').textContent = say(words.counter, {
    count: state.counts.checked_in + pendingIn,
    of: state.counts.confirmed,
  });
  const perDoor = $('door-per-door');
  perDoor.replaceChildren(
    ...state.counts.doors.map((d) => {
      const li = document.createElement('li');
      const here = d.door === state.door ? pendingIn : 0;
      li.textContent = `${d.door} — ${say(words.door_count, { count: d.checked_in + here })}`;
      return li;
    }),
  );
  const conflicts = [
    ...state.conflicts.map((c) =>
      say(words.conflict_line, { name: c.name, time: timeOf(c.checked_in_at), door: c.door, other_time: timeOf(c.also_at), other_door: c.also_door }),
    ),
    ...localConflicts
      .filter((c) => !state.conflicts.some((s) => s.name === c.name))
      .map((c) => say(words.conflict_line, { name: c.name, time: timeOf(c.first.checked_in_at), door: c.first.door ?? '', other_time: timeOf(c.at), other_door: state.door })),
  ];
  $('door-conflicts').hidden = conflicts.length === 0;
  $('door-conflict-list').replaceChildren(
    ...conflicts.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
}

function renderPeople() {
  const list = $('door-people');
  const query = fold($('door-search').value.trim());
  if (!state || !query) {
    list.replaceChildren();
    return;
  }
  const found = state.attendees.filter((person) => fold(person.name).includes(query)).slice(0, 20);
  if (!found.length) {
    const li = document.createElement('li');
    li.className = 'door-none';
    li.textContent = words.search_none;
    list.replaceChildren(li);
    return;
  }
  list.replaceChildren(
    ...found.map((person) => {
      const li = document.createElement('li');
      const name = document.createElement('strong');
      name.textContent = person.name;
      const status = document.createElement('span');
      status.className = 'door-person-status';
      status.textContent = person.checked_in_at
        ? say(words.status_checked_in, { time: timeOf(person.checked_in_at) })
        : words[`status_${person.status}`];
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = words.let_in;
      button.setAttribute('aria-label', `${words.let_in} ${person.name}`);
      button.addEventListener('click', () => submit({ registration: person.registration }, person.registration).then(renderPeople));
      li.append(name, status, button);
      return li;
    }),
  );
}

// --- the camera -------------------------------------------------------------------------------

let stream = null;
let frameTimer = null;

async function startCamera() {
  const aim = $('door-aim');
  if (!navigator.mediaDevices?.getUserMedia) {
    aim.textContent = words.camera_absent;
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    aim.textContent = error?.name === 'NotAllowedError' ? words.camera_refused : words.camera_absent;
    document.body.classList.add('door-no-camera');
    return;
  }
  const video = $('door-video');
  video.srcObject = stream;
  await video.play().catch(() => {});
  aim.textContent = words.aim;
  scanFrames(video);
}

function stopCamera() {
  clearTimeout(frameTimer);
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
}

function scanFrames(video) {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const tick = () => {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth && door) {
      const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = decode_frame(new Uint8Array(frame.data.buffer), canvas.width, canvas.height);
      if (code) onCameraCode(code);
    }
    frameTimer = setTimeout(tick, 60);
  };
  tick();
}

function onCameraCode(code) {
  const now = Date.now();
  const same = code === lastCode && now - lastSeen < SAME_CODE_MS;
  lastCode = code;
  lastSeen = now;
  if (!same) scanCode(code);
}

async function keepAwake() {
  try {
    await navigator.wakeLock?.request('screen');
  } catch {
    // Not granted (battery saver, or not visible): the phone's own settings decide.
  }
}

// --- start ----------------------------------------------------------------------------------

async function start() {
  const fromLink = location.hash.slice(1);
  if (fromLink.startsWith('door_')) {
    localStorage.setItem(SECRET_KEY, fromLink);
    // Out of the address bar, screenshots and the history: the phone keeps it.
    history.replaceState(null, '', location.pathname);
  }
  secret = localStorage.getItem(SECRET_KEY);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/door-sw.js', { scope: '/door' }).catch(() => {});
  }
  if (!secret) {
    notice(words.no_link);
    $('door-aim').textContent = words.no_link;
    return;
  }
  await init({ module_or_path: new URL('./door.wasm', import.meta.url) });
  queue = await loadQueue();
  const kept = await loadState().catch(() => null);
  if (kept) useState(kept);
  renderStatus();
  await refresh();
  if (revoked) return;
  if (!state) {
    // Never online with this link yet: nothing to decide with.
    setOnline(false);
    notice(words.no_state);
  }

  $('door-search').addEventListener('input', renderPeople);
  $('door-search-form').addEventListener('submit', (event) => event.preventDefault());
  $('door-code-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('door-code');
    const code = input.value.trim();
    if (code) scanCode(code).then(() => (input.value = ''));
  });
  $('door-result-next').addEventListener('click', hideResult);
  // Sound may only start after a touch on some phones.
  document.addEventListener('pointerdown', () => audio?.resume?.(), { passive: true });
  window.addEventListener('online', () => {
    setOnline(true);
    sync();
  });
  window.addEventListener('offline', () => setOnline(false));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') keepAwake();
  });
  setInterval(() => (queue.length ? sync() : refresh()), REFRESH_MS);
  keepAwake();
  sync();
  startCamera();
}

start();
