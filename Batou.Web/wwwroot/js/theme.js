// The light/dark choice, remembered in this browser.
const key = "batou.theme";
export function isDark() { return localStorage.getItem(key) === "dark"; }
export function remember(dark) { localStorage.setItem(key, dark ? "dark" : "light"); }
// Set once the circuit is up: buttons work from then on (browser tests wait for it).
export function markInteractive() { document.body.dataset.interactive = "true"; }
