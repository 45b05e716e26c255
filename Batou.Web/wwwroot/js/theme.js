// The light/dark choice, remembered in this browser, and the page's "interactive" mark.
const key = "batou.theme";
export function isDark() { return localStorage.getItem(key) === "dark"; }
export function remember(dark) { localStorage.setItem(key, dark ? "dark" : "light"); }
// Called once the circuit rendered the page: sets body[data-interactive=true] (buttons work from then on; browser
// tests and benchmarks wait for it) as soon as no element still waits for its own module (data-js-pending, e.g. the
// log pane until js/log.js attached to it), and answers the theme choice in the same round trip.
export function start() {
  const pending = () => document.querySelector("[data-js-pending]") !== null;
  const mark = () => { document.body.dataset.interactive = "true"; };
  if (!pending()) mark();
  else {
    const watch = new MutationObserver(() => { if (!pending()) { watch.disconnect(); mark(); } });
    watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-js-pending"] });
  }
  return isDark();
}
