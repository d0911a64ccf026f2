// MeshMessenger web app (docs/gateway.md §6). Your identity lives in this browser: a node of the same C# protocol core
// compiled to WebAssembly (meshnode.js) makes and keeps the keys, talks to the mesh over a WebSocket (link.js) and
// stores what it needs in IndexedDB, the secret wrapped by a non-extractable key (keystore.js). The gateway only relays.
// Demo devices, which the gateway emulates and anyone may act as, are viewed through the gateway's REST API.
// Everything shown is built with DOM calls (never innerHTML with data), so message text cannot inject markup.
//
// Stable hooks for tests (ids unless marked):
//   body[data-ready=true], body[data-mode=self|demo|welcome|locked], body[data-me=<node id>], body[data-link=up|down]
//   header: #who (identity picker), #identity-open, #demo-banner, #restore-status, #gateway-line
//   welcome: #create-name, #create-passphrase, #create-submit, #restore-code, #restore-name, #restore-passphrase,
//            #restore-submit, #restore-camera, #restore-image, #demo-list, #migrate-offer, #migrate-submit
//   backup code at creation: #backup-dialog, #backup-code, #backup-written, #backup-done
//   identity dialog: #identity-dialog, #identity-id, #identity-show-code, #identity-confirm, #identity-passphrase,
//            #identity-reveal, #identity-code, #identity-forget, #identity-forget-confirm, #identity-close
//   unlock: #unlock-dialog, #unlock-passphrase, #unlock-submit, #unlock-demo
//   chats: #message, #send, li.bubble[data-seq] (.pending while queued), .state[data-state] (waiting|sending|sent|relayed|delivered|read)
//   channels: #channel-name, #channel-invite, #invite-qr, #invite-text, #invite-copy, #channel-text, #channel-photo, #channel-post
//   feed: #feed-text, #feed-photo, #feed-post, article.post[data-author][data-seq]
//   wallet: #wallet-balances li[data-chain][data-token] .amount[data-units], #wallet-refresh, #send-asset, #send-to,
//            #send-amount, #send-submit, #send-error, #send-scan, #send-scan-image, #receive-asset, #receive-amount,
//            #receive-qr, #receive-address, #receive-uri, #receive-new, #receive-status, #wallet-history li.payment[data-kind][data-stage][data-txid] .stage,
//            #token-chain, #token-contract, #token-symbol, #token-decimals, #token-add
//   confirmation: #pay-confirm, #confirm-to, #confirm-amount, #confirm-fee, #confirm-chain, #confirm-ok, #confirm-cancel
//   tip: article.post button "Tip", #tip, #tip-asset, #tip-amount, #tip-submit, #tip-error, .tips[data-tips][data-tips-pending]
//   contacts: #my-qr, #my-card, #my-qr-download, #qr-image, #card-text
//   provision: #device-name, #device-restore, #device-restore-phrase, #device-bundle-download, #device-card-qr;  proofs: #proof;  toast: #toast

import { openKeystore } from './keystore.js';
import { startLink, settleRestore } from './link.js';
import { qrSvg, qrPng } from './qr.js';
import { shrinkPhoto, WEBP } from './photo.js';

const state = {
  gateway: null,
  devices: [],       // demo devices [{ id, name }]
  mode: 'welcome',   // self: this browser's identity; demo: a demo device; welcome: no identity yet; locked: passphrase needed
  me: null,          // node id being viewed
  ks: null,          // keystore
  identity: null,    // { id, name, hasPassphrase, ... } or null
  node: null,        // the open MeshNode, or null
  nodeError: null,   // why the browser node could not start
  link: null,
  linkUp: false,
  restoring: false,
  outbox: [],        // [{ key, item }]
  view: null,        // { refresh() }
  generation: 0,     // bumped on every identity switch; a render of an older generation is dropped
};

// ---------- small helpers ----------
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** The gateway could not be reached (offline, restarting): the write waits in the outbox instead of failing. */
class OfflineError extends Error {}

async function api(path, options = {}) {
  let response;
  try { response = await fetch('/api' + path, options); } catch {
    throw new OfflineError('The gateway cannot be reached right now.');
  }
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    if (response.status === 503 && body && body.title === 'offline') throw new OfflineError(body.detail);
    const error = new Error((body && (body.detail || body.title)) || `The gateway answered ${response.status} ${response.statusText}.`);
    error.status = response.status;
    throw error;
  }
  return body;
}

const post = (path, data) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 4000);
}

