// The log pane. While following, the server renders the last rows as a plain list (data-mode="tail") and this module
// keeps the pane at its end whenever rows change, without a round trip. Only the reader's own scrolling (wheel, touch,
// keys, the scroll bar) stops following; then the server switches to the virtualised list (data-mode="virtual") and
// this module puts the reader back where they were, counted from the end, as the list learns its full height.
export function attach(el, dotnet) {
  // want: how far from the end the reader's wheel asked to go; it counts on where the short tail list ends
  let following = true, userAt = 0, mode = el.dataset.mode, fromEnd = 0, want = 0, restore = null;
  const atEnd = () => el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
  const user = () => { userAt = Date.now(); };
  for (const type of ["touchmove", "keydown", "pointerdown"]) el.addEventListener(type, user, { passive: true });
  el.addEventListener("wheel", e => {
    user();
    // scrolling on while the switch to the virtualised list is under way: keep counting from the end
    if (mode === "tail" || restore) want = Math.max(0, want - e.deltaY);
    if (restore) restore.fromEnd = want;
  }, { passive: true });
  el.addEventListener("scroll", () => {
    if (restore) return;
    const end = atEnd();
    if (!following && mode === "virtual") fromEnd = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (end === following) return;
    if (!end && Date.now() - userAt > 1000) { if (following) el.scrollTop = el.scrollHeight; return; }
    following = end;
    if (!end) fromEnd = el.scrollHeight - el.scrollTop - el.clientHeight;
    else want = 0;
    dotnet.invokeMethodAsync("SetFollowing", end);
  }, { passive: true });
  const put = () => {
    if (!restore) return;
    el.scrollTop = Math.max(0, el.scrollHeight - el.clientHeight - restore.fromEnd);
    // done once the list is as tall as the whole log (or after a while: the reader has moved on)
    if (el.scrollHeight > el.clientHeight + restore.fromEnd + 200 || Date.now() > restore.until) restore = null;
  };
  new MutationObserver(() => {
    const m = el.dataset.mode;
    if (m !== mode) {
      mode = m;
      if (m === "tail") { following = true; restore = null; want = 0; }
      else {
        want = Math.max(want, fromEnd);
        const r = restore = { fromEnd: want, until: Date.now() + 2000 };
        setTimeout(() => { if (restore === r) restore = null; }, 2100);
      }
    }
    if (mode === "tail" && following) el.scrollTop = el.scrollHeight;
    else put();
  }).observe(el, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["data-mode", "style"] });
  el.scrollTop = el.scrollHeight;
  // attached: the pane answers the reader's scrolling from now on (js/theme.js marks the page interactive after this)
  el.removeAttribute("data-js-pending");
}
