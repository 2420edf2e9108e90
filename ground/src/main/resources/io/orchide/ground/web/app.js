// Orchide dashboard: plain JavaScript over ground's JSON API, no build step, nothing loaded from elsewhere.
// Every value from the API reaches the page as a text node or an attribute value (el() below), never as markup:
// the Content-Security-Policy forbids inline script, and this keeps a name such as "<script>" plain text.
'use strict';

const TOKEN_KEY = 'orchide.token';
const SVG = 'http://www.w3.org/2000/svg';
const FIRST_PAGE = 50;    // about a screenful: the fleet page paints these first, then fetches the rest in pages of PAGE
const PAGE = 1000;

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// ---- DOM helpers

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function view() { return document.getElementById('view'); }

function show(...children) {
  const v = view();
  v.replaceChildren();
  append(v, children);
}

function message(text, error) { return el('div', { class: error ? 'message error' : 'message' }, text); }

function table(headers, rows, attrs) {
  const head = el('tr', {}, headers.map(h => el('th', { class: h.num ? 'num' : null }, h.label ?? h)));
  return el('table', attrs || {}, el('thead', {}, head), el('tbody', {}, rows));
}

function td(value, cls, title) { return el('td', { class: cls, title }, value ?? '—'); }

// ---- formatting

function bytes(n) {
  if (n === null || n === undefined) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

function duration(s) {
  if (s === null || s === undefined) return '—';
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

function time(iso) { return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC') : '—'; }

function hhmm(ms) { return new Date(ms).toISOString().substring(11, 16); }

/**
 * A satellite's health from what the listing says: ground's own verdict where it gives one, else how fresh its
 * last contact is (a satellite out of contact for two days is worth a look).
 */
function health(s) {
  if (s.health) {
    const h = typeof s.health === 'string' ? s.health : (s.health.status || JSON.stringify(s.health));
    return { text: h, cls: /ok|healthy/i.test(h) ? 'health-ok' : /degraded|warn/i.test(h) ? 'health-warn' : 'health-bad' };
  }
  if (s.connected) return { text: 'in contact', cls: 'health-ok' };
  if (!s.lastContact) return { text: 'never contacted', cls: 'health-warn' };
  if (s.contactAgeSeconds > 2 * 86400) return { text: 'silent ' + duration(s.contactAgeSeconds), cls: 'health-bad' };
  return { text: 'ok', cls: 'health-ok' };
}

function nextPass(p) {
  if (!p) return '—';
  return p.station + ' ' + time(p.aos) + (p.startsInSeconds > 0 ? ' (in ' + duration(p.startsInSeconds) + ')' : ' (now)');
}

// when the uplink queue gets there, as ground's delivery estimate says: fits the next pass, or by which pass
function delivery(d) {
  if (!d) return { text: '—' };
  if (!d.nextPass) return { text: 'no pass (' + d.noPass + ')', cls: 'health-warn' };
  const queued = bytes(d.queuedBytes), capacity = bytes(d.capacityBytes);
  if (d.fits) return { text: 'fits next pass: ' + queued + ' of ' + capacity, cls: 'health-ok' };
  if (d.throughBy) {
    return { text: 'through by ' + d.throughBy.station + ' ' + time(d.throughBy.aos) + ': ' + queued
      + ', next pass carries ' + capacity, cls: 'health-warn' };
  }
  return { text: 'not within 48 h: ' + queued + ', next pass carries ' + capacity, cls: 'health-bad' };
}

// ---- the API

function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function api(path) {
  const headers = { 'Accept': 'application/json' };
  const t = token();
  if (t) headers['Authorization'] = 'Bearer ' + t;
  let r;
  try {
    r = await fetch(path, { headers, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'ground did not answer: ' + e.message);
  }
  let body = null;
  if ((r.headers.get('Content-Type') || '').startsWith('application/json')) body = await r.json();
  if (r.ok) return body;
  const msg = body && body.message ? body.message : r.status + ' ' + r.statusText;
  const err = new ApiError(r.status, body && body.code, msg);
  if (r.status === 401) loggedOut('Your token was not accepted (401: ' + msg + '). Log in again.');
  throw err;
}

/** What a panel shows in place of its content when its call failed. */
function refusal(e, what) {
  if (e.status === 403) return message('Not visible with your role: ' + what + ' (403: ' + e.message + ').');
  if (e.status === 404) return message('None: ' + e.message + '.');
  return message('Could not load ' + what + ': ' + e.message, true);
}

/** Runs {@code load} and fills {@code box} with its result, or with the refusal. */
async function panel(box, what, load) {
  box.replaceChildren(el('p', { class: 'muted' }, 'Loading ' + what + '…'));
  try {
    const content = await load();
    box.replaceChildren();
    append(box, [content]);
  } catch (e) {
    if (e.status === 401) return;
    box.replaceChildren(refusal(e, what));
  }
}

// ---- login

let loginNote = null;

function loggedOut(note) {
  me = null;
  sessionStorage.removeItem(TOKEN_KEY);
  loginNote = note;
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('who').textContent = '';
  if (location.hash !== '#/login') location.hash = '#/login';
  else route();
}

function loginPage() {
  const input = el('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', placeholder: 'og_...', required: true });
  const status = el('div', { id: 'login-status' });
  if (loginNote) status.append(message(loginNote, true));
  const form = el('form', { class: 'login', id: 'login' },
    el('h1', {}, 'Log in to ground'),
    el('label', { for: 'token' }, 'API token or OIDC token (as with orchide login)'),
    input,
    el('button', { type: 'submit', id: 'login-submit' }, 'Log in'),
    status);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    status.replaceChildren(el('p', { class: 'muted' }, 'Checking…'));
    try {
      await whoami();
      loginNote = null;
      location.hash = '#/fleet';
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      status.replaceChildren(message(e.status === 401 ? 'Token not accepted (401): ' + e.message : e.message, true));
    }
  });
  show(form);
  input.focus();
}

let me = null;

async function whoami() {
  me = await api('/api/v1/auth/whoami');
  const roles = me.bindings.map(b => b.role + (b.tenant ? ' in ' + b.tenant : ' (fleet)'));
  document.getElementById('who').textContent = me.name + ' · ' + (roles.join(', ') || 'no role');
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = false;
  // audit is for admins: a tenant admin sees its tenant's, a platform admin everything
  document.getElementById('nav-audit').hidden = !me.bindings.some(b => /admin/.test(b.role));
  return me;
}

// ---- fleet

function fleetRow(s) {
  const h = health(s);
  const d = delivery(s.delivery);
  const contact = s.connected ? 'now' : time(s.lastContact);
  const age = s.connected ? 'in contact' : s.lastContact ? duration(s.contactAgeSeconds) : 'never';
  return el('tr', { 'data-satellite': s.name },
    el('td', {}, el('a', { href: '#/satellite/' + encodeURIComponent(s.name) }, s.name)),
    td(s.nodes.length, 'num'),
    td(contact),
    td(age, 'num'),
    td(nextPass(s.nextPass)),
    td(bytes(s.uplinkQueue.bytes), 'num', s.uplinkQueue.bytes + ' bytes, ' + s.uplinkQueue.bundles + ' bundles'),
    el('td', { class: d.cls, 'data-delivery': '' }, d.text),
    td(bytes(s.downlinkQueue.bytes), 'num', s.downlinkQueue.bytes === null ? 'not reported yet'
      : s.downlinkQueue.bytes + ' bytes as of ' + time(s.downlinkQueue.asOf)),
    el('td', { class: h.cls }, h.text));
}

async function fleetPage() {
  const count = el('span', { class: 'muted', id: 'fleet-count' }, 'loading…');
  const filter = el('input', { type: 'search', id: 'fleet-filter', placeholder: 'filter by name' });
  const body = el('tbody', { id: 'fleet-rows' });
  const t = el('table', { id: 'fleet' },
    el('thead', {}, el('tr', {}, ['Satellite', { label: 'Nodes', num: 1 }, 'Last contact', { label: 'Age', num: 1 }, 'Next pass',
      { label: 'Uplink backlog', num: 1 }, 'Delivery', { label: 'Downlink backlog', num: 1 }, 'Health']
      .map(h => el('th', { class: h.num ? 'num' : null }, h.label ?? h)))),
    body);
  const box = el('div', {});
  show(el('h1', {}, 'Fleet ', count), el('div', { class: 'toolbar' }, filter), box, t);
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const row of body.rows) row.hidden = q !== '' && !row.dataset.satellite.includes(q);
  });
  let after = null, n = 0, limit = FIRST_PAGE;
  try {
    do {
      const page = await api('/api/v1/satellites?limit=' + limit + (after ? '&after=' + encodeURIComponent(after) : ''));
      if (!document.body.contains(body)) return; // the user went to another page meanwhile
      const rows = document.createDocumentFragment();
      for (const s of page.items) rows.appendChild(fleetRow(s));
      body.appendChild(rows);
      n += page.items.length;
      count.textContent = n + ' satellite' + (n === 1 ? '' : 's') + (page.next ? ', loading more…' : '');
      if (after === null) {
        if (n > 0) body.rows[0].cells[0].setAttribute('elementtiming', 'fleet-first-row');
        performance.mark('fleet-first-page');
      }
      after = page.next;
      limit = PAGE;
    } while (after);
    if (n === 0) box.append(message('No satellite yet: create one with orchide create satellite, or start a node.'));
    performance.mark('fleet-complete');
    document.body.dataset.fleetLoaded = String(n);
  } catch (e) {
    if (e.status !== 401) box.replaceChildren(refusal(e, 'the fleet'));
  }
}