function when(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

function ago(seconds) {
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

const initials = name => (name || '?').trim().split(/\s+/).map(w => w[0]).join('').slice(0, 2).toUpperCase();
const bytes = text => new TextEncoder().encode(text).length;
const toBase64 = u8 => btoa(Array.from(u8, b => String.fromCharCode(b)).join(''));
const fromBase64 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const STATE_WORDS = { waiting: 'Waiting for the mesh', sending: 'Sending', sent: 'Sent', relayed: 'Relayed', delivered: 'Delivered', read: 'Read' };
const STATE_MARKS = { waiting: '○', sending: '…', sent: '✓', relayed: '✓↗', delivered: '✓✓', read: '✓✓' };

// Refreshes come with every live event; rebuilding a list the pointer or the keyboard is on would swallow a
// click (mousedown and mouseup on different nodes) or drop focus, so a container is rebuilt only when its data changed.
function renderIfChanged(container, data, build) {
  const signature = JSON.stringify(data);
  if (container.dataset.signature === signature) return false;
  container.dataset.signature = signature;
  container.replaceChildren(...build());
  return true;
}

function setView(title, ...children) {
  const main = document.getElementById('view');
  main.replaceChildren(h('h1', { text: title }), ...children);
  document.title = `${title} · MeshMessenger`;
}

/** A table cell that names its column, so a phone can show each row as a small card (app.css). */
const td = (label, ...children) => h('td', { 'data-label': label }, ...children);

function errorCard(e) {
  return h('p', { class: 'card bad', role: 'alert' }, plain(e));
}

/** Words a person can act on; a browser's raw network message ("Failed to fetch") never reaches the page. */
function plain(e) {
  const text = (e && e.message) || String(e);
  return /failed to fetch|networkerror|load failed/i.test(text) ? 'The gateway cannot be reached right now.' : text;
}

// ---------- the browser node ----------
let meshModule = null;
async function bootNode() {
  if (!meshModule) {
    // Once booted, every /_framework/ file the boot fetched goes to the worker again: on a first visit the boot
    // races the worker's activation, and a file fetched past the worker (dotnet.js first) would be missing offline.
    meshModule = import('./meshnode.js').then(m => m.bootNode()).then(api => { handFrameworkToWorker(); return api; });
  }
  try { return await meshModule; } catch (e) {
    meshModule = null;
    throw new Error(`The messenger could not start in this browser: ${plain(e)}`);
  }
}

/** After every node call that writes: keep what it stored (IndexedDB) and send what it queued (the link). */
async function persist() {
  const node = state.node;
  if (!node) return;
  const blob = node.takeNewEntries();
  if (blob && blob.length) await state.ks.appendEntries(blob);
  state.link?.flush();
}

async function saveBook() {
  const s = state.node.state();
  await state.ks.setChannels(s.channels.map(c => c.invite));
}

/** Opens this browser's identity: unwraps the backup code, boots and opens the node, connects the link. */
async function openSelf(passphrase) {
  const ks = state.ks;
  const info = await ks.identityInfo();
  const backupCode = await ks.loadBackupCode(passphrase);
  state.identity = info;
  state.mode = 'self';
  state.me = info.id;
  let node;
  try {
    node = await bootNode();
    node.open({ backupCode, name: info.name, restoring: !!info.restoring, entries: await ks.entries(), contacts: await ks.contacts(), channels: await ks.channels() });
  } catch (e) {
    state.nodeError = plain(e);
    return;
  }
  await attachNode(node, info);
}

/** Makes an open node this page's identity: the link to the mesh, the restore watch, the outbox. */
async function attachNode(node, info) {
  state.identity = info;
  state.mode = 'self';
  state.me = info.id;
  state.node = node;
  state.nodeError = null;
  state.link?.stop();
  state.link = startLink(node, {
    onChange: async () => { await persist(); refreshSoon(); },
    onStatus: up => { state.linkUp = up; document.body.dataset.link = up ? 'up' : 'down'; showGatewayLine(); if (up) drainOutbox(); refreshSoon(); },
  });
  if (info.restoring) watchRestore();
  await drainOutbox();
}

function watchRestore() {
  state.restoring = true;
  const banner = document.getElementById('restore-status');
  banner.hidden = false;
  banner.textContent = 'Restoring your history…';
  settleRestore(state.node, state.link, {
    progress: (own, received) => { banner.textContent = `Restoring your history… ${own} of your entries back, ${received} frames received.`; },
  }).then(async own => {
    state.restoring = false;
    await state.ks.setIdentityFlag('restoring', false);
    await persist();
    banner.textContent = `Your history is back (${own} entries).`;
    setTimeout(() => { banner.hidden = true; }, 4000);
    await drainOutbox();
    refreshSoon();
  });
}

// ---------- the outbox: writes made while they cannot go out yet ----------
async function loadOutbox() { state.outbox = await state.ks.outbox(); }

async function queue(item) {
  await state.ks.outboxAdd(item);
  await loadOutbox();
}

let draining = false;
async function drainOutbox() {
  if (draining || !state.ks) return;
  draining = true;
  try {
    await loadOutbox();
    for (const { key, item } of state.outbox) {
      try {
        if (item.kind === 'self') {
          if (!state.node || state.restoring || item.me !== state.node.state().id) continue;
          writeSelf(item);
          await persist();
        } else {
          await writeDemo(item);
        }
        await state.ks.outboxRemove(key);
      } catch (e) {
        if (e instanceof OfflineError) break;
        await state.ks.outboxRemove(key); // refused for good: say why, do not retry forever
        toast(`Not sent: ${plain(e)}`);
      }
    }
    await loadOutbox();
  } finally { draining = false; }
  refreshSoon();
}

function writeSelf(item) {
  const media = item.media ? fromBase64(item.media) : null;
  if (item.action === 'dm') return state.node.sendText(item.peer, item.text);
  if (item.action === 'feed') return state.node.post(item.text, media ? item.mediaType : 0, media);
  return state.node.postToChannel(item.channel, item.text, media ? item.mediaType : 0, media);
}

async function writeDemo(item) {
  if (item.action === 'dm') return post(`/devices/${item.me}/chats/${item.peer}`, { text: item.text });
  const data = new FormData();
  data.append('text', item.text);
  if (item.media) data.append('photo', new Blob([fromBase64(item.media)], { type: 'image/webp' }), 'photo.webp');
  return api(item.action === 'feed' ? `/devices/${item.me}/feed` : `/devices/${item.me}/channels/${item.channel}`, { method: 'POST', body: data });
}

/** One write from the page: straight to the node (or the gateway for a demo device), else into the outbox. */
async function write(item) {
  item.me = state.me;
  item.kind = state.mode === 'self' ? 'self' : 'demo';
  if (item.kind === 'self') {
    if (!state.node || state.restoring) { await queue(item); return 'queued'; }
    writeSelf(item);
    await persist();
    return state.linkUp ? 'sent' : 'held';
  }
  try { await writeDemo(item); return 'sent'; } catch (e) {
    if (!(e instanceof OfflineError)) throw e;
    await queue(item);
    return 'queued';
  }
}

/** While the gateway cannot be reached, a view shows what this browser holds (its outbox) instead of an error. */
async function offline(promise, fallback) {
  try { return await promise; } catch (e) {
    if (e instanceof OfflineError) { state.offline = true; showGatewayLine(); return fallback; }
    throw e;
  }
}

const pendingFor = predicate => state.outbox.filter(o => o.item.me === state.me && predicate(o.item));

// ---------- data for the views: this browser's node, or the gateway's REST API for a demo device ----------
const self = () => state.mode === 'self';
const nodeReady = () => self() && state.node;

function nameOf(peer) {
  const s = state.node.state();
  return s.contacts.find(c => c.id === peer)?.name || s.conversations.find(c => c.peer === peer)?.name || peer;
}

function mediaUrl(p) {
  return p.media ? `data:${p.mediaType === 2 ? 'image/jpeg' : 'image/webp'};base64,${p.media}` : null;
}

const fromNodePost = p => ({
  author: p.author, name: p.name, seq: p.seq, text: p.text, time: p.time * 1000, channel: p.kind === 'channel' ? p.channel : null,
  photo: mediaUrl(p), photoBytes: p.media ? fromBase64(p.media).length : null, outgoing: p.author === state.me,
});

const data = {
  async chats() {
    if (!self()) return api(`/devices/${state.me}/chats`);
    if (!state.node) return [];
    return state.node.state().conversations.map(c => ({ peer: c.peer, name: c.name, last: c.lastText, time: c.lastTime * 1000, unread: c.unread }));
  },
  async conversation(peer) {
    if (!self()) return api(`/devices/${state.me}/chats/${peer}`);
    if (!state.node) return { peer, name: peer, messages: [] };
    return { peer, name: nameOf(peer), messages: state.node.conversation(peer).map(m => ({ ...m, time: m.time * 1000 })) };
  },
  async markRead(peer) {
    if (!self()) return post(`/devices/${state.me}/chats/${peer}/read`, {});
    if (!state.node || state.restoring) return null;
    state.node.markRead(peer);
    await persist();
    const marks = await state.ks.readMarks();
    marks[peer] = Date.now();
    await state.ks.setReadMarks(marks);
    return null;
  },
  async feed() {
    if (!self()) return api(`/devices/${state.me}/feed`);
    return state.node ? state.node.feed().map(fromNodePost).map(p => ({ ...p, tips: tipSummary(p) })) : [];
  },
  async channels() {
    if (!self()) return api(`/devices/${state.me}/channels`);
    return state.node ? state.node.state().channels : [];
  },
  async channelPosts(channel) {
    if (!self()) return api(`/devices/${state.me}/channels/${channel}`);
    if (!state.node) return [];
    const name = state.node.state().channels.find(c => c.id === channel)?.name;
    return state.node.channelPosts(channel).map(p => ({ ...fromNodePost(p), channel: name })).map(p => ({ ...p, tips: tipSummary(p) }));
  },
  async joinChannel(body) {
    if (!self()) return post(`/devices/${state.me}/channels`, body);
    if (!state.node) throw new Error('The messenger is still starting; try again in a moment.');
    const c = body.invite ? state.node.joinChannel(body.invite.trim()) : state.node.createChannel(body.name.trim());
    await persist();
    await saveBook();
    return c;
  },
  async contacts() {
    if (!self()) return api(`/devices/${state.me}/contacts`);
    return state.node ? [...state.node.state().contacts].sort((a, b) => a.name.localeCompare(b.name)) : [];
  },
  async addContact(cardText) {
    if (!self()) return post(`/devices/${state.me}/contacts`, { card: cardText });
    if (!state.node) throw new Error('The messenger is still starting; try again in a moment.');
    const text = cardText.trim();
    const added = state.node.addContact(text);
    await persist();
    const cards = await state.ks.contacts();
    if (!cards.includes(text)) await state.ks.setContacts([...cards, text]);
    return added;
  },
  async card() {
    if (!self()) return api(`/devices/${state.me}/card`);
    const s = state.node.state();
    return { id: s.id, name: s.name, text: s.card };
  },
};

// ---------- views ----------
const lastMarked = {}; // `${me}:${peer}` -> newest incoming sequence this page sent a read receipt for

async function chatsView(peer) {
  const list = h('ul', { class: 'list', 'aria-label': 'Conversations' });
  const pane = h('section', { 'aria-label': 'Conversation', class: 'pane' });
  setView('Chats', h('div', { class: 'split' + (peer ? ' open' : '') }, h('div', { class: 'card side' }, list), pane));
  const title = h('h2', { class: 'convo-title' });
  const messages = h('ol', { class: 'messages', tabindex: 0, 'aria-live': 'polite' });
  if (peer) pane.append(h('div', { class: 'card' }, h('a', { href: '#/chats', class: 'back' }, '← All chats'), title, messages, directComposer(peer)));
  else pane.append(h('p', { class: 'card muted' }, 'Choose a conversation.'));

  async function refresh() {
    const chats = await offline(data.chats(), []);
    renderIfChanged(list, chats, () => chats.length ? chats.map(c => h('li', {},
      h('a', { href: `#/chats/${c.peer}`, 'aria-current': c.peer === peer ? 'true' : null },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(c.name)),
        h('span', { class: 'grow' }, h('span', { class: 'name' }, c.name), h('span', { class: 'last' }, c.last || 'No messages yet')),
        c.unread ? h('span', { class: 'badge' }, h('span', { class: 'visually-hidden' }, 'unread: '), c.unread) : null))) :
      [h('li', { class: 'item muted' }, 'No conversations yet. Add a contact to start one.')]);
    if (!peer) return;
    const convo = await offline(data.conversation(peer), { peer, name: peer, messages: [] });
    title.replaceChildren(convo.name, ' ', h('span', { class: 'muted' }, `· ${convo.peer}`));
    messages.setAttribute('aria-label', `Messages with ${convo.name}`);
    const shown = convo.messages.map(m => ({ ...m, state: m.outgoing && m.state === 'sending' && self() && !state.linkUp ? 'waiting' : m.state }));
    const waiting = pendingFor(i => i.action === 'dm' && i.peer === peer).map(o => ({ pending: o.key, text: o.item.text, outgoing: true, state: 'waiting', time: o.item.at }));
    const all = [...shown, ...waiting];
    if (renderIfChanged(messages, all, () => all.map(m => h('li', { class: 'bubble' + (m.outgoing ? ' mine' : '') + (m.pending ? ' pending' : ''), 'data-seq': m.seq ?? null },
      h('div', { class: 'text' }, m.text),
      h('div', { class: 'meta' }, h('time', {}, when(m.time)),
        m.outgoing && m.state ? h('span', { class: 'state', 'data-state': m.state, title: stateHelp(m.state) }, `${STATE_MARKS[m.state]} ${STATE_WORDS[m.state]}`) : null))))) {
      messages.scrollTop = messages.scrollHeight;
    }
    // One read receipt per newest incoming message: never again for the same one, even if a count lags behind.
    const unread = chats.find(c => c.peer === peer)?.unread || 0;
    const newest = Math.max(0, ...convo.messages.filter(m => !m.outgoing).map(m => m.seq || 0));
    const key = `${state.me}:${peer}`;
    if (unread > 0 && newest > (lastMarked[key] || 0) && document.visibilityState === 'visible') {
      lastMarked[key] = newest;
      try { await data.markRead(peer); refreshSoon(); } catch (e) { if (!(e instanceof OfflineError)) throw e; }
    }
  }
  state.view = { refresh };
  await refresh();
}

function stateHelp(s) {
  return {
    waiting: 'Waiting for the mesh: kept in this browser and sent when the gateway can be reached.',
    sending: 'Sending: written, not yet stored and passed on by the gateway.',
    sent: 'Sent: stored by the gateway and transmitted on at least one of its links.',
    relayed: 'Relayed: a neighbour (here, the gateway) was heard passing it on.',
    delivered: 'Delivered: the recipient signed a delivery receipt.',
    read: 'Read: the recipient signed a read receipt.',
  }[s];
}

function directComposer(peer) {
  const box = h('textarea', { id: 'message', rows: 2, required: true, 'aria-describedby': 'message-budget', placeholder: 'Write a message' });
  const budget = h('span', { id: 'message-budget', class: 'counter' });
  const send = h('button', { type: 'submit', id: 'send' }, 'Send');
  const update = () => {
    const n = bytes(box.value);
    budget.textContent = n <= state.gateway.loraTextBytes
      ? `${n} of ${state.gateway.loraTextBytes} bytes: fits one LoRa frame`
      : `${n} bytes: crosses LoRa as several fragments (at most ${state.gateway.maxTextBytes})`;
  };
  box.addEventListener('input', update);
  box.addEventListener('keydown', e => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });
  const form = h('form', { class: 'composer', onsubmit: async e => {
    e.preventDefault();
    if (!box.value.trim()) return;
    if (bytes(box.value) > state.gateway.maxTextBytes) { toast(`At most ${state.gateway.maxTextBytes} bytes of text.`); return; }
    send.disabled = true;
    try {
      const how = await write({ action: 'dm', peer, text: box.value, at: Date.now() });
      if (how !== 'sent') toast('Waiting for the mesh: it goes out when the gateway can be reached.');
      box.value = '';
      update();
      refreshSoon();
    } catch (err) { toast(plain(err)); } finally { send.disabled = false; box.focus(); }
  } }, h('label', { for: 'message', class: 'visually-hidden' }, 'Message'), box, send, budget, openNote());
  update();
  return form;
}

