// batou dashboard: graph rendering (viz.js), diffs (diff2html) and the live deployment view (EventSource).
(function () {
  "use strict";
  let viz = null;
  async function renderGraphs(root) {
    for (const el of root.querySelectorAll(".batou-graph[data-dot]:not([data-rendered])")) {
      el.dataset.rendered = "1";
      try {
        viz = viz || await Viz.instance();
        const svg = viz.renderSVGElement(el.dataset.dot);
        el.replaceChildren(svg);
        applyRootStates();
      } catch (e) { el.textContent = "graph could not be drawn: " + e; }
    }
  }
  function renderDiffs(root) {
    for (const el of root.querySelectorAll(".file-diff[data-diff]:not([data-rendered])")) {
      el.dataset.rendered = "1";
      if (!el.dataset.diff) continue;
      const box = document.createElement("div");
      box.innerHTML = Diff2Html.html(el.dataset.diff, { drawFileList: false, outputFormat: "line-by-line", matching: "lines" });
      el.appendChild(box);
    }
  }
  // root states from the table onto the graph nodes (node ids are "node-host:component")
  function applyRootStates() {
    for (const row of document.querySelectorAll("#roots tr[data-root]")) {
      const state = row.querySelector(".root-state").textContent.trim().replace(" ", "-");
      const node = document.getElementById("node-" + row.dataset.root);
      if (node) node.dataset.state = state;
    }
  }
  function rootOf(breadcrumbs) {
    const first = breadcrumbs.split(" > ")[0];
    const p = first.indexOf("(");
    return (p >= 0 ? first.slice(0, p) : first).toLowerCase();
  }
  function setRoot(host, component, state, duration) {
    const tbody = document.querySelector("#roots tbody");
    if (!tbody) return;
    let row = tbody.querySelector(`tr[data-root="${CSS.escape(host + ":" + component)}"]`);
    if (!row) {
      row = document.createElement("tr");
      row.dataset.root = host + ":" + component;
      row.innerHTML = `<td class="ps-3"><i class="bi bi-pc-display text-secondary"></i> </td><td></td><td><span class="badge root-state"></span></td><td class="text-end pe-3 text-secondary small duration"></td>`;
      row.cells[0].append(host); row.cells[1].textContent = component;
      tbody.appendChild(row);
    }
    const badge = row.querySelector(".root-state");
    badge.className = "badge root-state root-" + state.replace(" ", "-");
    badge.textContent = state;
    if (duration) row.querySelector(".duration").textContent = duration;
    const node = document.getElementById("node-" + host + ":" + component);
    if (node) node.dataset.state = state.replace(" ", "-");
  }
  function seconds(span) { // "00:00:01.2345678"
    const m = /^(\d+):(\d+):([\d.]+)$/.exec(span || ""); if (!m) return "";
    return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])).toFixed(2) + " s";
  }
  function live() {
    const page = document.getElementById("deployment");
    if (!page || page.dataset.live !== "true") return;
    const log = document.getElementById("log"), count = document.getElementById("event-count");
    const predicting = {};
    let pending = [], scheduled = false, last = Number(page.dataset.after || 0);
    // keep the DOM small: the page shows the tail (at most MAX lines, trimmed back to KEEP), earlier
    // lines load on demand or come with the raw log. A backlog bigger than KEEP (a reconnect, a burst)
    // replaces what is shown instead of being inserted and trimmed again, so a frame's work stays bounded.
    const KEEP = 2000, MAX = 3000;
    const flush = () => {
      scheduled = false;
      if (!pending.length) return;
      const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      let cut = false;
      if (pending.length >= KEEP) { pending = pending.slice(-KEEP); log.replaceChildren(); cut = true; }
      log.insertAdjacentHTML("beforeend", pending.join(""));
      pending = [];
      const lines = log.querySelectorAll(".log-line");
      if (lines.length > MAX) {
        const range = document.createRange();
        range.setStartBefore(lines[0]); range.setEndBefore(lines[lines.length - KEEP]);
        range.deleteContents(); cut = true;
      }
      if (cut) {
        const old = log.querySelector(".log-more"); if (old) old.remove();
        const first = log.querySelector(".log-line");
        if (first && Number(first.dataset.seq) > 1) {
          const more = document.createElement("button");
          more.className = "btn btn-sm btn-link log-more";
          more.textContent = "Load earlier lines";
          more.setAttribute("hx-get", `/deployments/${page.dataset.id}/log?before=${first.dataset.seq}`);
          more.setAttribute("hx-swap", "outerHTML");
          log.prepend(more); htmx.process(more);
        }
      }
      if (atBottom) log.scrollTop = log.scrollHeight;
      count.textContent = last + " events";
    };
    const source = new EventSource(`/deployments/${page.dataset.id}/events?after=${last}`);
    // "ev" carries one event, "evs" the events that were waiting, as an array (a burst of log lines)
    source.addEventListener("ev", (m) => handle(JSON.parse(m.data)));
    source.addEventListener("evs", (m) => { for (const d of JSON.parse(m.data)) handle(d); });
    function handle(d) {
      const e = d.e;
      if (d.s <= last) return;
      last = d.s;
      if (d.h) pending.push(d.h);
      switch (d.t) {
        case "ModelConfigured": for (const r of e.roots) setRoot(r.host, r.component, r.ignored ? "skipped" : "waiting"); break;
        case "RootScheduled": setRoot(e.host, e.component, "verifying"); break;
        case "ComponentNeedsUpdate": { const c = rootOf(e.breadcrumbs); if (e.predicting) predicting[e.host + ":" + c] = true;
          setRoot(e.host, c, e.predicting ? "would change" : "updating"); break; }
        case "RootFinished": setRoot(e.host, e.component, predicting[e.host + ":" + e.component] ? "would change" : (e.changed ? "changed" : "unchanged"), seconds(e.duration)); break;
        case "RootFailed": setRoot(e.host, e.component, "failed"); break;
        case "RootSkipped": setRoot(e.host, e.component, "skipped"); break;
        case "FileDiff": addDiff(e); break;
      }
      if (!scheduled) { scheduled = true; requestAnimationFrame(flush); }
    }
    source.addEventListener("status", (m) => {
      source.close(); flush();
      page.dataset.status = m.data; page.dataset.live = "reloading";  // the server-rendered final page says "false"
      document.getElementById("status").innerHTML = `<span class="badge status-badge" data-status="${m.data}">${m.data}</span>`;
      const cancel = document.getElementById("cancel-form"); if (cancel) cancel.remove();
      const q = document.getElementById("queued-note"); if (q) q.remove();
      setTimeout(() => location.reload(), 300);
    });
    source.addEventListener("queued", () => {});
  }
  function addDiff(e) {
    const box = document.getElementById("diffs");
    const none = box.querySelector(".no-diffs"); if (none) none.remove();
    const el = document.createElement("div");
    el.className = "file-diff mb-2";
    let lines = e.lines || [];
    while (lines.length && (lines[0].startsWith("---") || lines[0].startsWith("+++"))) lines = lines.slice(1);
    if (lines.length) lines = ["--- a" + e.path, "+++ b" + e.path].concat(lines);
    el.dataset.diff = lines.length ? lines.join("\n") + "\n" : "";
    const title = document.createElement("div"); title.className = "small fw-semibold"; title.textContent = e.host + " › " + e.path;
    el.appendChild(title);
    if (e.notice) { const n = document.createElement("div"); n.className = "small text-secondary"; n.textContent = e.notice; el.appendChild(n); }
    box.appendChild(el);
    renderDiffs(box);
  }
  document.addEventListener("DOMContentLoaded", () => {
    renderGraphs(document); renderDiffs(document); live();
    const log = document.getElementById("log"); if (log) log.scrollTop = log.scrollHeight;
  });
  document.addEventListener("htmx:afterSwap", (ev) => { renderGraphs(ev.target); renderDiffs(ev.target); });
})();
