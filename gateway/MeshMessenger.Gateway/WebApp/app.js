// MeshMessenger web app: a hash-routed single page over the gateway's JSON API (docs/gateway.md §6).
// Everything shown is built with DOM calls (never innerHTML with data), so message text cannot inject markup.
// Live updates arrive over server-sent events; a view refetches what an event touches.

const state = {
  me: null,          // node id (8 hex digits) of the device this page acts as
  devices: [],
  gateway: null,
  view: null,        // { name, refresh() }
  lastRead: {},      // peer -> newest sequence this page has marked read
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

async function api(path, options = {}) {
  const response = await fetch('/api' + path, options);
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new Error((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`);
  }
  return body;
}

const post = (path, data) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });

function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('show'), 3500);
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
const STATE_WORDS = { sending: 'Sending', sent: 'Sent', relayed: 'Relayed', delivered: 'Delivered', read: 'Read' };
const STATE_MARKS = { sending: '…', sent: '✓', relayed: '✓↗', delivered: '✓✓', read: '✓✓' };

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

function errorCard(e) {
  return h('p', { class: 'card bad', role: 'alert' }, e.message || String(e));
}

// ---------- identity ----------
async function loadDevices() {
  state.devices = await api('/devices');
  const select = document.getElementById('who');
  select.replaceChildren(...state.devices.map(d => h('option', { value: d.id, selected: d.id === state.me }, `${d.name}${d.person ? '' : ' (emulated)'} · ${d.id}`)));
  if (!state.devices.some(d => d.id === state.me)) {
    state.me = state.devices.length ? state.devices[0].id : null;
    if (state.me) select.value = state.me;
  }
}

function chooseMe(id) {
  state.me = id;
  state.lastRead = {};
  sessionStorage.setItem('mm.as', id);
  const url = new URL(location.href);
  url.searchParams.set('as', id);
  history.replaceState(null, '', url);
  route();
}


// ---------- views ----------
async function chatsView(peer) {
  const list = h('ul', { class: 'list', 'aria-label': 'Conversations' });
  const pane = h('section', { 'aria-label': 'Conversation' });
  setView('Chats', h('div', { class: 'split' }, h('div', { class: 'card' }, list), pane));
  const title = h('h2', {});
  const messages = h('ol', { class: 'messages', tabindex: 0, 'aria-live': 'polite' });
  if (peer) pane.append(h('div', { class: 'card' }, title, messages, directComposer(peer)));
  else pane.append(h('p', { class: 'card muted' }, 'Choose a conversation.'));

  async function refresh() {
    const chats = await api(`/devices/${state.me}/chats`);
    renderIfChanged(list, chats, () => chats.length ? chats.map(c => h('li', {},
      h('a', { href: `#/chats/${c.peer}`, 'aria-current': c.peer === peer ? 'true' : null },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(c.name)),
        h('span', { class: 'grow' }, h('span', { class: 'name' }, c.name), h('span', { class: 'last' }, c.last || 'No messages yet')),
        c.unread ? h('span', { class: 'badge' }, h('span', { class: 'visually-hidden' }, 'unread: '), c.unread) : null))) :
      [h('li', { class: 'item muted' }, 'No conversations yet. Add a contact to start one.')]);
    if (!peer) return;
    const convo = await api(`/devices/${state.me}/chats/${peer}`);
    title.replaceChildren(convo.name, ' ', h('span', { class: 'muted' }, `· ${convo.peer}`));
    messages.setAttribute('aria-label', `Messages with ${convo.name}`);
    if (renderIfChanged(messages, convo.messages, () => convo.messages.map(m => h('li', { class: 'bubble' + (m.outgoing ? ' mine' : ''), 'data-seq': m.seq },
      h('div', { class: 'text' }, m.text),
      h('div', { class: 'meta' }, h('time', {}, when(m.time)),
        m.outgoing ? h('span', { class: 'state', 'data-state': m.state, title: stateHelp(m.state) }, `${STATE_MARKS[m.state]} ${STATE_WORDS[m.state]}`) : null))))) {
      messages.scrollTop = messages.scrollHeight;
    }
    const newest = Math.max(0, ...convo.messages.filter(m => !m.outgoing).map(m => m.seq));
    if (newest > (state.lastRead[peer] || 0) && document.visibilityState === 'visible') {
      state.lastRead[peer] = newest;
      await post(`/devices/${state.me}/chats/${peer}/read`, {});
    }
  }
  state.view = { refresh };
  await refresh();
}

