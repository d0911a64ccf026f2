// The browser node's link to the mesh: a WebSocket (RFC 6455) to the gateway's /api/link carrying the same frames as
// a UDP datagram (docs/protocol.md §5), one frame per binary message, both ways. The gateway is only a relay here: it
// sees sealed frames. While the socket is down the node keeps its outbound frames, and they go out on reconnect.

const HEADS_EVERY_MS = 30000;
const FLUSH_EVERY_MS = 1000;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30000;
// A restoring node learns what it misses from heads; the gateway answers each Want with at most 64 entries
// (docs/protocol.md §8). While answers bring entries, the node asks again this soon after the last one was taken
// in, instead of on the next 30 s heads: a history of 1,000 entries comes back in seconds, not minutes.
const PULL_AFTER_MS = 100;
const CATCHING_UP_ENTRIES = 16;
const CONFIRM_AFTER_MS = 150;
const ENTRY = 1;
const FRAGMENT = 2;

/**
 * Keeps one WebSocket open to /api/link for `node` (the contract's MeshNode).
 * `onChange()` is called (at most every few hundred ms) after frames were received, so the app can persist and redraw;
 * `onStatus(up, words)` when the link goes up or down.
 */
export function startLink(node, { onChange, onStatus }) {
  let socket = null;
  let attempt = 0;
  let stopped = false;
  let reconnectTimer = 0;
  let received = 0;
  let changeTimer = 0;
  let pullTimer = 0;
  let entriesSinceHeads = 0;

  // Frames that arrive together (a backlog, a sync answer) are handed over as one batch, so the node can have their
  // signatures checked by WebCrypto all at once (receiveAll); one at a time otherwise, in arrival order either way.
  let inbox = [];
  let draining = Promise.resolve();
  function drain() {
    const batch = inbox;
    inbox = [];
    if (!batch.length) return;
    draining = draining.then(async () => {
      try {
        if (batch.length > 1 && typeof node.receiveAll === 'function') await node.receiveAll(batch);
        else for (const frame of batch) node.receive(frame); // a non-zero code is a frame the node refused; nothing to do
      } catch (e) { console.warn('frame', e); }
      flush();
      changed();
      const entries = batch.filter(f => f.length > 0 && ((f[0] & 0x1f) === ENTRY || (f[0] & 0x1f) === FRAGMENT)).length;
      entriesSinceHeads += entries;
      if (entries > 0) pullAgain();
    });
  }

  // Heads with a reply asked for: the gateway answers with its heads, and the node wants what it still misses (only
  // while rebuilding after a restore; an up-to-date node wants nothing, so the asking stops by itself once it has everything).
  function pullAgain() {
    clearTimeout(pullTimer);
    pullTimer = setTimeout(() => {
      pullTimer = 0;
      // Asking again costs a heads exchange, so only while rebuilding or after a run of entries (a sync answer or
      // a backlog: a browser that was away catches up at once, not 64 entries per 30 s); live traffic alone does not.
      if (socket?.readyState !== WebSocket.OPEN || (entriesSinceHeads < CATCHING_UP_ENTRIES && !node.state().rebuilding)) return;
      entriesSinceHeads = 0;
      node.announceHeads(true);
      flush();
    }, PULL_AFTER_MS);
  }

  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/link`;

  function changed() {
    if (changeTimer) return;
    changeTimer = setTimeout(() => { changeTimer = 0; onChange(); }, 200);
  }

  // Sends what the node wants sent; while the link is down the frames stay in the node.
  // After frames go out, heads are asked for a moment later: the gateway's answer lists this node's own chain as far as
  // its store holds it, and only that turns a message from "sending" into "sent" (a promise that survives its restart).
  function flush() {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const frames = node.takeOutbound();
    for (const frame of frames) socket.send(frame);
    if (frames.some(f => f.length > 0 && ((f[0] & 0x1f) === ENTRY || (f[0] & 0x1f) === FRAGMENT))) confirmSoon();
  }

  let confirmTimer = 0;
  function confirmSoon() {
    if (confirmTimer) return;
    confirmTimer = setTimeout(() => {
      confirmTimer = 0;
      if (socket?.readyState !== WebSocket.OPEN) return;
      node.announceHeads(true);
      for (const frame of node.takeOutbound()) socket.send(frame);
    }, CONFIRM_AFTER_MS);
  }

  function connect() {
    if (stopped) return;
    let ws;
    try { ws = new WebSocket(url); } catch { schedule(); return; }
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      onStatus(true, 'connected to the mesh');
      entriesSinceHeads = 0;
      node.announceHeads(true); // what we have, and a request for theirs: a restored or offline node catches up
      flush();
    };
    ws.onmessage = event => {
      if (!(event.data instanceof ArrayBuffer)) return;
      received++;
      inbox.push(new Uint8Array(event.data));
      if (inbox.length === 1) setTimeout(drain, 0);
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      onStatus(false, 'waiting for the mesh');
      schedule();
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
  }

  // Exponential back-off with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015), so a gateway
  // that restarts is not met by every browser at the same instant.
  function schedule() {
    if (stopped || reconnectTimer) return;
    const ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** attempt++);
    reconnectTimer = setTimeout(() => { reconnectTimer = 0; connect(); }, MIN_BACKOFF_MS / 2 + Math.random() * ceiling);
  }

  const heads = setInterval(() => { if (socket?.readyState === WebSocket.OPEN) { entriesSinceHeads = 0; node.announceHeads(true); flush(); } }, HEADS_EVERY_MS);
  const flusher = setInterval(flush, FLUSH_EVERY_MS);
  const online = () => { if (!socket) { clearTimeout(reconnectTimer); reconnectTimer = 0; attempt = 0; connect(); } };
  window.addEventListener('online', online);
  onStatus(false, 'connecting to the mesh');
  connect();

  return {
    /** Sends what the node queued; call after every node call that writes. */
    flush,
    get up() { return !!socket && socket.readyState === WebSocket.OPEN; },
    get received() { return received; },
    stop() {
      stopped = true;
      clearInterval(heads);
      clearInterval(flusher);
      clearTimeout(reconnectTimer);
      clearTimeout(changeTimer);
      clearTimeout(pullTimer);
      clearTimeout(confirmTimer);
      window.removeEventListener('online', online);
      socket?.close(1000);
      socket = null;
    },
  };
}

/**
 * Rebuilds a restored identity: the node opened with restoring = true asks for its own chain (heads/wants over the
 * link); once no new own entries arrived for `quietMs` while the link is up, finishRestore() lets it write again after
 * a resume entry that skips 64 sequences (docs/protocol.md §8.3, never reusing one). `progress(count)` reports how many
 * of its own entries (after the genesis) it holds.
 */
export function settleRestore(node, link, { quietMs = 3000, progress }) {
  return new Promise(resolve => {
    let last = -1;
    let quietSince = Date.now();
    const timer = setInterval(() => {
      const s = node.state();
      const own = s.ownEntriesBack || 0;
      if (own !== last) { last = own; quietSince = Date.now(); progress(own, link.received); }
      if (!link.up) { quietSince = Date.now(); return; }
      if (Date.now() - quietSince >= quietMs && node.finishRestore()) {
        clearInterval(timer);
        resolve(own);
      }
    }, 500);
  });
}