// ---- one satellite

function section(title, id) {
  const box = el('div', { id });
  return { node: el('section', {}, el('h2', {}, title), box), box };
}

async function satellitePage(name) {
  const enc = encodeURIComponent(name);
  const base = '/api/v1/satellites/' + enc;
  const parts = {
    summary: section('Summary', 'sat-summary'),
    position: section('Position (as each node last reported it)', 'sat-position'),
    desired: section('Desired against reported', 'sat-desired'),
    workloads: section('Workloads', 'sat-workloads'),
    runs: section('Runs', 'sat-runs'),
    activity: section('Activity (runs started and events per hour, last 24 h of reports)', 'sat-activity'),
    telemetry: section('Telemetry', 'sat-telemetry'),
    passes: section('Passes (next 24 h)', 'sat-passes'),
    products: section('Products', 'sat-products'),
    events: section('Events', 'sat-events'),
    nodes: section('Nodes', 'sat-nodes'),
  };
  show(el('h1', {}, 'Satellite ', el('span', { id: 'sat-name' }, name)),
    parts.summary.node, parts.position.node, parts.passes.node, parts.desired.node, parts.activity.node, parts.telemetry.node, parts.workloads.node, parts.runs.node,
    parts.products.node, parts.events.node, parts.nodes.node);

  // one call per kind of data, each panel on its own: a refusal of one leaves the others shown
  const sat = api(base);
  const desired = api(base + '/desired');
  const workloads = api(base + '/workloads');
  const runs = api(base + '/runs?limit=1000');
  const events = api(base + '/events?limit=1000');
  for (const p of [sat, desired, workloads, runs, events]) p.catch(() => {});

  panel(parts.summary.box, 'the satellite', async () => summary(await sat));
  panel(parts.nodes.box, 'its nodes', async () => nodesTable((await sat).nodes));
  panel(parts.position.box, 'its position', async () => positionsTable((await sat).positions || []));
  panel(parts.desired.box, 'desired state', async () => desiredTable((await desired).items,
    await workloads.then(w => w.items, () => null), await runs.then(r => r.items, () => null)));
  panel(parts.workloads.box, 'workloads', async () => workloadsTable((await workloads).items));
  panel(parts.runs.box, 'runs', async () => runsTable((await runs).items));
  panel(parts.events.box, 'events', async () => eventsTable((await events).items));
  panel(parts.activity.box, 'activity', async () => activityChart(await runs.then(r => r.items, () => []),
    await events.then(e => e.items, () => [])));
  panel(parts.products.box, 'products', async () => productsTable((await api('/api/v1/products?satellite=' + enc + '&limit=100')).items));
  panel(parts.passes.box, 'passes', async () => {
    try {
      return passesTable((await api(base + '/passes?next=24h')).items);
    } catch (e) {
      if (e.status === 404) return message('No passes known: ' + e.message + '.');
      throw e;
    }
  });
  telemetry(parts.telemetry.box, name);
}