function stateHelp(s) {
  return {
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
  const send = h('button', { type: 'submit' }, 'Send');
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
    send.disabled = true;
    try {
      await post(`/devices/${state.me}/chats/${peer}`, { text: box.value });
      box.value = '';
      update();
      await state.view.refresh();
    } catch (err) { toast(err.message); } finally { send.disabled = false; box.focus(); }
  } }, h('label', { for: 'message', class: 'visually-hidden' }, 'Message'), box, send, budget, openNote());
  update();
  return form;
}

// A demo (emulated) device is open to every page, so what it writes and receives is readable by every visitor.
function openNote() {
  const acting = state.devices.find(d => d.id === state.me);
  return acting && !acting.person
    ? h('p', { class: 'counter', id: 'open-device-note' }, `${acting.name} is a demo device: every visitor to this gateway can act as it and read its direct messages.`)
    : null;
}

function postComposer(label, path, after) {
  const id = 'post-' + Math.random().toString(36).slice(2, 7);
  const text = h('textarea', { id, rows: 2, placeholder: label });
  const file = h('input', { type: 'file', id: id + '-photo', accept: 'image/*', name: 'photo' });
  const send = h('button', { type: 'submit' }, 'Post');
  const form = h('form', { class: 'card', onsubmit: async e => {
    e.preventDefault();
    if (!text.value.trim() && !file.files.length) return;
    const data = new FormData();
    data.append('text', text.value);
    if (file.files.length) data.append('photo', file.files[0]);
    send.disabled = true;
    try {
      const result = await api(path(), { method: 'POST', body: data });
      text.value = '';
      file.value = '';
      if (result.photo) toast(`Photo shrunk to ${result.photo.width}×${result.photo.height}, ${result.photo.bytes} bytes, to cross LoRa`);
      await after();
    } catch (err) { toast(err.message); } finally { send.disabled = false; }
  } },
  h('label', { for: id }, label), text,
  h('div', { class: 'row' }, h('label', { for: id + '-photo' }, 'Photo (optional, shrunk to about 1 KB)'), file, send));
  return form;
}

function postCard(p) {
  const tip = h('button', { type: 'button', class: 'secondary', onclick: () => {
    document.getElementById('tip-text').textContent = `Tipping ${p.name} needs the wallet, which arrives in a later release: payments will be signed on your device and relayed over the mesh.`;
    document.getElementById('tip').showModal();
  } }, '♥ Tip ', h('span', { class: 'visually-hidden' }, p.name));
  return h('article', { class: 'post', 'data-author': p.author, 'data-seq': p.seq },
    h('header', {}, h('strong', {}, p.name), h('span', { class: 'where' }, p.channel ? `in #${p.channel}` : 'public'), h('time', { class: 'where' }, when(p.time))),
    p.text ? h('p', {}, p.text) : null,
    p.photo ? h('img', { src: p.photo, alt: p.text ? `Photo: ${p.text}` : `Photo from ${p.name}`, loading: 'lazy', width: 160, height: 120 }) : null,
    h('div', { class: 'row' }, p.photo ? h('span', { class: 'muted' }, `${p.photoBytes} bytes`) : null, p.outgoing ? null : tip));
}

async function feedView() {
  const list = h('section', { 'aria-label': 'Posts', 'aria-live': 'polite' });
  setView('Feed', postComposer('Share with everyone', () => `/devices/${state.me}/feed`, () => refresh()), list);
  async function refresh() {
    const posts = await api(`/devices/${state.me}/feed`);
    renderIfChanged(list, posts, () => posts.length ? posts.map(postCard) : [h('p', { class: 'muted' }, 'Nothing posted yet.')]);
  }
  state.view = { refresh };
  await refresh();
}

