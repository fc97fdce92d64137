// Raylane web console (issue 15): a small single-page app over the REST API (docs/console.md).
// Rules kept throughout: every value from the API reaches the DOM as text (textContent, never innerHTML), the token
// lives in sessionStorage and is only ever sent in the Authorization header, and nothing is loaded from elsewhere
// (the Content-Security-Policy allows only this origin).
'use strict';

(function () {
  const TOKEN_KEY = 'raylane.token';
  const TERMINAL = ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMED_OUT', 'REJECTED'];
  const STATUSES = ['ACCEPTED', 'QUEUED', 'DISPATCHED', 'SUBMITTED', 'RUNNING'].concat(TERMINAL);
  const REFRESH_MS = 3000;
  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

  let me = null; // {name, admin}
  let timer = null; // the current page's refresh
  let generation = 0; // counts route changes
  let pools = null; // the pools the queue page offers

  // ---- DOM helpers: text only ----

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function link(hash, text) {
    return el('a', { href: hash }, text);
  }

  function jobLink(id) {
    return link('#/job/' + encodeURIComponent(id), id);
  }

  function statusCell(status) {
    return el('span', { class: 'status status-' + String(status).replace(/[^A-Z_]/g, '') }, status);
  }

  // issue 14: where Ray actually put the job's GPU work (node IPs) once the observer read it; the
  // reservation (node ids) until then
  function placed(job) {
    if (job.placement && job.placement.length) return job.placement.join(', ') + ' (where Ray put it)';
    return (job.nodes || []).join(', ');
  }

  function when(instant) {
    if (!instant) return '';
    const date = new Date(instant);
    return isNaN(date) ? String(instant) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function table(headers, rows, empty) {
    if (rows.length === 0) return el('p', { class: 'muted' }, empty);
    return el('table', {}, el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
  }

  function facts(pairs) {
    return el('dl', { class: 'facts' },
      pairs.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  // draws a page only if the user is still on the route that asked for it (answers arrive late)
  function draw(gen, ...children) {
    if (gen !== generation) return false;
    page(...children);
    return true;
  }

  function page(...children) {
    const section = document.getElementById('page');
    section.replaceChildren(...children.flat().filter((c) => c));
    return section;
  }

  // ---- the API ----

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.detail || body.error)) || ('HTTP ' + status));
      this.status = status;
    }
  }

  async function api(path, options) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const init = Object.assign({ headers: {} }, options || {});
    init.headers = Object.assign({ Accept: 'application/json' }, init.headers, { Authorization: 'Bearer ' + token });
    const response = await fetch(path, init);
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (response.status === 401 && path !== '/v1/nodes?limit=1') {
      signOut('Your token was refused; sign in again.');
    }
    if (!response.ok) throw new ApiError(response.status, body);
    return body;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
    const text = search.toString();
    return text ? '?' + text : '';
  }

  // ---- sign in and out ----

  // who the token belongs to: an admin may list nodes (a user gets 403); a user's usage names them
  async function whoAmI() {
    let admin;
    try {
      await api('/v1/nodes?limit=1');
      admin = true;
    } catch (e) {
      if (e.status !== 403) throw e;
      admin = false;
    }
    let name = 'admin';
    if (!admin) {
      const usage = await api('/v1/usage');
      name = usage.user || 'user';
    }
    return { name, admin };
  }

  function showSignIn(message) {
    stopRefresh();
    document.getElementById('nav').hidden = true;
    document.getElementById('sign-out').hidden = true;
    document.getElementById('who').textContent = '';
    document.getElementById('page').hidden = true;
    document.getElementById('sign-in').hidden = false;
    document.getElementById('sign-in-error').textContent = message || '';
    document.getElementById('token').focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    me = null;
    pools = null;
    generation++;
    page();
    showSignIn(message);
  }

  async function signIn(event) {
    event.preventDefault();
    const field = document.getElementById('token');
    const token = field.value.trim();
    field.value = ''; // the token is shown nowhere but while typed
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    await start();
  }

  async function start() {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      showSignIn();
      return;
    }
    try {
      me = await whoAmI();
    } catch (e) {
      signOut(e.status === 401 ? 'That token was refused.' : 'Could not reach the API: ' + e.message);
      return;
    }
    document.getElementById('sign-in').hidden = true;
    document.getElementById('nav').hidden = false;
    document.getElementById('nav-nodes').hidden = !me.admin;
    document.getElementById('sign-out').hidden = false;
    document.getElementById('who').textContent = me.name + (me.admin ? ' (admin)' : '');
    document.getElementById('page').hidden = false;
    route();
  }

  // ---- routing: #/jobs, #/job/<id>, #/queue, #/nodes, #/usage ----

  function stopRefresh() {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  // runs render now and again every REFRESH_MS while it returns true and the route is unchanged
  function refreshing(gen, render) {
    const tick = async () => {
      let again = false;
      try {
        again = await render();
      } catch (e) {
        if (e.status !== 401) draw(gen, el('p', { class: 'error' }, 'Error: ' + e.message));
      }
      if (again && gen === generation && me) timer = setTimeout(tick, REFRESH_MS);
    };
    tick();
  }

  function route() {
    stopRefresh();
    if (!me) return;
    const hash = location.hash || '#/jobs';
    const [path, search] = hash.slice(1).split('?');
    const params = new URLSearchParams(search || '');
    for (const a of document.querySelectorAll('#nav a')) {
      a.classList.toggle('active', path.startsWith(a.getAttribute('href').slice(1)));
    }
    const gen = ++generation;
    if (path.startsWith('/job/')) refreshing(gen, () => jobPage(gen, decodeURIComponent(path.slice(5))));
    else if (path === '/queue') refreshing(gen, () => queuePage(gen, params.get('pool') || 'default'));
    else if (path === '/nodes') refreshing(gen, () => nodesPage(gen));
    else if (path === '/usage') usagePage(gen, params.get('range') || '24h');
    else refreshing(gen, () => jobsPage(gen, params.get('status') || '', params.get('user') || ''));
  }

  // ---- pages ----

  async function jobsPage(gen, status, user) {
    const answer = await api('/v1/jobs' + query({ status, limit: 500 }));
    // the API filters by status; a user filter (admins) applies to the page read
    const jobs = answer.jobs.filter((j) => !user || j.user === user);
    const statusSelect = el('select', { id: 'status-filter', onchange: (e) => go('/jobs', { status: e.target.value, user }) },
      el('option', { value: '' }, 'any status'), STATUSES.map((s) => el('option', { value: s, selected: s === status }, s)));
    const filters = [el('label', {}, 'Status ', statusSelect)];
    if (me.admin) {
      const users = [...new Set(answer.jobs.map((j) => j.user))].sort();
      filters.push(el('label', {}, 'User ', el('select', { id: 'user-filter', onchange: (e) => go('/jobs', { status, user: e.target.value }) },
        el('option', { value: '' }, 'everyone'), users.map((u) => el('option', { value: u, selected: u === user }, u)))));
    }
    const more = answer.next_page_token ? el('p', { class: 'muted' }, 'Showing the newest 500 jobs.') : null;
    draw(gen, el('h1', {}, me.admin ? 'Jobs (everyone)' : 'Your jobs'), el('div', { class: 'toolbar' }, filters),
      table(['Job', 'Name', 'User', 'Pool', 'Status', 'Reason', 'Submitted'],
        jobs.map((j) => [jobLink(j.job_id), j.name || '', j.user || '', j.pool || '', statusCell(j.status), j.reason || '',
          when(j.submitted_at)]), 'No jobs.'), more);
    return true;
  }

  function go(path, params) {
    location.hash = '#' + path + query(params);
  }

  async function jobPage(gen, id) {
    const job = await api('/v1/jobs/' + encodeURIComponent(id));
    let logs = '';
    try {
      logs = (await api('/v1/jobs/' + encodeURIComponent(id) + '/logs')).logs || '';
    } catch (e) {
      logs = '(no log yet: ' + e.message + ')';
    }
    const ended = TERMINAL.includes(job.status);
    const parts = [el('h1', {}, 'Job ', job.job_id, ' ', statusCell(job.status))];
    if (!ended) {
      parts.push(el('div', { class: 'toolbar' }, el('button', { id: 'stop-job', type: 'button', 'data-job': id, onclick: () => stopJob(id) }, 'Stop')));
    }
    parts.push(facts([['Name', job.name], ['User', job.user], ['Workload', job.workload], ['Pool', job.pool],
      ['Status', job.status], ['Reason', job.reason], ['Message', job.message !== job.reason ? job.message : ''],
      ['Queue position', job.position], ['Estimated start', when(job.estimated_start)],
      ['Resources', job.resources ? job.resources.nnodes + ' node(s) × ' + job.resources.n_gpus_per_node + ' GPU(s)' : ''],
      ['Submitted', when(job.submitted_at)], ['Started', when(job.started_at)], ['Ended', when(job.ended_at)],
      ['Exit code', job.exit_code], ['Nodes', placed(job)], ['Reserved nodes', (job.nodes || []).join(', ')],
      ['Driver node', job.driver_node_ip],
      ['Job directory', job.job_dir]]));
    if (job.reasons && job.reasons.length) {
      parts.push(el('h2', {}, 'Why it waits'), el('ul', { id: 'reasons' }, job.reasons.map((r) => el('li', {}, r.code + ': ' + r.detail))));
    }
    if (job.progress && job.progress.total_steps) {
      const step = job.progress.step || 0;
      parts.push(el('h2', {}, 'Progress'), el('p', {},
        el('progress', { id: 'progress', max: job.progress.total_steps, value: step }),
        ' step ' + step + ' of ' + job.progress.total_steps + ' (' + Math.floor(100 * step / job.progress.total_steps) + '%)'));
    }
    if (job.failure) {
      parts.push(el('h2', {}, 'Failure diagnosis'), el('div', { class: 'failure', id: 'failure' },
        el('p', {}, el('strong', {}, job.failure.category || 'unknown'), job.failure.hint ? ': ' + job.failure.hint : ''),
        (job.failure.evidence || []).length ? el('pre', {}, job.failure.evidence.join('\n')) : null));
    }
    parts.push(el('h2', {}, ended ? 'Log' : 'Log (live, refreshed every few seconds)'), el('pre', { id: 'logs' }, logs || '(empty)'));
    if (job.spec) parts.push(el('h2', {}, 'Config (JobSpec)'), el('pre', { id: 'spec' }, JSON.stringify(job.spec, null, 2)));
    const logPre = document.getElementById('logs');
    const atBottom = !logPre || logPre.scrollTop + logPre.clientHeight >= logPre.scrollHeight - 4;
    if (!draw(gen, parts)) return false;
    const fresh = document.getElementById('logs');
    if (atBottom) fresh.scrollTop = fresh.scrollHeight; // follow the tail unless the reader scrolled up
    return !ended;
  }

  async function stopJob(id) {
    try {
      await api('/v1/jobs/' + encodeURIComponent(id) + ':stop', { method: 'POST' });
    } catch (e) {
      alert('Stop failed: ' + e.message);
    }
    route();
  }

  // the pools worth offering, read once per sign-in: the nodes' (an admin) or those of the caller's jobs
  async function knownPools() {
    if (!pools) {
      const answer = me.admin ? (await api('/v1/nodes?limit=1000')).nodes : (await api('/v1/jobs?limit=1000')).jobs;
      pools = [...new Set(['default'].concat(answer.map((x) => x.pool).filter((p) => p)))].sort();
    }
    return pools;
  }

  async function queuePage(gen, pool) {
    const answer = await api('/v1/queue' + query({ pool, limit: 500 }));
    const offered = await knownPools();
    // a pool typed by hand works too; the list offers the pools of the nodes (admin) or of one's jobs
    const form = el('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); go('/queue', { pool: e.target.pool.value.trim() }); } },
      el('label', {}, 'Pool ', el('input', { name: 'pool', id: 'pool', value: pool, list: 'pools' })),
      el('datalist', { id: 'pools' }, offered.map((p) => el('option', { value: p }))), el('button', { type: 'submit' }, 'Show'));
    draw(gen, el('h1', {}, 'Queue of pool ', answer.pool), form,
      table(['#', 'Job', 'Name', 'User', 'Resources', 'Why it waits', 'Estimated start', 'Submitted'],
        answer.jobs.map((j) => [String(j.position), j.user ? jobLink(j.job_id) : j.job_id, j.name || '', j.user || '',
          j.resources ? j.resources.nnodes + '×' + j.resources.n_gpus_per_node + ' GPU' : '',
          (j.reasons && j.reasons.length) ? el('ul', {}, j.reasons.map((r) => el('li', {}, r.code + ': ' + r.detail))) : (j.reason || ''),
          when(j.estimated_start) || 'unknown', when(j.submitted_at)]), 'Nothing waits in this pool.'));
    return true;
  }

  async function nodesPage(gen) {
    const answer = await api('/v1/nodes?limit=1000');
    const action = (node, label, method, suffix) => el('button', {
      type: 'button', 'data-node': node.node_id,
      onclick: async () => {
        if (label === 'Decommission' && !confirm('Decommission ' + node.node_id + '?')) return;
        try {
          await api('/v1/nodes/' + encodeURIComponent(node.node_id) + suffix, { method });
        } catch (e) {
          alert(label + ' failed: ' + e.message);
        }
        route();
      },
    }, label);
    draw(gen, el('h1', {}, 'Nodes'), table(['Node', 'Pool', 'Host', 'GPUs (allocated / total)', 'State', 'Reason', 'Jobs', 'Actions'],
      answer.nodes.map((n) => [n.node_id, n.pool, n.host + (n.port ? ':' + n.port : ''), n.gpus_allocated + ' / ' + n.gpus
        + (n.gpus_held_outside ? ' (' + n.gpus_held_outside + ' held outside Raylane)' : ''),
        statusCell(n.state), n.reason || '', (n.jobs || []).join(', '),
        el('span', {}, n.state === 'DRAINING' || n.state === 'OFFLINE' || n.state === 'FAILED'
          ? action(n, 'Undrain', 'POST', ':undrain') : action(n, 'Drain', 'POST', ':drain'), ' ',
        action(n, 'Decommission', 'DELETE', ''))]), 'No nodes.'));
    return true;
  }

  // ---- usage: GPU-hours per time bucket, one /v1/usage call per bucket and grouping ----

  const RANGES = {
    '24h': { label: 'last 24 hours, hourly', buckets: 24, ms: 3600e3 },
    '7d': { label: 'last 7 days, daily', buckets: 7, ms: 86400e3 },
    '30d': { label: 'last 30 days, daily', buckets: 30, ms: 86400e3 },
  };

  async function usagePage(gen, rangeKey) {
    const range = RANGES[rangeKey] || RANGES['24h'];
    const select = el('select', { id: 'range', onchange: (e) => go('/usage', { range: e.target.value }) },
      Object.entries(RANGES).map(([k, r]) => el('option', { value: k, selected: r === range }, r.label)));
    draw(gen, el('h1', {}, 'GPU usage'), el('div', { class: 'toolbar' }, el('label', {}, 'Range ', select)), el('p', { class: 'muted' }, 'Loading…'));
    // buckets end at the next whole hour (day) so that bars are stable between visits
    const end = Math.ceil(Date.now() / range.ms) * range.ms;
    const starts = [];
    for (let i = range.buckets; i > 0; i--) starts.push(end - i * range.ms);
    const fetchBy = (groupBy) => Promise.all(starts.map((s) => api('/v1/usage' + query({
      group_by: groupBy, from: new Date(s).toISOString(), to: new Date(s + range.ms).toISOString() }))));
    try {
      const [byUser, byPool] = await Promise.all([fetchBy('user'), fetchBy('pool')]);
      const total = byUser.reduce((sum, u) => sum + u.total_gpu_hours, 0);
      draw(gen, el('h1', {}, 'GPU usage'), el('div', { class: 'toolbar' }, el('label', {}, 'Range ', select)),
        el('p', {}, 'Total: ' + hours(total) + ' GPU-hours (' + range.label + ')',
          byUser.length && byUser[byUser.length - 1].as_of ? '; as of ' + when(byUser[byUser.length - 1].as_of) : ''),
        el('h2', {}, 'GPU-hours per user'), chart('chart-user', starts, range, byUser),
        el('h2', {}, 'GPU-hours per pool'), chart('chart-pool', starts, range, byPool));
    } catch (e) {
      if (e.status !== 401) draw(gen, el('h1', {}, 'GPU usage'), el('p', { class: 'error' }, 'Error: ' + e.message));
    }
  }

  // GPU-hours with as many digits as small values need (0.0042, 0.5, 12)
  function hours(value) {
    if (value === 0) return '0';
    return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toPrecision(2);
  }

  // a stacked bar chart as inline SVG: one bar per bucket, one colour per group key
  function chart(id, starts, range, answers) {
    const keys = [...new Set(answers.flatMap((a) => a.groups.map((g) => g.key)))].sort();
    const totals = answers.map((a) => a.groups.reduce((s, g) => s + g.gpu_hours, 0));
    const max = Math.max(...totals, 0);
    if (max === 0) return el('p', { class: 'muted', id }, 'No GPU usage in this range.');
    const width = 900, height = 260, left = 60, bottom = 30, top = 10;
    const plotH = height - bottom - top;
    const barW = (width - left) / starts.length;
    const color = (key) => COLORS[keys.indexOf(key) % COLORS.length];
    const root = svg('svg', { class: 'chart', id, width, height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    for (let t = 0; t <= 4; t++) {
      const y = top + plotH - (plotH * t) / 4;
      root.appendChild(svg('line', { x1: left, x2: width, y1: y, y2: y, stroke: '#d8dee4' }));
      root.appendChild(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, hours((max * t) / 4)));
    }
    answers.forEach((answer, i) => {
      let y = top + plotH;
      const x = left + i * barW;
      for (const group of answer.groups.slice().sort((a, b) => a.key.localeCompare(b.key))) {
        const h = (plotH * group.gpu_hours) / max;
        y -= h;
        root.appendChild(svg('rect', { x: x + 1, y, width: Math.max(barW - 2, 1), height: h, fill: color(group.key) },
          svg('title', {}, group.key + ': ' + hours(group.gpu_hours) + ' GPU-h, from ' + when(new Date(starts[i])))));
      }
      const every = Math.ceil(starts.length / 8);
      if (i % every === 0) {
        const d = new Date(starts[i]);
        const label = range.ms < 86400e3 ? d.toISOString().slice(11, 16) : d.toISOString().slice(5, 10);
        root.appendChild(svg('text', { x: x + barW / 2, y: height - 10, 'text-anchor': 'middle' }, label));
      }
    });
    const legend = el('p', { class: 'legend' }, keys.map((k) => el('span', {},
      svg('svg', { width: 12, height: 12, class: 'swatch' }, svg('rect', { width: 12, height: 12, fill: color(k) })),
      k + ' ' + hours(answers.reduce((s, a) => s + (a.groups.find((g) => g.key === k) || { gpu_hours: 0 }).gpu_hours, 0)) + ' GPU-h')));
    return el('div', {}, root, legend);
  }

  document.addEventListener('DOMContentLoaded', () => {
    document.getElementById('sign-in-form').addEventListener('submit', signIn);
    document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
    window.addEventListener('hashchange', route);
    start();
  });
})();
