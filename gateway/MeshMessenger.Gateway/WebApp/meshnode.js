// The browser node: MeshMessenger's C# protocol core compiled to WebAssembly (src/MeshMessenger.Browser),
// wrapped as plain JavaScript. Keys are made here and never leave the page. Ids are 8 lowercase hex digits;
// bytes are Uint8Array; failures throw Error with a plain-English message. README: src/MeshMessenger.Browser/README.md.

let booted = null;

/** Boots /_framework/dotnet.js once per page and returns the node API. */
export function bootNode() {
  booted ??= boot();
  return booted;
}

async function boot() {
  const { dotnet } = await import(new URL('./_framework/dotnet.js', import.meta.url).href);
  const runtime = await dotnet.create();
  const exports = await runtime.getAssemblyExports(runtime.getConfig().mainAssemblyName);
  return new MeshNode(exports.MeshMessenger.Browser.MeshNodeExports);
}

/** An {"ok": value} or {"error": "..."} answer from the node: the value, or a thrown Error. */
function answer(json) {
  const parsed = JSON.parse(json);
  if (Object.prototype.hasOwnProperty.call(parsed, 'error')) {
    throw new Error(parsed.error);
  }
  return parsed.ok;
}

/**
 * Ed25519 verification by the browser (WebCrypto, W3C Secure Curves; RFC 8032 §5.1.7): native code, about a
 * hundred times faster than the managed verifier in WebAssembly. false for a key WebCrypto refuses to import.
 */
export async function verifyEd25519(publicKey, message, signature) {
  try {
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}

function pack(frames) {
  const packed = new Uint8Array(frames.reduce((sum, f) => sum + 2 + f.length, 0));
  let at = 0;
  for (const f of frames) {
    packed[at] = f.length >> 8;
    packed[at + 1] = f.length & 0xff;
    packed.set(f, at + 2);
    at += 2 + f.length;
  }
  return packed;
}

function randomBytes(count) {
  return crypto.getRandomValues(new Uint8Array(count));
}

function bytesOrNull(value, what) {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Uint8Array)) throw new Error(`${what} must be a Uint8Array`);
  return value;
}

/** Calls an export that may throw a .NET exception, giving a plain message either way. */
function call(fn) {
  try {
    return fn();
  } catch (e) {
    throw new Error(String(e?.message ?? e).split('\n')[0].replace(/^.*Exception: /, ''));
  }
}

class MeshNode {
  #x;

  constructor(exports) {
    this.#x = exports;
  }