async function channelsView(channel) {
  const list = h('ul', { class: 'list', 'aria-label': 'Your channels' });
  const pane = h('section', { 'aria-label': 'Channel' });
  const name = h('input', { id: 'channel-name', maxlength: 32, placeholder: 'e.g. harvest' });
  const invite = h('input', { id: 'channel-invite', placeholder: 'MMC1:…' });
  const manage = h('div', { class: 'card' },
    h('form', { onsubmit: async e => { e.preventDefault(); await join({ name: name.value }); name.value = ''; } },
      h('label', { for: 'channel-name' }, 'New channel'), h('div', { class: 'row' }, name, h('button', { type: 'submit' }, 'Create'))),
    h('form', { onsubmit: async e => { e.preventDefault(); await join({ invite: invite.value }); invite.value = ''; } },
      h('label', { for: 'channel-invite' }, 'Join with an invite'), h('div', { class: 'row' }, invite, h('button', { type: 'submit', class: 'secondary' }, 'Join'))));
  async function join(body) {
    try { const c = await post(`/devices/${state.me}/channels`, body); location.hash = `#/channels/${c.id}`; } catch (err) { toast(err.message); }
  }
  setView('Channels', h('div', { class: 'split' }, h('div', {}, h('div', { class: 'card' }, list), manage), pane));
  const heading = h('h2', {});
  const invitation = h('p', { class: 'code' });
  const posts = h('div', { 'aria-live': 'polite' });
  let built = false;
  async function refresh() {
    const channels = await api(`/devices/${state.me}/channels`);
    renderIfChanged(list, channels, () => channels.map(c => h('li', {}, h('a', { href: `#/channels/${c.id}`, 'aria-current': c.id === channel ? 'true' : null },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, '#'), h('span', { class: 'grow' }, h('span', { class: 'name' }, c.name))))));
    const current = channels.find(c => c.id === channel);
    if (!current) { pane.replaceChildren(h('p', { class: 'card muted' }, 'Choose a channel.')); return; }
    if (!built) {
      // Built once: refreshes touch only the posts, so the composer keeps its focus and text.
      built = true;
      pane.replaceChildren(heading, h('details', {}, h('summary', {}, 'Invite someone'), invitation),
        postComposer(`Post to #${current.name}`, () => `/devices/${state.me}/channels/${channel}`, () => refresh()), posts);
    }
    heading.textContent = `#${current.name}`;
    invitation.textContent = current.invite;
    const channelPosts = await api(`/devices/${state.me}/channels/${channel}`);
    renderIfChanged(posts, channelPosts, () => channelPosts.length ? channelPosts.map(postCard) : [h('p', { class: 'muted' }, 'No posts yet.')]);
  }
  state.view = { refresh };
  await refresh();
}

async function contactsView() {
  const card = await api(`/devices/${state.me}/card`);
  const list = h('ul', { class: 'list', 'aria-label': 'Contacts' });
  const status = h('p', { role: 'status', class: 'muted' });
  const file = h('input', { type: 'file', id: 'qr-image', accept: 'image/*' });
  const text = h('input', { id: 'card-text', placeholder: 'MM1:…' });
  const video = h('video', { muted: true, playsinline: true, hidden: true, 'aria-label': 'Camera preview' });
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    const found = await decodeImage(file.files[0]);
    file.value = '';
    if (found) await addCard(found); else status.textContent = 'No QR code found in that picture. Try a sharper or closer one.';
  });
  async function addCard(cardText) {
    try {
      const added = await post(`/devices/${state.me}/contacts`, { card: cardText });
      status.textContent = `Added ${added.name} (${added.id}).`;
      toast(`Added ${added.name}`);
      await refresh();
    } catch (err) { status.textContent = err.message; }
  }
  const camera = h('button', { type: 'button', class: 'secondary', onclick: () => scanCamera(video, status, addCard) }, 'Scan with camera');
  setView('Contacts',
    h('div', { class: 'split' },
      h('div', { class: 'card' }, h('h2', {}, 'My contact card'),
        h('img', { class: 'qr', src: `/api/devices/${state.me}/card.svg`, alt: `QR code of ${card.name}'s contact card`, id: 'my-qr' }),
        h('p', {}, h('strong', {}, card.name), ' ', h('span', { class: 'muted' }, card.id)),
        h('details', {}, h('summary', {}, 'Card as text'), h('p', { class: 'code', id: 'my-card' }, card.text)),
        h('a', { class: 'button secondary', href: `/api/devices/${state.me}/card.png`, download: `${card.name}-contact.png` }, 'Download QR image')),
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
    const contacts = await api(`/devices/${state.me}/contacts`);
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
    h('p', { class: 'muted' }, 'Devices this gateway hears directly. Quality is the signal-to-noise margin above what LongFast can still decode.'),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Nodes heard by the gateway'),
      h('thead', {}, h('tr', {}, ...['Name', 'Node', 'Kind', 'Link', 'Quality', 'RSSI', 'SNR', 'Last heard', 'Frames'].map(t => h('th', { scope: 'col' }, t)))),
      body)));
  async function refresh() {
    const nodes = await api('/nodes');
    body.replaceChildren(...nodes.map(n => h('tr', {},
      h('td', {}, n.name), h('td', { class: 'code' }, n.id), h('td', {}, n.kind), h('td', {}, n.link),
      h('td', {}, n.quality), h('td', {}, n.rssi === null ? '—' : `${n.rssi} dBm`), h('td', {}, n.snr === null ? '—' : `${n.snr} dB`),
      h('td', {}, h('time', { datetime: new Date(n.lastHeard).toISOString() }, ago(n.secondsAgo))), h('td', {}, n.frames))));
  }
  state.view = { refresh };
  await refresh();
}