// A demo device is open to every page, so what it writes and receives is readable by every visitor.
function openNote() {
  return state.mode === 'demo'
    ? h('p', { class: 'counter', id: 'open-device-note' }, 'This is a demo device: every visitor to this gateway can act as it and read its direct messages.')
    : null;
}

function postComposer(prefix, label, action, channel) {
  const text = h('textarea', { id: `${prefix}-text`, rows: 2, placeholder: label });
  const file = h('input', { type: 'file', id: `${prefix}-photo`, accept: 'image/*', name: 'photo' });
  const send = h('button', { type: 'submit', id: `${prefix}-post` }, 'Post');
  const form = h('form', { class: 'card composer-card', onsubmit: async e => {
    e.preventDefault();
    if (!text.value.trim() && !file.files.length) return;
    send.disabled = true;
    try {
      let photo = null;
      if (file.files.length) photo = await shrinkPhoto(file.files[0]);
      const how = await write({ action, channel, text: text.value, mediaType: photo ? WEBP : 0, media: photo ? toBase64(photo.bytes) : null, at: Date.now() });
      text.value = '';
      file.value = '';
      refreshSoon();
      toast((photo ? `Photo shrunk to ${photo.width}×${photo.height}, ${photo.bytes.length} bytes, to cross LoRa. ` : '') +
        (how === 'sent' ? 'Posted.' : 'Waiting for the mesh: it goes out when the gateway can be reached.'));
    } catch (err) { toast(plain(err)); } finally { send.disabled = false; }
  } },
  h('label', { for: `${prefix}-text` }, label), text,
  h('div', { class: 'row' }, h('label', { for: `${prefix}-photo` }, 'Photo (optional, shrunk to about 1 KB)'), file, send));
  return form;
}

function postCard(p) {
  const tip = h('button', { type: 'button', class: 'secondary', onclick: () => openTip(p) }, '♥ Tip ', h('span', { class: 'visually-hidden' }, p.name));
  const t = p.tips;
  const tips = t && (t.count > 0 || t.pending > 0)
    ? h('span', { class: 'tips', 'data-tips': t.count, 'data-tips-pending': t.pending },
      t.count > 0 ? `${t.count} tip${t.count === 1 ? '' : 's'} · ${t.totals.map(x => `${x.amount} ${x.symbol}`).join(' + ')}` : '',
      t.pending > 0 ? h('span', { class: 'muted' }, `${t.count > 0 ? ' · ' : ''}${t.pending} waiting for the chain`) : null)
    : null;
  return h('article', { class: 'post' + (p.pending ? ' pending' : ''), 'data-author': p.author, 'data-seq': p.seq ?? null },
    h('header', {}, h('strong', {}, p.name), h('span', { class: 'where' }, p.channel ? `in #${p.channel}` : 'public'), h('time', { class: 'where' }, when(p.time))),
    p.text ? h('p', { class: 'text' }, p.text) : null,
    p.photo ? h('img', { src: p.photo, alt: p.text ? `Photo: ${p.text}` : `Photo from ${p.name}`, loading: 'lazy', width: 160, height: 120 }) : null,
    h('div', { class: 'row' }, p.photo ? h('span', { class: 'muted' }, `${p.photoBytes} bytes`) : null, tips,
      p.pending ? h('span', { class: 'state', 'data-state': 'waiting' }, `${STATE_MARKS.waiting} ${STATE_WORDS.waiting}`) : p.outgoing ? null : tip));
}

const pendingPosts = (action, channel) => pendingFor(i => i.action === action && (!channel || i.channel === channel)).map(o => ({
  pending: o.key, author: state.me, name: 'You', text: o.item.text, time: o.item.at, channel: null,
  photo: o.item.media ? `data:image/webp;base64,${o.item.media}` : null, photoBytes: o.item.media ? fromBase64(o.item.media).length : null,
}));

async function feedView() {
  const list = h('section', { 'aria-label': 'Posts', 'aria-live': 'polite' });
  setView('Feed', postComposer('feed', 'Share with everyone', 'feed'), list);
  async function refresh() {
    // Newest first, right under the composer (the channel view keeps its newest right above its composer).
    const posts = [...pendingPosts('feed').reverse(), ...await offline(data.feed(), [])];
    renderIfChanged(list, posts, () => posts.length ? posts.map(postCard) : [h('p', { class: 'muted' }, 'Nothing posted yet.')]);
  }
  state.view = { refresh };
  await refresh();
}

async function channelsView(channel) {
  const list = h('ul', { class: 'list', 'aria-label': 'Your channels' });
  const pane = h('section', { 'aria-label': 'Channel', class: 'pane' });
  const name = h('input', { id: 'channel-name', maxlength: 32, placeholder: 'e.g. harvest' });
  const invite = h('input', { id: 'channel-invite', placeholder: 'MMC1:…' });
  const manage = h('div', { class: 'card' },
    h('form', { onsubmit: async e => { e.preventDefault(); if (name.value.trim()) { await join({ name: name.value }); name.value = ''; } } },
      h('label', { for: 'channel-name' }, 'New channel'), h('div', { class: 'row' }, name, h('button', { type: 'submit' }, 'Create'))),
    h('form', { onsubmit: async e => { e.preventDefault(); if (invite.value.trim()) { await join({ invite: invite.value }); invite.value = ''; } } },
      h('label', { for: 'channel-invite' }, 'Join with an invite'), h('div', { class: 'row' }, invite, h('button', { type: 'submit', class: 'secondary' }, 'Join'))));
  async function join(body) {
    try { const c = await data.joinChannel(body); location.hash = `#/channels/${c.id}`; } catch (err) { toast(plain(err)); }
  }
  setView('Channels', h('div', { class: 'split' + (channel ? ' open' : '') }, h('div', { class: 'side' }, h('div', { class: 'card' }, list), manage), pane));
  const heading = h('h2', {});
  const invitation = h('div', { class: 'invite' });
  const posts = h('div', { 'aria-live': 'polite', class: 'channel-posts' });
  let built = false;
  async function refresh() {
    const channels = await data.channels();
    renderIfChanged(list, channels, () => channels.length ? channels.map(c => h('li', {}, h('a', { href: `#/channels/${c.id}`, 'aria-current': c.id === channel ? 'true' : null },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, '#'), h('span', { class: 'grow' }, h('span', { class: 'name' }, c.name))))) :
      [h('li', { class: 'item muted' }, 'No channels yet. Create one or join with an invite.')]);
    const current = channels.find(c => c.id === channel);
    if (!current) { pane.replaceChildren(h('p', { class: 'card muted' }, 'Choose a channel.')); built = false; return; }
    if (!built) {
      // Built once: refreshes touch only the posts, so the composer keeps its focus and text.
      built = true;
      pane.replaceChildren(h('a', { href: '#/channels', class: 'back' }, '← All channels'), heading,
        h('details', { class: 'card' }, h('summary', {}, 'Invite someone'), invitation),
        posts, postComposer('channel', `Post to #${current.name}`, 'channel', channel));
    }
    heading.textContent = `#${current.name}`;
    renderIfChanged(invitation, current.invite, () => [
      h('p', {}, 'Anyone with this invite can read and post in the channel. Show the QR code or send the text.'),
      qrSvg(current.invite, `QR code of the invite to #${current.name}`, 'invite-qr'),
      h('p', { class: 'code', id: 'invite-text' }, current.invite),
      h('button', { type: 'button', class: 'secondary', id: 'invite-copy', onclick: () => copy(current.invite, 'Invite copied.') }, 'Copy invite')]);
    // Oldest first with the newest right above the composer, like a conversation.
    const channelPosts = [...await data.channelPosts(channel), ...pendingPosts('channel', channel)];
    const had = posts.scrollHeight - posts.scrollTop - posts.clientHeight < 40;
    if (renderIfChanged(posts, channelPosts, () => channelPosts.length ? channelPosts.map(postCard) : [h('p', { class: 'muted' }, 'No posts yet.')]) && had) {
      posts.scrollTop = posts.scrollHeight;
    }
  }
  state.view = { refresh };
  await refresh();
}

async function copy(text, done) {
  try { await navigator.clipboard.writeText(text); toast(done); } catch {
    toast('This browser does not let the page copy here; select the text and copy it.');
  }
}

async function contactsView() {
  const card = await data.card();
  const list = h('ul', { class: 'list', 'aria-label': 'Contacts' });
  const status = h('p', { role: 'status', class: 'muted' });
  const file = h('input', { type: 'file', id: 'qr-image', accept: 'image/*' });
  const text = h('input', { id: 'card-text', placeholder: 'MM1:…' });
  const video = h('video', { muted: true, playsinline: true, hidden: true, 'aria-label': 'Camera preview' });
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    const found = await decodeImage(file.files[0]).catch(() => null);
    file.value = '';
    if (found) await addCard(found); else status.textContent = 'No QR code found in that picture. Try a sharper or closer one.';
  });
  async function addCard(cardText) {
    try {
      const added = await data.addContact(cardText);
      status.textContent = `Added ${added.name} (${added.id}).`;
      toast(`Added ${added.name}`);
      await refresh();
    } catch (err) { status.textContent = plain(err); }
  }
  const download = h('a', { class: 'button secondary', id: 'my-qr-download', download: `${card.name}-contact.png`, href: '#' }, 'Download QR image');
  qrPng(card.text).then(blob => { if (blob) download.href = URL.createObjectURL(blob); });
  const camera = h('button', { type: 'button', class: 'secondary', onclick: () => scanCamera(video, status, addCard) }, 'Scan with camera');
  setView('Contacts',
    h('div', { class: 'split' },
      h('div', { class: 'card' }, h('h2', {}, 'My contact card'),
        qrSvg(card.text, `QR code of ${card.name}'s contact card`, 'my-qr'),
        h('p', {}, h('strong', {}, card.name), ' ', h('span', { class: 'muted' }, card.id)),
        h('details', {}, h('summary', {}, 'Card as text'), h('p', { class: 'code', id: 'my-card' }, card.text)),
        h('div', { class: 'row' }, download, h('button', { type: 'button', class: 'secondary', onclick: () => copy(card.text, 'Card copied.') }, 'Copy card'))),
      h('div', {},
        h('div', { class: 'card' }, h('h2', {}, 'Add a contact'),
          h('p', { class: 'muted' }, 'Scan their QR code with the camera, pick a photo or screenshot of it, or paste their card.'),
          h('div', { class: 'row' }, camera, h('label', { for: 'qr-image', class: 'button secondary' }, 'From an image'), file),
          video,
          h('form', { class: 'row', onsubmit: async e => { e.preventDefault(); await addCard(text.value); text.value = ''; } },
            h('label', { for: 'card-text', class: 'visually-hidden' }, 'Contact card text'), text, h('button', { type: 'submit' }, 'Add')),
          status),
        h('div', { class: 'card' }, h('h2', {}, 'Contacts'), list))));
  file.classList.add('visually-hidden');
  async function refresh() {
    const contacts = await data.contacts();
    renderIfChanged(list, contacts, () => contacts.length ? contacts.map(c => h('li', {}, h('a', { href: `#/chats/${c.id}` },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(c.name)),
      h('span', { class: 'grow' }, h('span', { class: 'name' }, c.name), h('span', { class: 'last' }, c.id)),
      h('span', { class: 'muted' }, 'Message')))) : [h('li', { class: 'item muted' }, 'No contacts yet.')]);
  }
  state.view = { refresh };
  await refresh();
}

