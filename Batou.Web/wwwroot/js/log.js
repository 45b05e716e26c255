// The log pane follows the tail unless the reader scrolled up; it tells the server when that changes.
// Only the reader's own scrolling (wheel, touch, keys, the scroll bar) stops following: a scroll caused by new
// lines or by the virtualised list measuring itself keeps the pane at the end.
export function attach(el, dotnet) {
  let following = true, userAt = 0;
  const user = () => { userAt = Date.now(); };
  for (const type of ["wheel", "touchmove", "keydown", "pointerdown"]) el.addEventListener(type, user, { passive: true });
  el.addEventListener("scroll", () => {
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
    if (atEnd === following) return;
    if (!atEnd && Date.now() - userAt > 1000) { el.scrollTop = el.scrollHeight; return; }
    following = atEnd;
    dotnet.invokeMethodAsync("SetFollowing", atEnd);
  }, { passive: true });
  el._batouFollow = () => following;
}
export function toEnd(el) { if (el) el.scrollTop = el.scrollHeight; }