async function anchorsView() {
  const summary = h('div', { class: 'card', 'aria-live': 'polite' });
  const batches = h('tbody');
  const mine = h('ul', { class: 'list', 'aria-label': 'Your recent posts and messages' });
  const proof = h('section', { 'aria-label': 'Proof', id: 'proof' });
  setView('Proofs',
    h('p', {}, 'This gateway writes a fingerprint of everyone\'s message chains to a public blockchain in batches. ',
      'A proof then shows that a message existed, unaltered, no later than a given block, without revealing the message.'),
    summary, h('div', { class: 'split' },
      h('div', { class: 'card' }, h('h2', {}, 'Check one of your messages'), mine),
      proof),
    h('h2', {}, 'Batches'),
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ...['Batch', 'State', 'Checkpoints', 'Block', 'Transaction', 'Gas'].map(t => h('th', { scope: 'col' }, t)))), batches)));
  async function refresh() {
    const status = await api('/anchoring');
    const final = status.batches.filter(b => b.state === 'final').length;
    summary.replaceChildren(!status.enabled
      ? h('p', {}, 'Anchoring is off on this gateway.')
      : h('p', {}, `Anchoring is on (chain id ${status.chainId ?? '…'}, a batch every ${status.batchMinutes ?? '?'} min). `,
        h('strong', {}, `${final} batch${final === 1 ? '' : 'es'} final`), `, ${status.batches.length - final} on the way.`,
        status.lastError ? h('span', { class: 'bad' }, ` Last problem: ${status.lastError}`) : null));
    batches.replaceChildren(...status.batches.map(b => h('tr', {}, h('td', {}, b.id), h('td', {}, b.state), h('td', {}, b.leaves),
      h('td', {}, b.block ?? '—'), h('td', { class: 'code' }, b.tx ? b.tx.slice(0, 18) + '…' : '—'), h('td', {}, b.gasUsed ?? '—'))));
    const feed = await api(`/devices/${state.me}/feed`);
    const chats = await api(`/devices/${state.me}/chats`);
    const own = feed.filter(p => p.outgoing).map(p => ({ seq: p.seq, text: p.text || 'Photo' }));
    for (const c of chats.slice(0, 5)) {
      const convo = await api(`/devices/${state.me}/chats/${c.peer}`);
      own.push(...convo.messages.filter(m => m.outgoing).map(m => ({ seq: m.seq, text: `To ${c.name}: ${m.text}` })));
    }
    own.sort((a, b) => b.seq - a.seq);
    mine.replaceChildren(...(own.length ? own.slice(0, 12).map(m => h('li', {}, h('div', { class: 'item' },
      h('span', { class: 'grow' }, h('span', { class: 'name' }, `#${m.seq}`), h('span', { class: 'last' }, m.text)),
      h('button', { type: 'button', class: 'secondary', onclick: () => showProof(m.seq) }, 'Show proof', h('span', { class: 'visually-hidden' }, ` for message ${m.seq}`))))) :
      [h('li', { class: 'item muted' }, 'You have not sent anything yet.')]));
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
  const name = h('input', { id: 'device-name', required: true, maxlength: 32, placeholder: 'e.g. Heltec by the well' });
  const out = h('section', { 'aria-label': 'Device bundle', 'aria-live': 'polite' });
  setView('New device',
    h('p', {}, 'Make an identity and settings bundle for a new board. Scan the QR code with the device\'s setup screen or save the file for the flasher.'),
    h('form', { class: 'card', onsubmit: async e => {
      e.preventDefault();
      try {
        const r = await post('/provision', { name: name.value });
        const file = URL.createObjectURL(new Blob([JSON.stringify(r.bundle, null, 2)], { type: 'application/json' }));
        out.replaceChildren(h('div', { class: 'card' },
          h('h2', {}, `Bundle for ${r.bundle.name}`),
          h('p', { class: 'bad', role: 'note' }, 'This bundle holds the device\'s secret key (its backup code). Anyone who scans it can be this device. The gateway keeps no copy.'),
          h('img', { class: 'qr', alt: `QR code of the device bundle for ${r.bundle.name}`, src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(r.qr) }),
          h('dl', {}, h('dt', {}, 'Node id'), h('dd', { class: 'code' }, r.bundle.node), h('dt', {}, 'Radio'), h('dd', {}, `${r.bundle.region}, ${r.bundle.preset}`),
            h('dt', {}, 'Gateway'), h('dd', { class: 'code' }, `${r.bundle.gateway} (UDP ${r.bundle.udpPort})`)),
          h('a', { class: 'button', href: file, download: `${r.bundle.name}.meshmsg.json` }, 'Download bundle')));
      } catch (err) { out.replaceChildren(errorCard(err)); }
    } }, h('label', { for: 'device-name' }, 'Device name'), h('div', { class: 'row' }, name, h('button', { type: 'submit' }, 'Make bundle'))),
    out);
  state.view = null;
}