function summary(s) {
  const h = health(s);
  const d = delivery(s.delivery);
  const row = (k, v, cls) => el('tr', {}, el('th', {}, k), el('td', { class: cls }, v));
  return el('table', { class: 'facts' }, el('tbody', {},
    row('Health', h.text, h.cls),
    row('Last contact', s.connected ? 'in contact since ' + time(s.connectedSince) : time(s.lastContact)),
    row('Contact age', s.connected ? 'now' : s.lastContact ? duration(s.contactAgeSeconds) : 'never'),
    row('Next pass', nextPass(s.nextPass)),
    row('Uplink backlog', bytes(s.uplinkQueue.bytes) + ' in ' + s.uplinkQueue.bundles + ' bundles'),
    row('Delivery', d.text, d.cls),
    row('Downlink backlog', s.downlinkQueue.bytes === null ? 'not reported yet'
      : bytes(s.downlinkQueue.bytes) + ' in ' + s.downlinkQueue.bundles + ' bundles, as of ' + time(s.downlinkQueue.asOf)),
    row('Nodes', s.nodes.length),
    row('Registered', time(s.created))));
}

function nodesTable(nodes) {
  if (!nodes.length) return message('No node has reported yet.');
  return table(['Node', 'Arch', { label: 'vCPUs', num: 1 }, { label: 'Memory', num: 1 }, 'Monitors', 'Version', 'Last seen'],
    nodes.map(n => el('tr', {}, td(n.name), td(n.arch), td(n.vcpus, 'num'), td(n.memoryMib + ' MiB', 'num'),
      td(n.monitors.join(', ')), td(n.version), td(time(n.lastSeen)))));
}