// Decodes a QR code from an image file in the browser (jsQR, bundled from the npm registry).
async function decodeImage(blob) {
  const bitmap = await createImageBitmap(blob);
  const scale = Math.min(1, 1200 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  const code = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' });
  return code ? code.data : null;
}

async function scanCamera(video, status, found) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = 'This browser cannot use the camera here (it needs https or localhost). Use an image instead.';
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch (err) {
    status.textContent = `No camera: ${err.message}. Use an image instead.`;
    return;
  }
  video.hidden = false;
  video.srcObject = stream;
  await video.play();
  status.textContent = 'Point the camera at the QR code…';
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const stop = () => { stream.getTracks().forEach(t => t.stop()); video.hidden = true; };
  const started = Date.now();
  const tick = async () => {
    if (video.readyState >= 2) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(pixels.data, pixels.width, pixels.height);
      if (code) { stop(); await found(code.data); return; }
    }
    if (Date.now() - started > 60000) { stop(); status.textContent = 'No QR code seen for a minute; stopped the camera.'; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function nodesView() {
  const body = h('tbody');
  setView('Nodes',
    h('p', { class: 'muted' }, 'Devices this gateway hears directly. Quality is the signal-to-noise margin above what LongFast can still decode; browsers are linked by WebSocket and have no radio figures.'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Nodes heard by the gateway'),
      h('thead', {}, h('tr', {}, ...['Name', 'Node', 'Kind', 'Link', 'Quality', 'RSSI', 'SNR', 'Last heard', 'Frames'].map(t => h('th', { scope: 'col' }, t)))),
      body)));
  async function refresh() {
    const nodes = await api('/nodes');
    renderIfChanged(body, nodes.map(n => ({ ...n, lastHeard: 0, secondsAgo: Math.floor(n.secondsAgo / 10) })), () => nodes.map(n => {
      const browser = n.link === 'websocket';
      return h('tr', {},
        td('Name', n.name), td('Node', n.id), td('Kind', browser ? 'browser' : n.kind), td('Link', browser ? 'browser (WebSocket)' : n.link),
        td('Quality', browser ? '—' : n.quality ?? '—'), td('RSSI', browser || n.rssi === null || n.rssi === undefined ? '—' : `${n.rssi} dBm`),
        td('SNR', browser || n.snr === null || n.snr === undefined ? '—' : `${n.snr} dB`),
        td('Last heard', h('time', { datetime: new Date(n.lastHeard).toISOString() }, ago(n.secondsAgo))), td('Frames', n.frames));
    }));
  }
  state.view = { refresh };
  await refresh();
}

async function ownEntries() {
  if (self()) {
    if (!state.node) return [];
    const own = state.node.feed().filter(p => p.author === state.me).map(p => ({ seq: p.seq, text: p.text || 'Photo' }));
    for (const c of state.node.state().conversations) {
      own.push(...state.node.conversation(c.peer).filter(m => m.outgoing && m.seq).map(m => ({ seq: m.seq, text: `To ${c.name}: ${m.text}` })));
    }
    return own;
  }
  const feed = await api(`/devices/${state.me}/feed`);
  const chats = await api(`/devices/${state.me}/chats`);
  const own = feed.filter(p => p.outgoing).map(p => ({ seq: p.seq, text: p.text || 'Photo' }));
  for (const c of chats.slice(0, 5)) {
    const convo = await api(`/devices/${state.me}/chats/${c.peer}`);
    own.push(...convo.messages.filter(m => m.outgoing).map(m => ({ seq: m.seq, text: `To ${c.name}: ${m.text}` })));
  }
  return own;
}

async function anchorsView() {
  const summary = h('div', { class: 'card', 'aria-live': 'polite' });
  const batches = h('tbody');
  const mine = h('ul', { class: 'list', 'aria-label': 'Your recent posts and messages' });
  const proof = h('section', { 'aria-label': 'Proof', id: 'proof', tabindex: -1 });
  setView('Proofs',
    h('p', {}, 'This gateway writes a fingerprint of everyone\'s message chains to a public blockchain in batches. ',
      'A proof then shows that a message existed, unaltered, no later than a given block, without revealing the message.'),
    summary, h('div', { class: 'split' },
      h('div', { class: 'card' }, h('h2', {}, 'Check one of your messages'), mine),
      proof),
    h('h2', {}, 'Batches'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('caption', { class: 'visually-hidden' }, 'Anchoring batches'),
      h('thead', {}, h('tr', {}, ...['Batch', 'State', 'Checkpoints', 'Block', 'Transaction', 'Gas'].map(t => h('th', { scope: 'col' }, t)))), batches)));
  async function refresh() {
    const status = await api('/anchoring');
    const final = status.batches.filter(b => b.state === 'final').length;
    renderIfChanged(summary, [status.enabled, status.chainId, status.batchMinutes, final, status.batches.length, status.lastError], () => [!status.enabled
      ? h('p', {}, 'Anchoring is off on this gateway.')
      : h('p', {}, `Anchoring is on (chain id ${status.chainId ?? '…'}, a batch every ${status.batchMinutes ?? '?'} min). `,
        h('strong', {}, `${final} batch${final === 1 ? '' : 'es'} final`), `, ${status.batches.length - final} on the way.`,
        status.lastError ? h('span', { class: 'bad' }, ` Last problem: ${status.lastError}`) : null)]);
    renderIfChanged(batches, status.batches, () => status.batches.map(b => h('tr', {}, td('Batch', b.id), td('State', b.state), td('Checkpoints', b.leaves),
      td('Block', b.block ?? '—'), td('Transaction', b.tx ? b.tx.slice(0, 18) + '…' : '—'), td('Gas', b.gasUsed ?? '—'))));
    const own = (await ownEntries()).sort((a, b) => b.seq - a.seq).slice(0, 12);
    // Rebuilt only when the list changed, so a click on "Show proof" is never swallowed by a refresh.
    renderIfChanged(mine, own, () => own.length ? own.map(m => h('li', {}, h('div', { class: 'item' },
      h('span', { class: 'grow' }, h('span', { class: 'name' }, `#${m.seq}`), h('span', { class: 'last' }, m.text)),
      h('button', { type: 'button', class: 'secondary', onclick: () => showProof(m.seq) }, 'Show proof', h('span', { class: 'visually-hidden' }, ` for message ${m.seq}`))))) :
      [h('li', { class: 'item muted' }, 'You have not sent anything yet.')]);
  }
  async function showProof(seq) {
    proof.replaceChildren(h('p', { class: 'card muted' }, 'Checking against the chain…'));
    try {
      const p = await api(`/devices/${state.me}/proofs/${seq}`);
      if (!p.anchored) { proof.replaceChildren(h('div', { class: 'card' }, h('h2', {}, `Message #${seq}`), h('p', {}, p.words))); return; }
      const download = URL.createObjectURL(new Blob([JSON.stringify(p.bundle, null, 2)], { type: 'application/json' }));
      proof.replaceChildren(h('div', { class: 'card' },
        h('h2', {}, `Message #${seq}: `, h('span', { class: p.holds ? 'ok' : 'bad' }, p.holds ? 'proof holds' : 'proof does not hold')),
        h('p', {}, p.words),
        h('ul', { class: 'checks', 'aria-label': 'Checks made just now against the chain' },
          ...p.checks.map(c => h('li', { 'data-mark': c.passed ? '✓' : '✗', class: c.passed ? 'ok' : 'bad' }, c.statement))),
        h('a', { class: 'button secondary', href: download, download: `proof-${state.me}-${seq}.json` }, 'Download the proof bundle')));
      proof.focus();
    } catch (err) { proof.replaceChildren(errorCard(err)); }
  }
  state.view = { refresh };
  await refresh();
}