  /** A fresh identity: { id, backupCode }. The seed comes from crypto.getRandomValues. */
  create(name) {
    return answer(this.#x.Create(String(name ?? ''), randomBytes(32)));
  }

  /** Opens this page's node: { id, name, card }. entries: the concatenation of every takeNewEntries() blob, or null. */
  open({ backupCode, name, restoring = false, entries = null, contacts = [], channels = [] }) {
    const options = JSON.stringify({ backupCode, name, restoring: !!restoring, contacts, channels });
    return answer(call(() => this.#x.Open(options, bytesOrNull(entries, 'entries'))));
  }

  /** Takes one frame from the link: 0 if accepted or harmlessly ignored, else a ProtocolError code. */
  receive(frame) {
    if (!(frame instanceof Uint8Array)) throw new Error('a frame is a Uint8Array');
    return call(() => this.#x.Receive(frame));
  }

  /**
   * Takes a batch of frames (a link's backlog, a sync answer): the signatures they need are verified first by
   * WebCrypto, all at once, and the node then finds them verified. Resolves to one code per frame, as receive().
   */
  async receiveAll(frames) {
    for (const f of frames) {
      if (!(f instanceof Uint8Array) || f.length > 0xffff) throw new Error('a frame is a Uint8Array');
    }
    const pending = call(() => this.#x.PendingSignatures(pack(frames)));
    const size = 128;
    const checks = [];
    for (let at = 0; at + size <= pending.length; at += size) {
      const record = pending.subarray(at, at + size);
      checks.push(verifyEd25519(record.subarray(0, 32), record.subarray(32, 64), record.subarray(64, 128)).then(ok => (ok ? record : null)));
    }
    const verified = (await Promise.all(checks)).filter(r => r);
    if (verified.length > 0) {
      const records = new Uint8Array(verified.length * size);
      verified.forEach((r, i) => records.set(r, i * size));
      call(() => this.#x.AddVerifiedSignatures(records));
    }
    return frames.map(f => this.receive(f));
  }

  /** { webCrypto, managed }: signatures this page verified each way since it loaded. */
  signatureFigures() {
    return answer(call(() => this.#x.SignatureFigures()));
  }

  /** The frames to send on the link, each a Uint8Array of at most 1,232 bytes. */
  takeOutbound() {
    const packed = call(() => this.#x.TakeOutbound());
    const frames = [];
    for (let at = 0; at + 2 <= packed.length;) {
      const length = (packed[at] << 8) | packed[at + 1];
      frames.push(packed.slice(at + 2, at + 2 + length));
      at += 2 + length;
    }
    return frames;
  }

  /** Entries newly held since the last call, as one blob to persist, or null. */
  takeNewEntries() {
    return call(() => this.#x.TakeNewEntries()) ?? null;
  }

  sendText(peer, text) {
    return answer(call(() => this.#x.SendText(String(peer), String(text ?? ''))));
  }

  post(text, mediaType = 0, media = null) {
    return answer(call(() => this.#x.Post(String(text ?? ''), mediaType | 0, bytesOrNull(media, 'media'))));
  }

  postToChannel(channel, text, mediaType = 0, media = null) {
    return answer(call(() => this.#x.PostToChannel(String(channel), String(text ?? ''), mediaType | 0, bytesOrNull(media, 'media'))));
  }

  /** Marks the conversation with peer read (one read receipt for what is new); returns the newest sequence read. */
  markRead(peer) {
    return answer(call(() => this.#x.MarkRead(String(peer))));
  }

  addContact(cardText) {
    return answer(call(() => this.#x.AddContact(String(cardText ?? ''))));
  }

  createChannel(name) {
    return answer(call(() => this.#x.CreateChannel(String(name ?? ''), randomBytes(32))));
  }

  joinChannel(inviteText) {
    return answer(call(() => this.#x.JoinChannel(String(inviteText ?? ''))));
  }

  announceHeads(requestReply = false) {
    call(() => this.#x.AnnounceHeads(!!requestReply));
  }

  finishRestore() {
    return call(() => this.#x.FinishRestore());
  }

  state() {
    return answer(call(() => this.#x.State()));
  }

  conversation(peer) {
    return answer(call(() => this.#x.Conversation(String(peer))));
  }

  feed() {
    return answer(call(() => this.#x.Feed()));
  }

  channelPosts(channel) {
    return answer(call(() => this.#x.ChannelPosts(String(channel))));
  }

  /**
   * A board's provisioning bundle, its identity made here (or restored from restorePhrase, with the restore flag):
   * { frame: Uint8Array (the request frame a board stores; `meshmsg provision --port … file.mmb` sends it),
   *   summary: { name, node, card, region, preset, gateway, gatewayAddress, wifi, restore, bytes }, recoveryPhrase }.
   */
  provisionBundle({ name, region, preset, channel, gatewayNode, gatewayAddress, wifiSsid, wifiPassword, restorePhrase }) {
    const options = JSON.stringify({ name, region, preset, channel, gatewayNode, gatewayAddress, wifiSsid, wifiPassword, restorePhrase });
    const r = answer(call(() => this.#x.ProvisionBundle(options, randomBytes(32))));
    return { frame: Uint8Array.from(atob(r.frame), c => c.charCodeAt(0)), summary: JSON.parse(r.summary), recoveryPhrase: r.recoveryPhrase };
  }

  /**
   * The wallet addresses of this node's own root (its 24 words, BIP-39/32): { evm: { path, address },
   * utxo: [{ network, path, address }] }, the EVM account m/44'/60'/0'/0/0 (EIP-55) and the first BIP-84 receive
   * address of each network ('bitcoin', 'bitcoin-testnet', 'bitcoin-signet', 'bitcoin-regtest', 'litecoin',
   * 'litecoin-regtest'). No key or phrase leaves the node.
   */
  walletAccounts(networks = []) {
    const options = JSON.stringify({ networks: [...networks].map(String) });
    return answer(call(() => this.#x.WalletAccounts(options)));
  }

  /**
   * Signs an ETH transfer from the node's EVM account as an EIP-1559 transaction: { raw, hash } (0x-hex; raw is for
   * eth_sendRawTransaction). Fields { chainId, nonce, to, valueWei, maxFeePerGas, maxPriorityFeePerGas, gas, data? };
   * quantities are decimal strings (or safe integers), data is 0x-hex calldata.
   */
  walletSignEvmTransfer(transfer) {
    const fields = {};
    for (const k of ['chainId', 'nonce', 'valueWei', 'maxFeePerGas', 'maxPriorityFeePerGas', 'gas']) {
      const v = transfer?.[k];
      fields[k] = typeof v === 'bigint' || typeof v === 'number' ? v.toString() : v;
    }
    fields.to = transfer?.to;
    if (transfer?.data != null) fields.data = transfer.data;
    return answer(call(() => this.#x.WalletSignEvmTransfer(JSON.stringify(fields))));
  }

  // ---------- the wallet over the mesh (README "Wallet"): reads and broadcasts are chain requests sealed to a gateway ----------
  // An asset is { chain: 'eip155:31337' | 'bitcoin' | 'litecoin-regtest' | …, token?: '0x…' (ERC-20), decimals?, symbol? }.

  /** The chains the gateways this node knows of serve: [{ chain, family, symbol, decimals, gateway, gatewayName, address }]. */
  walletChains() {
    return answer(call(() => this.#x.WalletChains()));
  }

  /** Publishes this node's addresses on those chains in its profile (so others can tip it) when they changed; true if it did. */
  walletPublishAddresses() {
    return answer(call(() => this.#x.WalletPublishAddresses()));
  }

  /** Resolves to [{ chain, token, symbol, decimals, address, units, amount } or { …, error }], read through a gateway. */
  async walletBalances(assets) {
    return answer(await call(() => this.#x.WalletBalances(JSON.stringify(assets ?? []))));
  }

  /** { chain, token, symbol, decimals, address, uri }: the receive address and its EIP-681 / BIP-21 request (amount optional). */
  walletReceive(asset, amount = '') {
    return answer(call(() => this.#x.WalletReceive(JSON.stringify({ ...asset, amount: String(amount ?? '') }))));
  }

  /**
   * Resolves to a fresh receive address { chain, token, symbol, decimals, address, uri, index, beyondGap }: on a UTXO
   * chain the next after the last used and the last handed out (gap scan over the mesh once per session), which
   * walletReceive shows from then on; on an EVM chain the one account address.
   */
  async walletNextReceive(asset, amount = '') {
    return answer(await call(() => this.#x.WalletNextReceive(JSON.stringify({ ...asset, amount: String(amount ?? '') }))));
  }

  /** A scanned or pasted payment request (ethereum:, bitcoin:, litecoin:): { chain, to, token, units }. */
  walletParseRequest(uri) {
    return answer(call(() => this.#x.WalletParseRequest(String(uri ?? ''))));
  }

  /**
   * Builds, checks and signs a payment ({ ...asset, to, amount } with amount in whole units as text); nothing is sent
   * before walletConfirm(id). Resolves to { id, kind, chain, token, symbol, decimals, to, amount, fee, feeSymbol, txid }.
   */
  async walletQuote(spend) {
    return answer(await call(() => this.#x.WalletQuote(JSON.stringify(spend ?? {}))));
  }

  /** As walletQuote, for a tip of the post (author, seq) to the address the author's profile lists: { ...asset, author, seq, amount }. */
  async walletTipQuote(tip) {
    return answer(await call(() => this.#x.WalletTipQuote(JSON.stringify(tip ?? {}))));
  }

  /** Broadcasts a quoted payment through a gateway (a tip then publishes its tip entry): { id, stage: 'accepted' | 'failed', reason, tipSeq }. */
  async walletConfirm(id) {
    return answer(await call(() => this.#x.WalletConfirm(id | 0)));
  }

  /** Drops a quoted payment; its signed bytes never leave the page. */
  walletCancel(id) {
    return answer(call(() => this.#x.WalletCancel(id | 0)));
  }

  /** Own payments, newest first: [{ id, kind, chain, symbol, to, amount, fee, feeSymbol, txid, stage (accepted|included|final|dropped|failed), block, confirmations, reason, time }]. */
  walletHistory() {
    return answer(call(() => this.#x.WalletHistory()));
  }

  /** The tips of a post, each checked on its chain through a gateway: { tips: [{ from, fromName, symbol, amount, state, reason }], confirmed: { count, totals } }. */
  async postTips(author, seq, assets = []) {
    return answer(await call(() => this.#x.PostTips(String(author), seq | 0, JSON.stringify(assets ?? []))));
  }

  /** Checks the protocol test vectors (tests/vectors/protocol/protocol-v1.txt) here: { passed, failed, failures }. */
  runVectors(text) {
    return answer(call(() => this.#x.RunVectors(String(text ?? ''))));
  }

  /** Checks the negative vectors (tests/vectors/protocol/negative-v1.txt) here, each refused as stated: { passed, failed, failures }. */
  runNegativeVectors(text) {
    return answer(call(() => this.#x.RunNegativeVectors(String(text ?? ''))));
  }

  /** Milliseconds for count managed Ed25519 verifications here (a measurement; nothing depends on it). */
  measureManagedVerification(count) {
    return call(() => this.#x.MeasureManagedVerification(count | 0));
  }
}