function degrees(v, pos, neg) { return Math.abs(v).toFixed(4) + '° ' + (v < 0 ? neg : pos); }

/**
 * Where each node last said it was: the fix with its age now (a satellite out of contact shows a fix as old as its
 * last report, or older), or why there is none (no position source, no fix from the receiver, nothing reported yet).
 */
function positionsTable(positions) {
  if (!positions.length) return message('No node has reported a position yet.');
  return table(['Node', 'Latitude', 'Longitude', { label: 'Altitude', num: 1 }, 'Fix time', 'Fix age', 'From', 'Source'],
    positions.map(p => p.fix
      ? el('tr', { 'data-node': p.node, class: 'position-fix' }, td(p.node), td(degrees(p.fix.latitudeDeg, 'N', 'S')),
        td(degrees(p.fix.longitudeDeg, 'E', 'W')), td((p.fix.altitudeM / 1000).toFixed(1) + ' km', 'num'),
        td(time(p.fix.time)), td(duration(p.fix.ageSeconds)), td(p.fix.from), td(p.source))
      : el('tr', { 'data-node': p.node, class: 'position-none' }, td(p.node),
        el('td', { colspan: 6, class: 'health-warn' }, 'no position: ' + p.reason), td(p.source))));
}

/**
 * What ground holds for the satellite beside what the satellite last said of it: an App against its workload's
 * reported state, a Pipeline against its latest run; "not reported" where the satellite has not told yet.
 */
function desiredTable(items, workloads, runs) {
  if (!items.length) return message('Nothing applied to this satellite.');
  const byWorkload = new Map((workloads || []).map(w => [w.name, w]));
  const lastRun = new Map();
  for (const r of runs || []) {
    const seen = lastRun.get(r.pipeline);
    if (!seen || r.at > seen.at) lastRun.set(r.pipeline, r);
  }
  return table(['Kind', 'Name', 'Tenant', { label: 'Generation', num: 1 }, 'Delivery', 'Reported', 'Reported at'],
    items.map(d => {
      let reported = null, at = null;
      if (d.kind === 'App' && byWorkload.has(d.name)) {
        const w = byWorkload.get(d.name);
        reported = w.state + (w.restarts ? ', ' + w.restarts + ' restarts' : '');
        at = w.reportedAt;
      } else if (d.kind === 'Pipeline' && lastRun.has(d.name)) {
        const r = lastRun.get(d.name);
        reported = 'last run ' + r.name + ': ' + r.state;
        at = r.at;
      }
      const unknown = workloads === null && runs === null ? 'not visible' : 'not reported';
      return el('tr', {}, td(d.kind), td(d.name), td(d.tenant), td(d.generation, 'num'),
        td(d.queued ? 'queued for the next pass' : 'sent'), td(reported ?? unknown, reported ? null : 'muted'), td(time(at)));
    }));
}

