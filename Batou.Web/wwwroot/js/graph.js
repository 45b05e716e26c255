// The dependency graph: Graphviz (viz.js, 1.3 MB, loaded once per page) lays out the DOT the server built; root states
// colour the nodes. The layout waits until the page is interactive and the browser idle: loading and compiling viz.js
// must not delay a fresh page's circuit. States that arrive meanwhile are kept and applied once the graph is drawn.
let viz = null;
function loadViz(src) {
  if (window.Viz) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve; s.onerror = () => reject(new Error("viz.js could not be loaded"));
    document.head.appendChild(s);
  });
}
function settled() {
  return new Promise(resolve => {
    const idle = () => window.requestIdleCallback ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(resolve, 0);
    const ready = () => document.body.dataset.interactive === "true";
    if (ready()) { idle(); return; }
    const watch = new MutationObserver(() => { if (ready()) { watch.disconnect(); idle(); } });
    watch.observe(document.body, { attributes: true, attributeFilter: ["data-interactive"] });
    setTimeout(() => { watch.disconnect(); idle(); }, 3000);   // a page that is never marked: draw anyway
  });
}
export async function render(el, dot, states, vizSrc) {
  el.batouStates = states;
  try {
    await settled();
    await loadViz(vizSrc);
    viz = viz || await Viz.instance();
    el.replaceChildren(viz.renderSVGElement(dot));
    el.dataset.rendered = "true";
    setStates(el, el.batouStates);
  } catch (e) { el.textContent = "The graph could not be drawn: " + e; }
}
export function setStates(el, states) {
  if (!el || !states) return;
  el.batouStates = states;
  for (const [id, state] of Object.entries(states)) {
    const node = el.querySelector(`[id="${CSS.escape("node-" + id)}"]`);
    if (node) node.dataset.state = state.replace(" ", "-");
  }
}
