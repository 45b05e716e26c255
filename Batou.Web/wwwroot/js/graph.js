// The dependency graph: Graphviz (viz.js, loaded once) lays out the DOT the server built; root states colour the nodes.
let viz = null;
function loadViz() {
  if (window.Viz) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "lib/viz/viz-global.js";
    s.onload = resolve; s.onerror = () => reject(new Error("viz.js could not be loaded"));
    document.head.appendChild(s);
  });
}
export async function render(el, dot, states) {
  try {
    await loadViz();
    viz = viz || await Viz.instance();
    el.replaceChildren(viz.renderSVGElement(dot));
    el.dataset.rendered = "true";
    setStates(el, states);
  } catch (e) { el.textContent = "The graph could not be drawn: " + e; }
}
export function setStates(el, states) {
  if (!el || !states) return;
  for (const [id, state] of Object.entries(states)) {
    const node = el.querySelector(`[id="${CSS.escape("node-" + id)}"]`);
    if (node) node.dataset.state = state.replace(" ", "-");
  }
}
