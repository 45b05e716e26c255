// The reconnect panel's buttons (no inline handlers: the CSP allows no inline script): reload the page, or resume a
// paused circuit (the page then renders afresh from what the server has, so it catches up).
document.addEventListener("click", async e => {
  if (!(e.target instanceof Element)) return;
  if (e.target.classList.contains("batou-reload")) location.reload();
  if (e.target.classList.contains("batou-resume") && !(await Blazor.resumeCircuit())) location.reload();
});
