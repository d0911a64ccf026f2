// Drives meshnode.js the way the web app does (a node in the page, frames over the /api/link WebSocket), for the
// web benchmark and the browser tests when they must not depend on the app's markup. Loaded into a same-origin
// page; every call that may queue frames flushes them to the link at once.
window.mmHarness = (() => {
  let node = null;
  let socket = null;
  const pending = [];
  const blobs = [];

  function toBase64(bytes) {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  function fromBase64(text) {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }

  function keep() {
    const blob = node.takeNewEntries();
    if (blob && blob.length) {
      blobs.push(blob);
    }
  }

  function flush() {
    if (!node) {
      return;
    }
    for (const frame of node.takeOutbound()) {
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(frame);
      } else {
        pending.push(frame);
      }
    }
    keep();
  }

  return {
    async boot() {
      const module = await import('/meshnode.js');
      node = await module.bootNode();
      return performance.now();
    },
    open(options) {
      const result = node.open({
        name: '', restoring: false, contacts: [], channels: [], ...options,
        entries: options.entries ? fromBase64(options.entries) : null,
      });
      flush();
      return result;
    },
    connect() {
      return new Promise((resolve, reject) => {
        socket = new WebSocket(location.origin.replace(/^http/, 'ws') + '/api/link');
        socket.binaryType = 'arraybuffer';
        socket.onopen = () => {
          for (const frame of pending.splice(0)) {
            socket.send(frame);
          }
          flush();
          resolve(true);
        };
        socket.onerror = () => reject(new Error('the link to the gateway failed'));
        socket.onmessage = (e) => {
          node.receive(new Uint8Array(e.data));
          flush();
        };
      });
    },
    call(method, ...args) {
      const result = node[method](...args);
      flush();
      return result;
    },
    entries() {
      const length = blobs.reduce((n, b) => n + b.length, 0);
      const all = new Uint8Array(length);
      let at = 0;
      for (const b of blobs) {
        all.set(b, at);
        at += b.length;
      }
      return toBase64(all);
    },
  };
})();