async function provisionView() {
  const g0 = state.gateway ?? {};
  const name = h('input', { id: 'device-name', required: true, maxlength: 32, placeholder: 'e.g. Heltec by the well' });
  const address = h('input', { id: 'device-gateway-address', maxlength: 64, value: g0.udpPort ? `${location.hostname}:${g0.udpPort}` : '', 'aria-describedby': 'device-gateway-address-help' });
  const ssid = h('input', { id: 'device-wifi-ssid', maxlength: 32, autocomplete: 'off' });
  const password = h('input', { id: 'device-wifi-password', type: 'password', maxlength: 64, autocomplete: 'new-password' });
  const restore = h('input', { id: 'device-restore', type: 'checkbox' });
  const phrase = h('textarea', { id: 'device-restore-phrase', rows: 2, autocomplete: 'off', spellcheck: 'false', disabled: true });
  restore.addEventListener('change', () => { phrase.disabled = !restore.checked; phrase.required = restore.checked; });
  const out = h('section', { 'aria-label': 'Device bundle', 'aria-live': 'polite' });
  setView('New device',
    h('p', {}, 'Make the settings bundle for a board, here in this browser: its identity, radio settings, channel and where this gateway listens. Save the file and send it to the board over its USB serial port with meshmsg provision.'),
    h('form', { class: 'card', onsubmit: async e => {
      e.preventDefault();
      try {
        const node = await bootNode();
        const g = state.gateway;
        const r = node.provisionBundle({ name: name.value.trim(), region: g.region, preset: g.preset, channel: g.channelInvite ?? g.channel, gatewayNode: g.node,
          gatewayAddress: address.value.trim(), wifiSsid: ssid.value, wifiPassword: password.value, restorePhrase: restore.checked ? phrase.value : undefined });
        const b = r.summary;
        const fileName = `${b.name}.mmb`;
        const file = URL.createObjectURL(new Blob([r.frame], { type: 'application/octet-stream' }));
        out.replaceChildren(h('div', { class: 'card', id: 'device-bundle' },
          h('h2', {}, `Bundle for ${b.name}`),
          h('p', { class: 'bad', role: 'note' }, 'This bundle holds the board\'s secret key (its recovery phrase). Anyone who has the file can be this board. It was made in this browser; the gateway never saw it.'),
          h('p', { id: 'device-bundle-start' }, b.restore
            ? 'The board restores this identity\'s chain from its neighbours and signs nothing until that ends: it never signs a sequence again.'
            : 'The board starts a new chain for a new identity.'),
          h('dl', {}, h('dt', {}, 'Node id'), h('dd', { class: 'code', id: 'device-bundle-node' }, b.node), h('dt', {}, 'Radio'), h('dd', {}, `${b.region}, ${b.preset}`),
            h('dt', {}, 'Gateway'), h('dd', { class: 'code' }, b.gatewayAddress ? `${b.gateway} at ${b.gatewayAddress}` : b.gateway),
            h('dt', {}, 'Wi-Fi'), h('dd', {}, b.wifi ? 'yes' : 'none')),
          h('a', { class: 'button', id: 'device-bundle-download', href: file, download: fileName }, `Download ${fileName} (${b.bytes} bytes)`),
          h('p', {}, 'Then, with the board on USB: ', h('code', {}, `meshmsg provision --port /dev/ttyUSB0 ${fileName}`), ' (the board answers with what it stored).'),
          b.restore ? null : h('details', {}, h('summary', {}, 'Recovery phrase (to restore this board after a wipe)'), h('p', { class: 'code', id: 'device-bundle-phrase' }, r.recoveryPhrase)),
          h('h3', {}, 'Its contact card'),
          qrSvg(b.card, `QR code of the contact card of ${b.name}`, 'device-card-qr')));
      } catch (err) { out.replaceChildren(errorCard(err)); }
    } },
    h('label', { for: 'device-name' }, 'Device name'), name,
    h('label', { for: 'device-gateway-address' }, 'Gateway address the board reaches over Wi-Fi (host:port)'), address,
    h('p', { id: 'device-gateway-address-help', class: 'muted' }, 'Leave empty for a radio-only board.'),
    h('details', {}, h('summary', {}, 'Wi-Fi'),
      h('label', { for: 'device-wifi-ssid' }, 'Network name'), ssid, h('label', { for: 'device-wifi-password' }, 'Password'), password),
    h('div', { class: 'row' }, restore, h('label', { for: 'device-restore' }, 'Restore an identity on a wiped board')),
    h('label', { for: 'device-restore-phrase' }, 'Its recovery phrase (24 words)'), phrase,
    h('button', { type: 'submit' }, 'Make bundle')),
    out);
  state.view = null;
}

// ---------- first visit: create, restore, or look at a demo device ----------
async function welcomeView() {
  const createName = h('input', { id: 'create-name', required: true, maxlength: 32, autocomplete: 'nickname' });
  const createPass = h('input', { id: 'create-passphrase', type: 'password', autocomplete: 'new-password', 'aria-describedby': 'create-passphrase-help' });
  const createOut = h('p', { role: 'status', class: 'muted' });
  const restoreCode = h('textarea', { id: 'restore-code', rows: 2, autocomplete: 'off', spellcheck: 'false' });
  const restoreName = h('input', { id: 'restore-name', required: true, maxlength: 32, autocomplete: 'nickname' });
  const restorePass = h('input', { id: 'restore-passphrase', type: 'password', autocomplete: 'new-password' });
  const restoreOut = h('p', { role: 'status', class: 'muted' });
  const restoreFile = h('input', { type: 'file', id: 'restore-image', accept: 'image/*', class: 'visually-hidden' });
  const video = h('video', { muted: true, playsinline: true, hidden: true, 'aria-label': 'Camera preview' });
  restoreFile.addEventListener('change', async () => {
    if (!restoreFile.files.length) return;
    const found = await decodeImage(restoreFile.files[0]).catch(() => null);
    restoreFile.value = '';
    if (found) { restoreCode.value = found; restoreOut.textContent = 'Backup code read from the picture.'; } else restoreOut.textContent = 'No QR code found in that picture.';
  });
  const migrate = h('div', { id: 'migrate-offer' });
  setView('Welcome',
    h('p', {}, 'MeshMessenger keeps your identity in this browser: your keys are made here and never leave it. The gateway only passes sealed messages on.'),
    migrate,
    h('div', { class: 'split even' },
      h('form', { class: 'card', onsubmit: async e => {
        e.preventDefault();
        const button = e.submitter; if (button) button.disabled = true;
        createOut.textContent = 'Making your keys…';
        try { await createIdentity(createName.value.trim(), createPass.value); } catch (err) { createOut.textContent = plain(err); } finally { if (button) button.disabled = false; }
      } },
      h('h2', {}, 'Create your identity'),
      h('label', { for: 'create-name' }, 'Your name'), createName,
      h('label', { for: 'create-passphrase' }, 'Passphrase (optional)'), createPass,
      h('p', { class: 'counter', id: 'create-passphrase-help' }, 'Adds a lock: this browser then asks for it before opening your identity.'),
      h('div', { class: 'row' }, h('button', { type: 'submit', id: 'create-submit' }, 'Create your identity')), createOut),
      h('form', { class: 'card', onsubmit: async e => {
        e.preventDefault();
        restoreOut.textContent = 'Restoring…';
        try { await restoreIdentity(restoreCode.value.trim(), restoreName.value.trim(), restorePass.value); } catch (err) { restoreOut.textContent = plain(err); }
      } },
      h('h2', {}, 'Restore from backup code'),
      h('label', { for: 'restore-code' }, 'Backup code: your 24 words (or an older code)'), restoreCode,
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary', id: 'restore-camera', onclick: () => scanCamera(video, restoreOut, async text => { restoreCode.value = text; restoreOut.textContent = 'Backup code scanned.'; }) }, 'Scan its QR code'),
        h('label', { for: 'restore-image', class: 'button secondary' }, 'From an image'), restoreFile),
      video,
      h('label', { for: 'restore-name' }, 'Your name'), restoreName,
      h('label', { for: 'restore-passphrase' }, 'New passphrase (optional)'), restorePass,
      h('div', { class: 'row' }, h('button', { type: 'submit', id: 'restore-submit' }, 'Restore')), restoreOut),
      h('div', { class: 'card' }, h('h2', {}, 'View a demo device'),
        h('p', { class: 'muted' }, 'Demo devices are emulated by the gateway. Anyone can act as them and read their messages: never write anything private there.'),
        h('ul', { class: 'list', id: 'demo-list', 'aria-label': 'Demo devices' }, ...state.devices.map(d => h('li', {},
          h('a', { href: `?as=${d.id}#/chats` }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(d.name)),
            h('span', { class: 'grow' }, h('span', { class: 'name' }, d.name), h('span', { class: 'last' }, `demo device · ${d.id}`)))))))));
  state.view = null;
  offerMigration(migrate);
}

/** A person who joined on this gateway before keys moved to the browser: the gateway holds their code once, for this browser's cookie. */
async function offerMigration(container) {
  let pending = [];
  try { pending = await api('/migrations'); } catch { return; }
  for (const { id } of pending || []) {
    let record;
    try { record = await api(`/devices/${id}/migration`); } catch { continue; }
    container.replaceChildren(h('div', { class: 'card' },
      h('h2', {}, 'Move your identity into this browser'),
      h('p', {}, `This gateway kept the keys of ${record.name} (${record.id}) for this browser. Move them here: this browser then holds them, and the gateway deletes its copy.`),
      h('button', { type: 'button', id: 'migrate-submit', onclick: async e => {
        e.target.disabled = true;
        try { await migrateIdentity(record); } catch (err) { toast(plain(err)); e.target.disabled = false; }
      } }, 'Move your identity into this browser')));
    return;
  }
}

async function migrateIdentity(record) {
  await state.ks.saveIdentity({ id: record.id, name: record.name, backupCode: record.backupCode, passphrase: null });
  await state.ks.setContacts(record.contacts || []);
  await state.ks.setChannels(record.channels || []);
  await state.ks.setIdentityFlag('restoring', true);
  await state.ks.markBackupShown();
  await switchIdentity(async () => { await openSelf(null); });
  if (state.nodeError) throw new Error(state.nodeError);
  await post(`/devices/${record.id}/migration/done`, {});
  toast('Your identity now lives in this browser; the gateway deleted its copy.');
}

async function createIdentity(name, passphrase) {
  if (!name) throw new Error('Type your name first.');
  const node = await bootNode();
  const made = node.create(name);
  await state.ks.saveIdentity({ id: made.id, name, backupCode: made.backupCode, passphrase: passphrase || null });
  await switchIdentity(async () => { await openSelf(passphrase || null); });
  if (state.nodeError) throw new Error(state.nodeError);
  await persist();
  await showBackupOnce(made.backupCode);
}

async function restoreIdentity(code, name, passphrase) {
  if (!code) throw new Error('Type or scan your backup code first.');
  const node = await bootNode();
  // The node rebuilds its own chain and conversations from the mesh (heads and wants), then writes at its next number.
  if (!name) throw new Error('Type your name too.');
  const opened = node.open({ backupCode: code, name, restoring: true, entries: null, contacts: [], channels: [] });
  await state.ks.saveIdentity({ id: opened.id, name, backupCode: code, passphrase: passphrase || null });
  await state.ks.setIdentityFlag('restoring', true);
  await state.ks.markBackupShown();
  const info = await state.ks.identityInfo();
  await switchIdentity(() => attachNode(node, info));
  await persist();
}

function showBackupOnce(code) {
  const dialog = document.getElementById('backup-dialog');
  const written = document.getElementById('backup-written');
  const done = document.getElementById('backup-done');
  document.getElementById('backup-code').textContent = code;
  written.checked = false;
  done.disabled = true;
  written.onchange = () => { done.disabled = !written.checked; };
  dialog.showModal();
  return new Promise(resolve => {
    dialog.addEventListener('close', async () => {
      document.getElementById('backup-code').textContent = ''; // not left in the page
      await state.ks.markBackupShown();
      resolve();
    }, { once: true });
  });
}