function workloadsTable(items) {
  if (!items.length) return message('No workload reported.');
  return table(['Workload', 'Node', 'State', 'Since', { label: 'Restarts', num: 1 }, 'Message', 'Reported'],
    items.map(w => el('tr', {}, td(w.name), td(w.node), td(w.state), td(time(w.since)), td(w.restarts, 'num'),
      td(w.message, 'wrap'), td(duration(w.ageSeconds) + ' ago'))));
}

function runsTable(items) {
  if (!items.length) return message('No run reported.');
  return table(['Run', 'Pipeline', 'Node', 'State', 'At', 'Message'],
    items.slice(0, 100).map(r => el('tr', {}, td(r.name), td(r.pipeline), td(r.node), td(r.state), td(time(r.at)), td(r.message, 'wrap'))));
}

function eventsTable(items) {
  if (!items.length) return message('No event reported.');
  return table(['At', 'Node', 'Subject', 'Message'],
    items.slice(0, 100).map(e => el('tr', {}, td(time(e.at)), td(e.node), td(e.subject), td(e.message, 'wrap'))));
}

function productsTable(items) {
  if (!items.length) return message('No product received.');
  return table(['Product', 'Run', 'Step', { label: 'Size', num: 1 }, { label: 'Priority', num: 1 }, 'Received'],
    items.map(p => el('tr', {}, td(p.name), td(p.run), td(p.step), td(bytes(p.size), 'num'), td(p.priority, 'num'), td(time(p.received)))));
}

function passesTable(items) {
  if (!items.length) return message('No pass in the next 24 hours.');
  return table(['Station', 'AOS', 'LOS', { label: 'Duration', num: 1 }, { label: 'Max elevation', num: 1 },
    { label: 'Up capacity', num: 1 }, { label: 'Down capacity', num: 1 }],
    items.map(p => el('tr', {}, td(p.station), td(time(p.aos)), td(time(p.los).substring(11)), td(duration(p.durationSeconds), 'num'),
      td(p.maxElevation + '°', 'num'), td(bytes(p.uplinkBytes), 'num'), td(bytes(p.downlinkBytes), 'num'))));
}

// ---- charts (SVG built in the DOM: no inline style, no library)

const CHART = { w: 760, h: 200, left: 48, right: 12, top: 12, bottom: 26 };
const COLOURS = ['#2b6cb0', '#dd6b20', '#2f855a', '#805ad5'];

/** A frame with axes and labels; returns the SVG and the functions that place a value. */
function frame(id, t0, t1, vmax, label) {
  const c = CHART;
  const s = svg('svg', { id, class: 'chart', width: c.w, height: c.h, viewBox: '0 0 ' + c.w + ' ' + c.h, role: 'img', 'aria-label': label });
  const x = t => c.left + (t - t0) / Math.max(1, t1 - t0) * (c.w - c.left - c.right);
  const y = v => c.h - c.bottom - (vmax > 0 ? v / vmax : 0) * (c.h - c.top - c.bottom);
  s.append(svg('line', { x1: c.left, y1: c.h - c.bottom, x2: c.w - c.right, y2: c.h - c.bottom, stroke: '#a0aec0' }));
  s.append(svg('line', { x1: c.left, y1: c.top, x2: c.left, y2: c.h - c.bottom, stroke: '#a0aec0' }));
  for (const v of [0, vmax / 2, vmax]) {
    const t = svg('text', { x: c.left - 6, y: y(v) + 4, 'text-anchor': 'end' });
    t.textContent = Number.isInteger(v) ? String(v) : v.toPrecision(3);
    s.append(t);
  }
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (t1 - t0) * i / 4;
    const tx = svg('text', { x: x(t), y: c.h - 8, 'text-anchor': 'middle' });
    tx.textContent = hhmm(t);
    s.append(tx);
  }
  return { s, x, y };
}

function legend(names) {
  return el('div', { class: 'toolbar' }, names.map((n, i) => {
    const sw = svg('svg', { width: 12, height: 12 });
    sw.append(svg('rect', { width: 12, height: 12, fill: COLOURS[i % COLOURS.length] }));
    return el('span', {}, sw, ' ', n);
  }));
}

