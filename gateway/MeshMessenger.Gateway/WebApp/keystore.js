// The browser's store of who it is (IndexedDB, W3C Indexed Database API 3.0) and what its node needs to reopen.
//
// The identity's backup code (its secret) is never stored in the clear. It is sealed with AES-GCM 256 (NIST SP 800-38D)
// under a key made by crypto.subtle.generateKey with extractable = false (W3C Web Cryptography API §14.3.6); the
// CryptoKey object itself is stored in IndexedDB, and a structured clone of a non-extractable key stays non-extractable
// (WebCrypto §13 "structured serialization"), so no script can read its bytes, not even this one. With a passphrase a
// second AES-GCM layer is added under a key from PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), 600,000 iterations (OWASP
// Password Storage Cheat Sheet, 2023) and a random 16-byte salt, so the code needs the passphrase as well.
// Entries, contacts, channel invites (they hold channel secrets), read marks and the outbox are sealed under the same
// device key.
//
// What the wrapping protects against: a script or extension that can only read storage (or an export of IndexedDB),
// a copy of the database files taken without the browser's key object, and the raw secret sitting in JS-visible
// storage (localStorage, a plain IndexedDB value, a backup of the profile's web data).
// What it does not protect against: code running in this page can still ask the browser to use the key (an XSS could
// decrypt, though never export the key); malware with access to the whole browser profile and its key store; and a
// malicious gateway serving altered app code. The service worker (sw.js) pins the installed code, but a first visit,
// and any visit after the service worker was removed, trusts whatever the gateway serves.

const DB_NAME = 'meshmessenger';
const DB_VERSION = 1;
const PBKDF2_ITERATIONS = 600000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function openDatabase() {
  const open = indexedDB.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
    if (!db.objectStoreNames.contains('entries')) db.createObjectStore('entries', { autoIncrement: true });
    if (!db.objectStoreNames.contains('outbox')) db.createObjectStore('outbox', { autoIncrement: true });
  };
  return request(open);
}

async function aesSeal(key, bytes, aad) {
  const iv = crypto.getRandomValues(new Uint8Array(12)); // 96-bit random nonce (SP 800-38D §8.2.2); keys seal far fewer than 2^32 records
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, bytes));
  return { iv, ct };
}

async function aesOpen(key, sealed, aad) {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: aad }, key, sealed.ct));
}