// ---------- routing and live updates ----------
async function route() {
  const [, tab = 'chats', arg] = (location.hash || '#/chats').split('/');
  document.querySelectorAll('.tabs a').forEach(a => a.setAttribute('aria-current', a.dataset.tab === tab ? 'page' : 'false'));
  state.view = null;
  if (!state.me) { setView('Welcome', h('p', {}, 'No devices on this gateway yet. Join as a new person to start.')); return; }
  try {
    const views = { chats: () => chatsView(arg), feed: feedView, channels: () => channelsView(arg), contacts: contactsView, nodes: nodesView, anchors: anchorsView, provision: provisionView };
    await (views[tab] || views.chats)();
  } catch (err) {
    document.getElementById('view').append(errorCard(err));
  }
}

let pending = null;
function refreshSoon() {
  if (!state.view || pending) return;
  pending = setTimeout(async () => {
    pending = null;
    try { await state.view?.refresh(); } catch (err) { console.warn(err); }
  }, 150);
}

function connectLive() {
  const line = document.getElementById('gateway-line');
  const events = new EventSource('/api/events');
  const online = () => line.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }),
    `Gateway ${state.gateway.name} · ${state.gateway.region} ${state.gateway.preset} · live`);
  events.addEventListener('hello', online);
  events.addEventListener('entry', refreshSoon);
  events.addEventListener('anchor', refreshSoon);
  events.onerror = () => { line.textContent = `Gateway ${state.gateway.name} · reconnecting…`; };
}

async function start() {
  state.gateway = await api('/gateway');
  const params = new URLSearchParams(location.search);
  state.me = params.get('as') || sessionStorage.getItem('mm.as');
  await loadDevices();
  document.getElementById('who').addEventListener('change', e => chooseMe(e.target.value));
  const dialog = document.getElementById('join');
  document.getElementById('join-open').addEventListener('click', () => dialog.showModal());
  document.getElementById('join-cancel').addEventListener('click', () => dialog.close());
  document.getElementById('join-form').addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const person = await post('/people', { name: document.getElementById('join-name').value });
      dialog.close();
      await loadDevices();
      document.getElementById('who').value = person.id;
      chooseMe(person.id);
      toast(`Welcome, ${person.name}`);
    } catch (err) { toast(err.message); }
  });
  window.addEventListener('hashchange', () => { route(); document.getElementById('view').focus(); });
  connectLive();
  await route();
  document.body.dataset.ready = 'true';
}

start().catch(err => document.getElementById('view').replaceChildren(errorCard(err)));