/** Bars per hour for each of {@code series} (name and the times of its items) over the 24 hours up to the latest. */
function activityChart(runs, events) {
  const series = [{ name: 'runs started', times: runs.map(r => Date.parse(r.at)) },
    { name: 'events', times: events.map(e => Date.parse(e.at)) }];
  const all = series.flatMap(s => s.times).filter(t => !isNaN(t));
  if (!all.length) return message('No run or event reported yet.');
  const hour = 3600e3;
  const t1 = Math.floor(Math.max(...all) / hour) * hour + hour, t0 = t1 - 24 * hour;
  const counts = series.map(s => {
    const c = new Array(24).fill(0);
    for (const t of s.times) if (t >= t0 && t < t1) c[Math.floor((t - t0) / hour)]++;
    return c;
  });
  const vmax = Math.max(1, ...counts.flat());
  const f = frame('activity-chart', t0, t1, vmax, 'runs and events per hour');
  const slot = (f.x(t0 + hour) - f.x(t0)) / series.length;
  counts.forEach((c, k) => c.forEach((v, i) => {
    if (!v) return;
    const x = f.x(t0 + i * hour) + k * slot + 1;
    f.s.append(svg('rect', { x, y: f.y(v), width: Math.max(1, slot - 2), height: f.y(0) - f.y(v),
      fill: COLOURS[k], 'data-count': v }));
  }));
  return el('div', {}, legend(series.map((s, i) => s.name + ' (' + counts[i].reduce((a, b) => a + b, 0) + ')')), f.s);
}

/** The housekeeping series ground keeps for the satellite: a metric to choose, its min–max band and mean over ground's last 24 hours, gaps left empty. */
async function telemetry(box, name) {
  box.replaceChildren(el('p', { class: 'muted' }, 'Loading telemetry…'));
  let metrics;
  try {
    metrics = (await api('/api/v1/series/metrics?satellite=' + encodeURIComponent(name))).metrics || [];
  } catch (e) {
    if (e.status === 401) return;
    box.replaceChildren(e.status === 404 ? message('No telemetry yet: ground has no housekeeping series for this satellite.')
      : refusal(e, 'telemetry'));
    return;
  }
  if (!metrics.length) {
    box.replaceChildren(message('No telemetry yet: ground has no housekeeping series for this satellite.'));
    return;
  }
  const select = el('select', { id: 'metric' }, metrics.map(m => el('option', { value: m }, m)));
  const chart = el('div', {});
  box.replaceChildren(el('div', { class: 'toolbar' }, el('label', { for: 'metric' }, 'Metric'), select), chart);
  const draw = () => panel(chart, select.value, async () => {
    // the last 24 hours by ground's clock, not the browser's: a twin's ground runs a simulated one
    const now = Date.parse((await api('/api/v1/health')).time);
    const to = new Date(isNaN(now) ? Date.now() : now), from = new Date(to.getTime() - 24 * 3600e3);
    const q = '/api/v1/series?satellite=' + encodeURIComponent(name) + '&metric=' + encodeURIComponent(select.value)
      + '&from=' + from.toISOString() + '&to=' + to.toISOString();
    return seriesChart(await api(q));
  });
  select.addEventListener('change', draw);
  draw();
}