async function passphraseKey(passphrase, salt) {
  const material = await crypto.subtle.importKey('raw', encoder.encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS },
    material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** Opens (and creates on first use) the store. */
export async function openKeystore() {
  const db = await openDatabase();
  const tx = (stores, mode = 'readonly') => db.transaction(stores, mode);
  const get = (store, key) => request(tx(store).objectStore(store).get(key));
  const put = (store, value, key) => request(tx(store, 'readwrite').objectStore(store).put(value, key));

  // The device key: made once, never extractable. Regenerated only when the identity is forgotten.
  async function deviceKey() {
    let key = await get('kv', 'deviceKey');
    if (!key) {
      key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      await put('kv', key, 'deviceKey');
    }
    return key;
  }

  async function sealJson(name, value) {
    const sealed = await aesSeal(await deviceKey(), encoder.encode(JSON.stringify(value)), encoder.encode(name));
    await put('kv', sealed, name);
  }

  async function openJson(name, fallback) {
    const sealed = await get('kv', name);
    if (!sealed) return fallback;
    try { return JSON.parse(decoder.decode(await aesOpen(await deviceKey(), sealed, encoder.encode(name)))); } catch { return fallback; }
  }

  return {
    /** { id, name, hasPassphrase, createdAt, backupShown } of the stored identity, or null. No secret. */
    async identityInfo() {
      const record = await get('kv', 'identity');
      return record ? { id: record.id, name: record.name, hasPassphrase: !!record.salt, createdAt: record.createdAt, backupShown: !!record.backupShown, restoring: !!record.restoring } : null;
    },

    /** Stores the identity's backup code wrapped (see the top of this file); passphrase optional. */
    async saveIdentity({ id, name, backupCode, passphrase }) {
      const aad = encoder.encode('identity:' + id);
      let secret = encoder.encode(backupCode);
      let salt = null;
      let inner = null;
      if (passphrase) {
        salt = crypto.getRandomValues(new Uint8Array(16));
        const sealed = await aesSeal(await passphraseKey(passphrase, salt), secret, aad);
        inner = sealed.iv;
        secret = sealed.ct;
      }
      const outer = await aesSeal(await deviceKey(), secret, aad);
      await put('kv', { id, name, salt, inner, outer, createdAt: Date.now(), backupShown: false }, 'identity');
    },

    /** The backup code in the clear, for the node to open; throws a plain message on a wrong passphrase. */
    async loadBackupCode(passphrase) {
      const record = await get('kv', 'identity');
      if (!record) throw new Error('This browser holds no identity.');
      const aad = encoder.encode('identity:' + record.id);
      let secret;
      try { secret = await aesOpen(await deviceKey(), record.outer, aad); } catch {
        throw new Error('This browser\'s key for your identity is gone or damaged. Restore from your backup code.');
      }
      if (record.salt) {
        if (!passphrase) throw new Error('Your passphrase is needed.');
        try { secret = await aesOpen(await passphraseKey(passphrase, record.salt), { iv: record.inner, ct: secret }, aad); } catch {
          throw new Error('That passphrase is not right.');
        }
      }
      return decoder.decode(secret);
    },

    /** Sets a flag on the identity record (restoring: the node still rebuilds its history from the mesh). */
    async setIdentityFlag(name, value) {
      const record = await get('kv', 'identity');
      if (record) { record[name] = value; await put('kv', record, 'identity'); }
    },

    /** Records that the backup code was shown once (the creation step); later showings need a confirmation. */
    async markBackupShown() {
      const record = await get('kv', 'identity');
      if (record) { record.backupShown = true; await put('kv', record, 'identity'); }
    },

    /** Appends one blob from node.takeNewEntries(), sealed. */
    async appendEntries(blob) {
      const sealed = await aesSeal(await deviceKey(), blob, encoder.encode('entries')); // sealed first: a transaction ends at the first await
      await request(tx('entries', 'readwrite').objectStore('entries').add(sealed));
    },

    /** All stored entry blobs concatenated, for node.open({ entries }); null if none. */
    async entries() {
      const all = await request(tx('entries').objectStore('entries').getAll());
      if (!all.length) return null;
      const key = await deviceKey();
      const parts = [];
      for (const sealed of all) parts.push(await aesOpen(key, sealed, encoder.encode('entries')));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { out.set(p, at); at += p.length; }
      return out;
    },

    contacts: () => openJson('contacts', []),
    setContacts: list => sealJson('contacts', list),
    channels: () => openJson('channels', []),
    setChannels: list => sealJson('channels', list),
    readMarks: () => openJson('read', {}),
    setReadMarks: marks => sealJson('read', marks),

    /** Queues a compose request made while the node is not open yet; returns its key. */
    async outboxAdd(item) {
      const sealed = await aesSeal(await deviceKey(), encoder.encode(JSON.stringify(item)), encoder.encode('outbox'));
      return request(tx('outbox', 'readwrite').objectStore('outbox').add(sealed));
    },

    /** [{ key, item }] oldest first. */
    async outbox() {
      const store = tx('outbox').objectStore('outbox');
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      const key = await deviceKey();
      const out = [];
      for (let i = 0; i < keys.length; i++) {
        try { out.push({ key: keys[i], item: JSON.parse(decoder.decode(await aesOpen(key, values[i], encoder.encode('outbox')))) }); } catch { /* sealed under a forgotten key */ }
      }
      return out;
    },

    outboxRemove: key => request(tx('outbox', 'readwrite').objectStore('outbox').delete(key)),

    /** Forgets the identity and everything sealed for it, and the device key with it. */
    async forget() {
      const t = tx(['kv', 'entries', 'outbox'], 'readwrite');
      t.objectStore('kv').clear();
      t.objectStore('entries').clear();
      t.objectStore('outbox').clear();
      await new Promise((resolve, reject) => { t.oncomplete = resolve; t.onerror = () => reject(t.error); });
    },
  };
}