function identityDialog() {
  const dialog = document.getElementById('identity-dialog');
  const body = document.getElementById('identity-body');
  const info = state.identity;
  if (!info) {
    body.replaceChildren(h('p', {}, 'This browser holds no identity yet.'),
      h('a', { class: 'button', href: '/#/chats', onclick: () => dialog.close() }, 'Create or restore one'));
    dialog.showModal();
    return;
  }
  const reveal = h('div', {});
  body.replaceChildren(
    h('p', {}, h('strong', {}, info.name), ' ', h('span', { class: 'muted', id: 'identity-id' }, info.id)),
    h('p', { class: 'muted' }, `Kept in this browser, wrapped by a key the browser will not export${info.hasPassphrase ? ', and locked with your passphrase' : ''}.`),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary', id: 'identity-show-code', onclick: () => confirmReveal(reveal, info) }, 'Show backup code'),
      h('button', { type: 'button', class: 'secondary', id: 'identity-forget', onclick: () => confirmForget(reveal) }, 'Forget this identity here')),
    reveal);
  dialog.showModal();
}

function confirmReveal(container, info) {
  const pass = info.hasPassphrase ? h('input', { id: 'identity-passphrase', type: 'password', autocomplete: 'current-password' }) : null;
  const out = h('p', { role: 'alert', class: 'bad' });
  container.replaceChildren(h('div', { class: 'card', id: 'identity-confirm' },
    h('p', {}, 'Anyone who sees your backup code can be you. Show it only where nobody is looking over your shoulder.'),
    pass ? h('label', { for: 'identity-passphrase' }, 'Passphrase') : null, pass,
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'identity-reveal', onclick: async () => {
      try {
        const code = await state.ks.loadBackupCode(pass ? pass.value : null);
        container.replaceChildren(h('p', { class: 'code', id: 'identity-code' }, code));
      } catch (e) { out.textContent = plain(e); }
    } }, 'Yes, show it')), out));
}

function confirmForget(container) {
  container.replaceChildren(h('div', { class: 'card' },
    h('p', { class: 'bad' }, 'This browser forgets your identity and everything it kept. Without your backup code it cannot be restored.'),
    h('button', { type: 'button', id: 'identity-forget-confirm', onclick: async () => {
      state.link?.stop();
      state.link = null;
      state.node = null;
      await state.ks.forget();
      location.replace('/');
    } }, 'Forget it')));
}

// ---------- identity switching ----------
/** Clears everything shown for the previous identity before `open` runs, so no other conversation is ever on screen. */
async function switchIdentity(open) {
  state.generation++;
  state.view = null;
  document.getElementById('view').replaceChildren(h('h1', {}, 'Opening…'));
  await open();
  await renderPicker();
  await route();
}

function demoMode(id) {
  state.mode = 'demo';
  state.me = id;
  sessionStorage.setItem('mm.as', id);
}

async function renderPicker() {
  const select = document.getElementById('who');
  const options = [];
  if (state.identity) options.push(h('option', { value: 'me', selected: state.mode === 'self' || state.mode === 'locked' }, 'You (this browser)'));
  else options.push(h('option', { value: 'me', selected: state.mode === 'welcome' }, 'No identity yet'));
  if (state.mode === 'demo' && !state.devices.some(d => d.id === state.me)) options.push(h('option', { value: state.me, selected: true }, `Demo device · ${state.me}`));
  for (const d of state.devices) options.push(h('option', { value: d.id, selected: state.mode === 'demo' && d.id === state.me }, `Demo device ${d.name} · ${d.id}`));
  select.replaceChildren(...options);
  document.getElementById('demo-banner').hidden = state.mode !== 'demo';
  document.body.dataset.mode = state.mode;
  document.body.dataset.me = state.me || '';
}

async function choose(value) {
  const url = new URL(location.href);
  if (value === 'me') {
    sessionStorage.removeItem('mm.as');
    url.searchParams.delete('as');
    history.replaceState(null, '', url);
    await switchIdentity(async () => {
      if (!state.identity) { state.mode = 'welcome'; state.me = null; return; }
      if (state.node) { state.mode = 'self'; state.me = state.identity.id; return; }
      await unlockOrOpen();
    });
  } else {
    url.searchParams.set('as', value);
    history.replaceState(null, '', url);
    await switchIdentity(async () => demoMode(value));
  }
}

async function unlockOrOpen() {
  if (!state.identity.hasPassphrase) { await openSelf(null); return; }
  state.mode = 'locked';
  state.me = null;
  const dialog = document.getElementById('unlock-dialog');
  const input = document.getElementById('unlock-passphrase');
  const error = document.getElementById('unlock-error');
  error.textContent = '';
  dialog.showModal();
  await new Promise(resolve => {
    document.getElementById('unlock-form').onsubmit = async e => {
      e.preventDefault();
      try { await openSelf(input.value); input.value = ''; dialog.close(); resolve(); } catch (err) { error.textContent = plain(err); }
    };
    document.getElementById('unlock-demo').onclick = () => {
      dialog.close();
      if (state.devices.length) demoMode(state.devices[0].id);
      resolve();
    };
  });
}

// ---------- the wallet: balances, receive, send and tips, signed in this browser and relayed by a gateway ----------
// Every read and every broadcast is a chain request sealed to a gateway that serves the chain; a spend is signed here
// first (walletQuote), shown on the confirmation screen (recipient, amount, fee, chain) and sent only on Confirm.
const TOKENS_KEY = 'mm.wallet.tokens';
const tipSummaries = new Map(); // `${author}:${seq}` -> { count, totals, pending } of the post's tips

function walletTokens() {
  try { return JSON.parse(localStorage.getItem(TOKENS_KEY) || '[]').filter(t => t && t.chain && t.token); } catch { return []; }
}

/** The assets to show: each served chain's own coin, then the tokens added here on a served chain. */
function walletAssets() {
  if (!nodeReady()) return [];
  const chains = state.node.walletChains();
  const natives = chains.map(c => ({ chain: c.chain, token: null, symbol: c.symbol, decimals: c.decimals }));
  return [...natives, ...walletTokens().filter(t => chains.some(c => c.chain === t.chain))];
}

const assetKey = a => `${a.chain}|${a.token || ''}`;
const assetLabel = a => `${a.symbol} on ${a.chain}`;

