// The reconnect panel's buttons reload the page (no inline handlers: the CSP allows no inline script).
document.addEventListener("click", e => {
  if (e.target instanceof Element && e.target.classList.contains("batou-reload")) location.reload();
});