function seriesChart(s) {
  const pts = (s.points || []).map(p => ({ t: Date.parse(p.t), min: p.min, max: p.max, mean: p.mean })).filter(p => !isNaN(p.t));
  if (!pts.length) return message('No sample of ' + s.metric + ' in the last 24 hours.');
  pts.sort((a, b) => a.t - b.t);
  const gaps = (s.gaps || []).map(g => [Date.parse(g.from), Date.parse(g.to)]);
  const t0 = Math.min(pts[0].t, ...gaps.map(g => g[0])), t1 = Math.max(pts[pts.length - 1].t, ...gaps.map(g => g[1]));
  const vmax = Math.max(...pts.map(p => p.max)) || 1;
  const f = frame('telemetry-chart', t0, t1, vmax, s.metric);
  for (const [a, b] of gaps) {
    f.s.append(svg('rect', { x: f.x(a), y: CHART.top, width: Math.max(1, f.x(b) - f.x(a)), height: CHART.h - CHART.top - CHART.bottom,
      fill: '#fed7d7', 'data-gap': 'true' }));
  }
  // a line never crosses a gap: the points are split where one lies between two samples
  const runs = [];
  let cur = [];
  for (const p of pts) {
    if (cur.length && gaps.some(([a, b]) => a >= cur[cur.length - 1].t && b <= p.t)) { runs.push(cur); cur = []; }
    cur.push(p);
  }
  runs.push(cur);
  for (const r of runs) {
    const band = r.map(p => f.x(p.t) + ',' + f.y(p.max)).concat(r.slice().reverse().map(p => f.x(p.t) + ',' + f.y(p.min)));
    f.s.append(svg('polygon', { points: band.join(' '), fill: '#bee3f8', stroke: 'none' }));
    f.s.append(svg('polyline', { points: r.map(p => f.x(p.t) + ',' + f.y(p.mean)).join(' '), fill: 'none', stroke: COLOURS[0], 'stroke-width': 2 }));
  }
  return el('div', {}, legend([s.metric + ' mean (band: min to max)']), f.s);
}

// ---- tenants and audit

async function tenantsPage() {
  const box = el('div', {});
  show(el('h1', {}, 'Tenants'), box);
  await panel(box, 'tenants', async () => {
    const items = (await api('/api/v1/tenants')).items;
    if (!items.length) return message('No tenant yet: create one with orchide create tenant.');
    return el('div', {}, items.map(t => el('section', { 'data-tenant': t.name }, el('h2', {}, t.name),
      el('p', { class: 'muted' }, 'quota: ' + (t.quota || 'none')),
      table(['Quota', { label: 'Used', num: 1 }, { label: 'Limit', num: 1 }, 'Use'],
        Object.entries(t.usage).map(([k, u]) => el('tr', {}, td(k), td(amount(k, u.used), 'num'),
          td(u.limit === null ? 'no limit' : amount(k, u.limit), 'num'),
          el('td', { class: u.exceeded ? 'health-bad' : null },
            u.limit === null ? '' : el('meter', { min: 0, max: u.limit, value: Math.min(u.used, u.limit), high: u.limit * 0.9 }),
            u.exceeded ? ' over the limit' : '')))))));
  });
}

function amount(key, v) { return /bytes|Bytes|storage|memory|image|product|uplink/i.test(key) ? bytes(v) : String(v); }

async function auditPage(before) {
  const box = el('div', {});
  show(el('h1', {}, 'Audit'), box);
  await panel(box, 'the audit log (admins only)', async () => {
    const page = await api('/api/v1/audit?limit=100' + (before ? '&before=' + before : ''));
    const t = table(['#', 'Time', 'Actor', 'Tenant', 'Verb', 'Resource', 'Outcome', 'Source', 'Detail'],
      page.items.map(a => el('tr', {}, td(a.seq, 'num'), td(time(a.time)), td(a.actor), td(a.tenant), td(a.verb),
        td(a.resource), td(a.outcome, a.outcome === 'allowed' ? null : 'health-bad'), td(a.source), td(a.detail, 'wrap'))));
    return el('div', {}, t, page.next ? el('p', {}, el('a', { href: '#/audit/' + page.next }, 'Older entries')) : null);
  });
}

// ---- routing

async function route() {
  const hash = location.hash || '#/fleet';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', hash.startsWith('#/' + a.dataset.page));
  if (hash === '#/login' || !token()) {
    if (hash !== '#/login') { location.hash = '#/login'; return; }
    loginPage();
    return;
  }
  // who the caller is fills the header beside the page's own calls, not before them: one round trip less before
  // the first rows paint; a token ground refuses fails both, and the first 401 brings the login form back
  if (!me) whoami().catch(e => { if (e.status !== 401) document.getElementById('who').textContent = 'whoami failed: ' + e.message; });
  let m;
  if ((m = hash.match(/^#\/satellite\/(.+)$/))) return satellitePage(decodeURIComponent(m[1]));
  if (hash === '#/tenants') return tenantsPage();
  if ((m = hash.match(/^#\/audit(?:\/(\d+))?$/))) return auditPage(m[1]);
  return fleetPage();
}

document.getElementById('logout').addEventListener('click', () => { me = null; loggedOut(null); });
window.addEventListener('hashchange', route);
route();
