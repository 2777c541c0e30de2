// The console's own script: what HTML alone cannot do. Every page works without it.
//  - starts GOV.UK Frontend and MoJ Frontend components;
//  - refreshes the navigation's counts without a reload, asking as a background request, which does not keep
//    an idle session alive;
//  - warns two minutes before an idle session ends, in a modal dialog that offers to stay signed in
//    (WCAG 2.2.1), and goes to the sign-in page when it has ended.
import { initAll as initGovuk } from './govuk-frontend.js';
import { initAll as initMoj } from './moj-frontend.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initGovuk();
initMoj();

// Recipient search: a box above the list of agencies that narrows it as the person types. Without the script
// every agency is listed, which works as well, only longer.
for (const group of document.querySelectorAll('[data-module="app-recipient-search"]')) {
  const items = [...group.querySelectorAll('.govuk-checkboxes__item')];
  const wrapper = document.createElement('div');
  wrapper.className = 'govuk-form-group';
  const label = document.createElement('label');
  label.className = 'govuk-label';
  label.htmlFor = 'recipient-search';
  label.textContent = 'Search agencies by name, code or country';
  const input = document.createElement('input');
  input.className = 'govuk-input govuk-!-width-two-thirds';
  input.id = 'recipient-search';
  input.type = 'search';
  input.autocomplete = 'off';
  const status = document.createElement('p');
  status.className = 'govuk-hint';
  status.setAttribute('role', 'status');
  wrapper.append(label, input, status);
  const fieldset = group.querySelector('.govuk-fieldset');
  (fieldset || group).insertBefore(wrapper, (fieldset || group).querySelector('.govuk-checkboxes'));
  input.addEventListener('input', () => {
    const words = input.value.trim().toLowerCase();
    let shown = 0;
    for (const item of items) {
      const checked = item.querySelector('input').checked;
      const match = words === '' || checked || item.textContent.toLowerCase().includes(words);
      item.hidden = !match;
      if (match) shown += 1;
    }
    status.textContent = words === '' ? '' : `${shown} agencies shown`;
  });
  // Enter in the search box narrows the list; it does not send the form.
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault();
  });
}

const shell = document.querySelector('[data-console-shell]');

// Attaching a file to a draft: sent as soon as it is chosen, as it is, with its progress shown and said; the
// draft keeps it. (Without this script, the "Attach this file" button sends the form with the file instead.)
for (const area of document.querySelectorAll('[data-module="app-upload"]')) {
  const input = area.querySelector('input[type="file"]');
  const progress = area.querySelector('progress');
  const status = area.querySelector('[role="status"]');
  const list = document.querySelector('[data-attachment-list]');
  const button = area.querySelector('[data-upload-button]');
  if (button) button.remove();
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const request = new XMLHttpRequest();
    request.open('POST', `${area.getAttribute('data-upload-url')}?name=${encodeURIComponent(file.name)}`);
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.setRequestHeader('x-csrf-token', shell ? shell.getAttribute('data-csrf-token') : '');
    progress.hidden = false;
    progress.value = 0;
    let said = -1;
    request.upload.addEventListener('progress', (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.floor((event.loaded / event.total) * 100);
      progress.value = percent;
      // Said in tens, so a screen reader is not flooded.
      if (Math.floor(percent / 10) !== said) {
        said = Math.floor(percent / 10);
        status.textContent = `Uploading ${file.name}: ${percent}%`;
      }
    });
    request.addEventListener('load', () => {
      progress.hidden = true;
      input.value = '';
      if (request.status === 201 || request.status === 200) {
        const uploaded = JSON.parse(request.responseText);
        status.textContent = `${uploaded.fileName} is attached.`;
        const item = document.createElement('li');
        item.textContent = `${uploaded.fileName} (${uploaded.size.toLocaleString('en-GB')} bytes)`;
        if (list) list.append(item);
      } else {
        let detail = 'the file could not be attached';
        try {
          detail = JSON.parse(request.responseText).detail || detail;
        } catch {
          // not JSON: keep the general words
        }
        status.textContent = `Not attached: ${detail}`;
      }
    });
    request.addEventListener('error', () => {
      progress.hidden = true;
      status.textContent = 'Not attached: the connection failed. Try again.';
    });
    request.send(file);
  });
}
const csrfToken = shell ? shell.getAttribute('data-csrf-token') : null;
const COUNTS_EVERY_MS = Number(shell ? shell.getAttribute('data-counts-every') : 0) || 15000;

