// QR codes made in the browser (qrcode-generator 2.0.4, MIT, from the npm registry, bundled as lib/qrcode.js), so a
// provisioning bundle, which holds a device's secret, never goes to the gateway to be drawn. Built as SVG through DOM
// calls (no markup strings). Error correction M (ISO/IEC 18004 §6.5.1: about 15 % of the code may be damaged).
import qrcode from './lib/qrcode.js';

const SVG = 'http://www.w3.org/2000/svg';

function matrix(text) {
  const qr = qrcode(0, 'M'); // type 0: the smallest version that holds the text
  qr.addData(text, 'Byte');
  qr.make();
  return qr;
}

/** An <svg> of `text` with a 4-module quiet zone (ISO/IEC 18004 §6.3.8), labelled `label`. */
export function qrSvg(text, label, id) {
  const qr = matrix(text);
  const n = qr.getModuleCount();
  const size = n + 8;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('shape-rendering', 'crispEdges');
  if (id) svg.setAttribute('id', id);
  const bg = document.createElementNS(SVG, 'rect');
  bg.setAttribute('width', size); bg.setAttribute('height', size); bg.setAttribute('fill', '#fff');
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  }
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  return svg;
}

/** A PNG blob of `text` (for "Download QR image"), `scale` pixels a module. */
export function qrPng(text, scale = 8) {
  const qr = matrix(text);
  const n = qr.getModuleCount();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = (n + 8) * scale;
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#000';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.isDark(r, c)) g.fillRect((c + 4) * scale, (r + 4) * scale, scale, scale);
  }
  return new Promise(resolve => canvas.toBlob(resolve, 'image/png'));
}
