// Photos are shrunk in the browser before they are posted, so a post crosses LoRa as a few fragments: 160 px on the long
// side, WebP at the highest quality from 70 down that fits 1,024 bytes (smaller sides if even quality 10 does not fit).
// A picture over 40 megapixels is refused from its header before anything decodes it (a decompression bomb would
// otherwise take the tab's memory).

export const MAX_PIXELS = 40_000_000;
export const MAX_BYTES = 1024;
export const WEBP = 1; // PostBody.WebpImage (docs/protocol.md §3.4)

/** Width and height from the file header (PNG, JPEG, GIF, WebP), or null if the type is not one of those. */
export function headerSize(b) {
  const u16be = i => (b[i] << 8) | b[i + 1];
  const u16le = i => b[i] | (b[i + 1] << 8);
  const u24le = i => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
  const u32be = i => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return { width: u32be(16), height: u32be(20) }; // PNG IHDR (RFC 2083 §4.1.1)
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return { width: u16le(6), height: u16le(8) }; // GIF logical screen (GIF89a §18)
  if (b.length >= 30 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') { // RFC 9649
    const chunk = String.fromCharCode(...b.subarray(12, 16));
    if (chunk === 'VP8X') return { width: u24le(24) + 1, height: u24le(27) + 1 };
    if (chunk === 'VP8L') { const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24); return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }; }
    if (chunk === 'VP8 ') return { width: u16le(26) & 0x3fff, height: u16le(28) & 0x3fff };
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) { // JPEG: the first SOFn marker (ITU-T T.81 §B.2.2)
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) { i++; continue; }
      const marker = b[i + 1];
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { width: u16be(i + 7), height: u16be(i + 5) };
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
      i += 2 + u16be(i + 2);
    }
  }
  return null;
}

/** Shrinks `file` to at most 1,024 bytes of WebP; returns { bytes, width, height, quality }. Throws with a plain reason. */
export async function shrinkPhoto(file) {
  const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
  const size = headerSize(head);
  if (!size) throw new Error('That file is not a JPEG, PNG, WebP or GIF picture.');
  if (size.width * size.height > MAX_PIXELS) {
    throw new Error(`That picture is ${size.width} × ${size.height} (${Math.round(size.width * size.height / 1e6)} megapixels); pictures up to 40 megapixels can be posted.`);
  }
  let side = 160;
  const scale = side / Math.max(size.width, size.height);
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { resizeWidth: Math.max(1, Math.round(size.width * Math.min(1, scale * 2))), resizeHeight: Math.max(1, Math.round(size.height * Math.min(1, scale * 2))), resizeQuality: 'high' });
  } catch { throw new Error('That picture could not be read.'); }
  for (; side >= 40; side = Math.round(side * 0.8)) {
    const s = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * s));
    canvas.height = Math.max(1, Math.round(bitmap.height * s));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (let q = 70; q >= 10; q -= 5) {
      const blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/webp', q / 100));
      if (!blob || blob.type !== 'image/webp') throw new Error('This browser cannot make WebP pictures; post text only.');
      if (blob.size <= MAX_BYTES) {
        bitmap.close();
        return { bytes: new Uint8Array(await blob.arrayBuffer()), width: canvas.width, height: canvas.height, quality: q };
      }
    }
  }
  bitmap.close();
  throw new Error('That picture does not fit 1 KB even small; try a simpler one.');
}