/** Asks the gateway without counting as activity; null when the session has ended or the network failed. */
async function background(path) {
  try {
    const response = await fetch(path, {
      headers: { accept: 'application/json', 'x-liaison-background': '1' },
      credentials: 'same-origin',
    });
    if (response.status === 401) return { ended: true };
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

async function refreshCounts() {
  const answer = await background('/console/counts');
  if (!answer) return;
  if (answer.ended) return signedOut();
  for (const [name, value] of Object.entries(answer.counts || {})) {
    for (const badge of document.querySelectorAll(`[data-count="${name}"]`)) {
      const number = badge.querySelector('[data-count-value]');
      if (number && number.textContent !== String(value)) number.textContent = String(value);
      badge.classList.toggle('app-count--zero', value === 0);
    }
  }
  if (answer.session) planWarning(answer.session.idleEndsInSeconds);
}

function signedOut() {
  window.location.assign('/auth/sign-in?ended=1');
}

// The timeout warning.
const dialog = document.getElementById('timeout-dialog');
let warnTimer = null;
let endTimer = null;

// The server says how many seconds are left rather than when, so the browser's clock need not agree with it.
function planWarning(secondsLeft) {
  const left = Number(secondsLeft) * 1000;
  if (!dialog || !Number.isFinite(left)) return;
  clearTimeout(warnTimer);
  clearTimeout(endTimer);
  warnTimer = setTimeout(showWarning, Math.max(0, left - 120000));
  endTimer = setTimeout(signedOut, Math.max(0, left + 1000));
}

function showWarning() {
  if (!dialog || dialog.open) return;
  dialog.showModal();
  const stay = dialog.querySelector('[data-stay]');
  if (stay) stay.focus();
}

if (dialog) {
  const stay = dialog.querySelector('[data-stay]');
  const leave = dialog.querySelector('[data-leave]');
  if (stay)
    stay.addEventListener('click', async () => {
      // A foreground request: it counts as activity and so keeps the session.
      const response = await fetch('/console/stay', {
        method: 'POST',
        headers: { accept: 'application/json', 'x-csrf-token': csrfToken || '' },
        credentials: 'same-origin',
      }).catch(() => null);
      dialog.close();
      if (!response || response.status === 401) return signedOut();
      const answer = await response.json();
      planWarning(answer.idleEndsInSeconds);
    });
  if (leave) leave.addEventListener('click', () => dialog.close());
  const secondsLeft = shell ? shell.getAttribute('data-idle-ends-in') : null;
  if (secondsLeft) planWarning(secondsLeft);
}

if (shell) setInterval(refreshCounts, COUNTS_EVERY_MS);

// A list kept current: its first page is asked for again every 1.5 seconds (in the background) and replaced when
// it changed, unless the person is working inside it; a live region says what arrived. Each poll names the
// version it has (If-None-Match), so an unchanged list costs a 304 and no work here.
const LIVE_EVERY_MS = Number(shell ? shell.getAttribute('data-live-every') : 0) || 1500;
for (const region of document.querySelectorAll('[data-live-results]')) {
  const announce = document.getElementById('results-announce');
  const rowIds = (root) =>
    [...root.querySelectorAll('tbody tr a[href^="/console/messages/"]')].map((a) => a.getAttribute('href'));
  let version = null;
  setInterval(async () => {
    if (region.contains(document.activeElement)) return;
    try {
      const headers = { accept: 'text/html', 'x-liaison-background': '1' };
      if (version) headers['if-none-match'] = version;
      const response = await fetch(region.getAttribute('data-live-results'), { headers, credentials: 'same-origin' });
      if (response.status === 401) return signedOut();
      if (response.status === 304 || !response.ok) return;
      version = response.headers.get('etag');
      const html = await response.text();
      const next = document.createElement('div');
      next.innerHTML = html;
      const before = new Set(rowIds(region));
      const arrived = rowIds(next).filter((id) => !before.has(id)).length;
      if (next.innerHTML.trim() === region.innerHTML.trim()) return;
      region.innerHTML = next.innerHTML;
      if (announce && arrived > 0)
        announce.textContent = arrived === 1 ? '1 new message has arrived.' : `${arrived} new messages have arrived.`;
    } catch {
      // The network failed this time; the next round tries again.
    }
  }, LIVE_EVERY_MS);
}