/** Base units (decimal text) as a decimal amount of `decimals` places, trailing zeros trimmed. */
function formatUnits(units, decimals) {
  const digits = String(units).replace(/^0+/, '') || '0';
  if (!decimals) return digits;
  const padded = digits.padStart(decimals + 1, '0');
  const whole = padded.slice(0, -decimals);
  const fraction = padded.slice(-decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * A wallet call that sends chain requests: while it runs, what the node wrote is kept (IndexedDB) and then sent,
 * every 50 ms, so a request is durable here before it leaves, and a payment shown survives a reload.
 */
async function walletCall(fn) {
  let busy = false;
  const pump = setInterval(async () => {
    if (busy) return;
    busy = true;
    try { await persist(); } finally { busy = false; }
  }, 50);
  try { return await fn(); } finally {
    clearInterval(pump);
    await persist();
  }
}

function assetSelect(id, assets, selected) {
  return h('select', { id }, ...assets.map(a => h('option', { value: assetKey(a), selected: selected && assetKey(a) === selected ? true : null }, assetLabel(a))));
}

/** The confirmation screen before every spend: resolves true on Confirm, false on Cancel. */
function confirmPayment(quote) {
  const dialog = document.getElementById('pay-confirm');
  document.getElementById('pay-confirm-title').textContent = quote.kind === 'tip' ? 'Confirm the tip' : 'Confirm the payment';
  document.getElementById('confirm-to').textContent = quote.to;
  document.getElementById('confirm-amount').textContent = `${quote.amount} ${quote.symbol}`;
  document.getElementById('confirm-fee').textContent = `${quote.fee} ${quote.feeSymbol}`;
  document.getElementById('confirm-chain').textContent = quote.chain + (quote.token ? ` (token ${quote.token})` : '');
  return new Promise(resolve => {
    const ok = document.getElementById('confirm-ok');
    const cancel = document.getElementById('confirm-cancel');
    const done = value => {
      ok.onclick = cancel.onclick = dialog.oncancel = null;
      dialog.close();
      resolve(value);
    };
    ok.onclick = () => done(true);
    cancel.onclick = () => done(false);
    dialog.oncancel = e => { e.preventDefault(); done(false); };
    dialog.showModal();
    cancel.focus();
  });
}

/** Confirm or cancel a quote; on Confirm the same signed bytes go to a gateway. Returns the payment's first stage, or null if cancelled. */
async function spend(quote) {
  if (!await confirmPayment(quote)) {
    state.node.walletCancel(quote.id);
    toast('Cancelled: nothing was sent.');
    return null;
  }
  const result = await walletCall(() => state.node.walletConfirm(quote.id));
  toast(result.stage === 'failed' ? `Not sent: ${result.reason}` : `Accepted by the gateway: ${quote.amount} ${quote.symbol} to ${quote.to}.`);
  refreshSoon();
  return result;
}

function stageWords(p) {
  switch (p.stage) {
    case 'accepted': return 'Accepted: in the mempool';
    case 'sent': return 'Sent: no gateway has answered yet';
    case 'included': return `Included in block ${p.block} (${p.confirmations} confirmation${p.confirmations === 1 ? '' : 's'})`;
    case 'final': return `Final (block ${p.block})`;
    case 'dropped': return `Dropped: ${p.reason}`;
    default: return `Failed: ${p.reason}`;
  }
}

async function walletView() {
  if (!nodeReady()) {
    setView('Wallet', h('p', { class: 'card' }, 'The wallet belongs to an identity of your own in this browser: its 24 words hold your keys. Demo devices have none.'));
    return;
  }
  const node = state.node;
  const balances = h('ul', { class: 'list', id: 'wallet-balances', 'aria-label': 'Balances', 'aria-live': 'polite' });
  const refreshButton = h('button', { type: 'button', class: 'secondary', id: 'wallet-refresh', onclick: () => loadBalances() }, 'Refresh balances');
  const history = h('ul', { class: 'list', id: 'wallet-history', 'aria-label': 'Your payments', 'aria-live': 'polite' });
  const receiveBox = h('div', { id: 'receive-box' });
  const receiveAmount = h('input', { id: 'receive-amount', inputmode: 'decimal', placeholder: 'optional' });
  const receiveSlot = h('div', { class: 'row' });
  const receiveStatus = h('p', { role: 'status', class: 'muted', id: 'receive-status' });
  const receiveNew = h('button', { type: 'button', class: 'secondary', id: 'receive-new', onclick: () => newReceive() }, 'New address');
  const sendSlot = h('div', {});
  const sendTo = h('input', { id: 'send-to', autocomplete: 'off', placeholder: '0x… or bc1… or a payment link' });
  const sendAmount = h('input', { id: 'send-amount', inputmode: 'decimal', placeholder: '0.01' });
  const sendError = h('p', { id: 'send-error', class: 'bad', role: 'alert' });
  const sendButton = h('button', { type: 'submit', id: 'send-submit' }, 'Review payment');
  const scanStatus = h('p', { role: 'status', class: 'muted', id: 'send-scan-status' });
  const video = h('video', { muted: true, playsinline: true, hidden: true, 'aria-label': 'Camera preview' });
  const scanFile = h('input', { type: 'file', id: 'send-scan-image', accept: 'image/*', class: 'visually-hidden' });
  const tokenChain = h('select', { id: 'token-chain' });
  const tokenContract = h('input', { id: 'token-contract', placeholder: '0x… contract' });
  const tokenSymbol = h('input', { id: 'token-symbol', placeholder: 'e.g. MTT', maxlength: 11 });
  const tokenDecimals = h('input', { id: 'token-decimals', inputmode: 'numeric', value: '18' });
  let assets = [];
  let sendAsset = null;
  let receiveAsset = null;

  const selected = id => assets.find(a => assetKey(a) === document.getElementById(id)?.value) || assets[0];

  async function fillFromRequest(text) {
    try {
      const r = node.walletParseRequest(text);
      const match = assets.find(a => (!r.chain || a.chain === r.chain) && (a.token || null) === (r.token || null))
        || assets.find(a => !r.chain || a.chain === r.chain);
      if (!match) throw new Error(`No gateway this browser knows serves ${r.chain || 'that chain'}.`);
      document.getElementById('send-asset').value = assetKey(match);
      sendTo.value = r.to;
      sendAmount.value = r.units ? formatUnits(r.units, match.decimals) : '';
      scanStatus.textContent = `Payment request read: ${r.to}${r.units ? `, ${sendAmount.value} ${match.symbol}` : ''}.`;
    } catch (e) { scanStatus.textContent = plain(e); }
  }
  sendTo.addEventListener('change', () => { if (/^(ethereum|bitcoin|litecoin):/i.test(sendTo.value.trim())) fillFromRequest(sendTo.value.trim()); });
  scanFile.addEventListener('change', async () => {
    if (!scanFile.files.length) return;
    const found = await decodeImage(scanFile.files[0]).catch(() => null);
    scanFile.value = '';
    if (found) await fillFromRequest(found); else scanStatus.textContent = 'No QR code found in that picture.';
  });

  const sendForm = h('form', { class: 'stack', id: 'send-form', onsubmit: async e => {
    e.preventDefault();
    sendError.textContent = '';
    if (/^(ethereum|bitcoin|litecoin):/i.test(sendTo.value.trim())) await fillFromRequest(sendTo.value.trim());
    const asset = selected('send-asset');
    if (!asset) return;
    sendButton.disabled = true;
    try {
      const quote = await walletCall(() => node.walletQuote({ ...asset, to: sendTo.value, amount: sendAmount.value }));
      const result = await spend(quote);
      if (result && result.stage !== 'failed') { sendTo.value = ''; sendAmount.value = ''; }
      if (result && result.stage === 'failed') sendError.textContent = result.reason;
    } catch (err) { sendError.textContent = plain(err); } finally { sendButton.disabled = false; }
  } }, sendSlot,
  h('label', { for: 'send-to' }, 'To'), sendTo,
  h('label', { for: 'send-amount' }, 'Amount'), sendAmount,
  h('div', { class: 'row' }, sendButton,
    h('button', { type: 'button', class: 'secondary', id: 'send-scan', onclick: () => scanCamera(video, scanStatus, fillFromRequest) }, 'Scan a payment QR'),
    h('label', { for: 'send-scan-image', class: 'button secondary' }, 'QR from an image'), scanFile),
  video, scanStatus, sendError);

  const tokenForm = h('form', { class: 'stack', id: 'token-form', onsubmit: e => {
    e.preventDefault();
    const token = { chain: tokenChain.value, token: tokenContract.value.trim(), symbol: tokenSymbol.value.trim(), decimals: Number(tokenDecimals.value) };
    try {
      node.walletReceive(token); // checks the chain, the contract's address and the decimals
      localStorage.setItem(TOKENS_KEY, JSON.stringify([...walletTokens().filter(t => !(t.chain === token.chain && t.token.toLowerCase() === token.token.toLowerCase())), token]));
      tokenContract.value = ''; tokenSymbol.value = '';
      toast(`Added ${token.symbol}.`);
      build(true);
    } catch (err) { toast(plain(err)); }
  } },
  h('label', { for: 'token-chain' }, 'Chain'), tokenChain,
  h('label', { for: 'token-contract' }, 'ERC-20 contract'), tokenContract,
  h('label', { for: 'token-symbol' }, 'Symbol'), tokenSymbol,
  h('label', { for: 'token-decimals' }, 'Decimals'), tokenDecimals,
  h('div', { class: 'row' }, h('button', { type: 'submit', class: 'secondary', id: 'token-add' }, 'Add token')));

  setView('Wallet',
    h('p', { class: 'muted' }, 'Your keys come from your 24 words and never leave this browser. Balances are read, and payments broadcast, by a gateway that serves the chain, over the mesh.'),
    h('div', { class: 'split even' },
      h('section', { class: 'card', 'aria-labelledby': 'balances-title' }, h('h2', { id: 'balances-title' }, 'Balances'), balances, h('div', { class: 'row' }, refreshButton)),
      h('section', { class: 'card', 'aria-labelledby': 'send-title' }, h('h2', { id: 'send-title' }, 'Send'), sendForm),
      h('section', { class: 'card', 'aria-labelledby': 'receive-title' }, h('h2', { id: 'receive-title' }, 'Receive'), receiveSlot,
        h('label', { for: 'receive-amount' }, 'Amount to ask for'), receiveAmount, receiveBox, receiveNew, receiveStatus)),
    h('section', { class: 'card', 'aria-labelledby': 'history-title' }, h('h2', { id: 'history-title' }, 'Your payments'), history),
    h('details', { class: 'card' }, h('summary', {}, 'Add a token'), tokenForm));

  function drawReceive() {
    const asset = selected('receive-asset');
    if (!asset) { receiveBox.replaceChildren(); return; }
    try {
      const r = node.walletReceive(asset, receiveAmount.value.trim());
      renderIfChanged(receiveBox, r, () => [
        qrSvg(r.uri, `QR code of a payment request to ${r.address}`, 'receive-qr'),
        h('p', { class: 'code', id: 'receive-address' }, r.address),
        h('p', { class: 'code', id: 'receive-uri' }, r.uri),
        h('button', { type: 'button', class: 'secondary', onclick: () => copy(r.address, 'Address copied.') }, 'Copy address')]);
    } catch (err) { receiveBox.replaceChildren(h('p', { class: 'bad', role: 'alert' }, plain(err))); }
  }
  receiveAmount.addEventListener('input', drawReceive);

  // A fresh receive address (UTXO chains; BIP-44 gap limit): the first one reads the addresses over the mesh.
  async function newReceive() {
    const asset = selected('receive-asset');
    if (!asset) return;
    receiveNew.disabled = true;
    receiveStatus.textContent = 'Finding an unused address…';
    try {
      const r = await node.walletNextReceive(asset, receiveAmount.value.trim());
      receiveStatus.textContent = r.beyondGap
        ? 'New address. More than 20 unused addresses in a row: a wallet restored from your words may not see payments to it until earlier ones are paid.'
        : 'New address.';
      drawReceive();
    } catch (err) { receiveStatus.textContent = plain(err); }
    finally { receiveNew.disabled = false; }
  }

  let lastBalances = [];
  let loading = false;
  async function loadBalances() {
    if (loading || !assets.length) return;
    loading = true;
    refreshButton.disabled = true;
    try {
      lastBalances = await walletCall(() => node.walletBalances(assets));
      drawBalances();
    } catch (err) { toast(plain(err)); } finally { loading = false; refreshButton.disabled = false; }
  }
  function drawBalances() {
    const rows = assets.map(a => lastBalances.find(b => assetKey(b) === assetKey(a)) || { ...a });
    renderIfChanged(balances, rows, () => rows.map(b => h('li', { class: 'item', 'data-chain': b.chain, 'data-token': b.token || '', 'data-symbol': b.symbol },
      h('span', { class: 'grow' }, h('span', { class: 'name' }, b.symbol), h('span', { class: 'last' }, b.chain + (b.token ? ` · ${b.token}` : ''))),
      b.error ? h('span', { class: 'bad balance-error' }, b.error)
        : h('span', { class: 'amount', 'data-units': b.units ?? '' }, b.amount === undefined ? '…' : `${b.amount} ${b.symbol}`))));
  }

  let chainsSeen = '';
  function build(force) {
    assets = walletAssets();
    const signature = JSON.stringify(assets);
    if (!force && signature === chainsSeen) return false;
    chainsSeen = signature;
    const chains = node.walletChains();
    if (!assets.length) {
      sendSlot.replaceChildren(h('p', { class: 'muted', id: 'wallet-no-chain' }, 'No gateway this browser knows serves a chain yet. Its profile arrives over the link.'));
      receiveSlot.replaceChildren();
      balances.replaceChildren();
      return true;
    }
    sendAsset = assetSelect('send-asset', assets, sendAsset?.value);
    receiveAsset = assetSelect('receive-asset', assets, receiveAsset?.value);
    receiveAsset.addEventListener('change', drawReceive);
    sendSlot.replaceChildren(h('label', { for: 'send-asset' }, 'Asset'), sendAsset);
    receiveSlot.replaceChildren(h('label', { for: 'receive-asset' }, 'Asset'), receiveAsset);
    tokenChain.replaceChildren(...chains.filter(c => c.family === 'evm').map(c => h('option', { value: c.chain }, c.chain)));
    drawReceive();
    drawBalances();
    return true;
  }

  let stages = '';
  async function refresh() {
    if (!nodeReady()) return;
    try { if (node.walletPublishAddresses()) await persist(); } catch (err) { console.warn('publish addresses', err); }
    if (build(false)) loadBalances();
    const payments = node.walletHistory();
    renderIfChanged(history, payments, () => payments.length ? payments.map(p => h('li', { class: 'item payment', 'data-id': p.id, 'data-kind': p.kind, 'data-stage': p.stage, 'data-txid': p.txid },
      h('span', { class: 'grow' },
        h('span', { class: 'name' }, `${p.kind === 'tip' ? 'Tip' : 'Sent'} ${p.amount ?? '?'} ${p.symbol}`),
        h('span', { class: 'last' }, `to ${p.to ?? 'an address the transaction does not show'}${p.fee ? ` · fee up to ${p.fee} ${p.feeSymbol}` : ''} · ${p.chain}`)),
      h('span', { class: 'stage' }, stageWords(p)))) : [h('li', { class: 'item muted' }, 'No payments yet.')]);
    const now = payments.map(p => p.stage + p.confirmations).join();
    if (stages && now !== stages) loadBalances(); // a payment moved on: the balances did too
    stages = now;
  }
  state.view = { refresh };
  await refresh();
}

/** The Tip dialog: amount and asset for this browser's identity; a demo device cannot pay. */
function openTip(p) {
  const dialog = document.getElementById('tip');
  const fields = document.getElementById('tip-fields');
  const error = document.getElementById('tip-error');
  const submit = document.getElementById('tip-submit');
  const cancel = document.getElementById('tip-cancel');
  error.textContent = '';
  document.getElementById('tip-title').textContent = `Tip ${p.name}`;
  const assets = walletAssets();
  if (!nodeReady() || !assets.length) {
    document.getElementById('tip-text').textContent = nodeReady()
      ? 'No gateway this browser knows serves a chain yet, so there is nothing to pay with.'
      : `Tipping ${p.name} needs an identity of your own in this browser: payments are signed on your device and relayed over the mesh.`;
    fields.replaceChildren();
    submit.textContent = 'OK';
    cancel.hidden = true;
    submit.onclick = null;
    dialog.showModal();
    return;
  }
  document.getElementById('tip-text').textContent = `The tip goes to the address ${p.name} lists in their profile, and shows on the post once the chain confirms it.`;
  const amount = h('input', { id: 'tip-amount', inputmode: 'decimal', placeholder: '0.001', required: true });
  fields.replaceChildren(h('label', { for: 'tip-asset' }, 'Asset'), assetSelect('tip-asset', assets), h('label', { for: 'tip-amount' }, 'Amount'), amount);
  submit.textContent = 'Review tip';
  cancel.hidden = false;
  cancel.onclick = () => dialog.close();
  submit.onclick = async e => {
    e.preventDefault();
    error.textContent = '';
    const asset = assets.find(a => assetKey(a) === document.getElementById('tip-asset').value) || assets[0];
    submit.disabled = true;
    try {
      const quote = await walletCall(() => state.node.walletTipQuote({ ...asset, author: p.author, seq: p.seq, amount: amount.value }));
      dialog.close();
      const result = await spend(quote);
      if (result && result.stage === 'failed') toast(`Tip not sent: ${result.reason}`);
      tipSummaries.delete(`${p.author}:${p.seq}`);
      refreshSoon();
    } catch (err) { error.textContent = plain(err); } finally { submit.disabled = false; }
  };
  dialog.showModal();
  amount.focus();
}

/** The tips of a post as this browser last checked them; a check runs in the background and redraws when it changes. */
function tipSummary(p) {
  if (!nodeReady() || p.seq === undefined || p.seq === null || p.pending) return null;
  const key = `${p.author}:${p.seq}`;
  const known = tipSummaries.get(key);
  // Asked again every few seconds: a tip entry may have arrived, or a pending one been mined. A confirmed tip is
  // remembered by the node, and a post without tips costs no chain request.
  if (!known || Date.now() - known.at > (known.pending > 0 ? 3000 : 6000)) {
    if (!known) tipSummaries.set(key, { count: 0, totals: [], pending: 0, at: Date.now() });
    else known.at = Date.now();
    walletCall(() => state.node.postTips(p.author, p.seq, walletAssets())).then(t => {
      const next = { count: t.confirmed.count, totals: t.confirmed.totals, pending: t.tips.filter(x => x.state === 'pending').length, at: Date.now() };
      const before = tipSummaries.get(key);
      tipSummaries.set(key, next);
      if (!before || before.count !== next.count || before.pending !== next.pending) refreshSoon();
    }).catch(err => console.warn('tips', err));
  }
  const s = tipSummaries.get(key);
  return { count: s.count, totals: s.totals, pending: s.pending };
}

// ---------- routing and live updates ----------
async function route() {
  const generation = state.generation;
  const [, tab = 'chats', arg] = (location.hash || '#/chats').split('/');
  document.querySelectorAll('.tabs a').forEach(a => a.setAttribute('aria-current', a.dataset.tab === tab ? 'page' : 'false'));
  state.view = null;
  try {
    const views = { chats: () => chatsView(arg), feed: feedView, wallet: walletView, channels: () => channelsView(arg), contacts: contactsView, nodes: nodesView, anchors: anchorsView, provision: provisionView };
    const personal = !['nodes', 'anchors', 'provision'].includes(tab);
    if (state.mode === 'welcome' && tab !== 'nodes' && tab !== 'provision') await welcomeView();
    else if (state.mode === 'locked') setView('Locked', h('p', {}, 'Unlock your identity with your passphrase, or choose a demo device above.'));
    else if (state.mode === 'self' && !state.node && personal) {
      setView('Starting', h('p', { class: 'card', role: 'alert' }, state.nodeError || 'The messenger is starting…'),
        h('p', {}, 'What you write waits in this browser and goes out when it runs.'));
    } else await (views[tab] || views.chats)();
  } catch (err) {
    if (generation === state.generation) document.getElementById('view').append(errorCard(err));
  }
}

let pending = null;
function refreshSoon() {
  if (!state.view || pending) return;
  const generation = state.generation;
  pending = setTimeout(async () => {
    pending = null;
    if (generation !== state.generation) return;
    try { await state.view?.refresh(); } catch (err) { if (!(err instanceof OfflineError)) console.warn(err); }
  }, 150);
}

function showGatewayLine() {
  const line = document.getElementById('gateway-line');
  const g = state.gateway;
  const where = g && g.region ? `Gateway ${g.name} · ${g.region} ${g.preset}` : 'Gateway not reachable';
  if (state.mode === 'self') {
    line.replaceChildren(state.linkUp ? h('span', { class: 'dot', 'aria-hidden': 'true' }) : '', `${where} · ${state.linkUp ? 'connected to the mesh' : 'waiting for the mesh'}`);
  } else {
    line.replaceChildren(state.eventsUp ? h('span', { class: 'dot', 'aria-hidden': 'true' }) : '', `${where} · ${state.eventsUp ? 'live' : 'reconnecting…'}`);
  }
}

function connectLive() {
  const events = new EventSource('/api/events');
  events.addEventListener('hello', () => { state.eventsUp = true; showGatewayLine(); drainOutbox(); });
  events.addEventListener('entry', () => { if (state.mode !== 'self') refreshSoon(); });
  events.addEventListener('anchor', refreshSoon);
  events.onerror = () => { state.eventsUp = false; showGatewayLine(); };
}

// The service worker keeps the app usable without the gateway; the /_framework/ files loaded before it took control are
// handed to it so they are cached too.
async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch (e) { console.warn('service worker', e); return; }
  await handFrameworkToWorker();
}

/**
 * Sends the worker the /_framework/ files this page has loaded (sw.js caches those it lacks). A list taken when the
 * worker becomes ready misses files still loading then, so bootNode sends it again once the node runs.
 */
async function handFrameworkToWorker() {
  if (!('serviceWorker' in navigator)) return;
  try {
    const ready = await navigator.serviceWorker.ready;
    const loaded = performance.getEntriesByType('resource').map(r => r.name).filter(n => new URL(n).pathname.startsWith('/_framework/'));
    if (loaded.length) ready.active?.postMessage({ cache: loaded });
  } catch (e) { console.warn('service worker', e); }
}

async function start() {
  state.ks = await openKeystore();
  try { state.gateway = await api('/gateway'); } catch (e) {
    state.gateway = { name: '', region: '', preset: '', loraTextBytes: 152, maxTextBytes: 1000 };
    if (!(e instanceof OfflineError)) throw e;
  }
  try { state.devices = (await api('/devices')).filter(d => d.demo !== false && !d.person); } catch (e) { if (!(e instanceof OfflineError)) throw e; }
  state.identity = await state.ks.identityInfo();
  await loadOutbox();
  const asked = new URLSearchParams(location.search).get('as') || sessionStorage.getItem('mm.as');
  if (asked && (state.devices.some(d => d.id === asked) || !state.devices.length)) demoMode(asked);
  else if (state.identity) {
    state.mode = 'self';
    state.me = state.identity.id;
  }
  await renderPicker();
  document.getElementById('who').addEventListener('change', e => choose(e.target.value));
  document.getElementById('identity-open').addEventListener('click', identityDialog);
  window.addEventListener('hashchange', () => { route(); document.getElementById('view').focus(); });
  window.addEventListener('online', () => drainOutbox());
  setInterval(() => { if (state.outbox.length) drainOutbox(); }, 5000);
  // Tips: nothing arrives over the link when a tip's payment is mined, so the posts on screen are checked again.
  setInterval(() => { if (nodeReady() && /^#\/(feed|channels)/.test(location.hash)) refreshSoon(); }, 3000);
  connectLive();
  showGatewayLine();
  registerServiceWorker();
  if (state.mode === 'self') {
    if (state.identity.hasPassphrase) {
      await route();
      document.body.dataset.ready = 'true';
      await switchIdentity(unlockOrOpen);
      return;
    }
    await openSelf(null);
  }
  await route();
  document.body.dataset.ready = 'true';
}

start().catch(err => { document.getElementById('view').replaceChildren(errorCard(err)); document.body.dataset.ready = 'true'; });
