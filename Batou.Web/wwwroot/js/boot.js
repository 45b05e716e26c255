// Starts Blazor (App.razor loads blazor.web.js with autostart="false") and wires the reconnect panel's buttons.
// Two requests a fresh page would wait for before its circuit can start are not made (docs/decisions.md):
// /_blazor/initializers (the JS initializers of the app's packages: there are none, and a test fails when one
// appears) and /_blazor/negotiate (the circuit connects straight over a WebSocket). No inline script: the CSP forbids it.
// "Import this module and call one of its functions" in one round trip: IJSRuntime's own "import" costs one more, and a
// fresh page is marked interactive only after its layout's and its log pane's calls came back. The modules stay modules
// (nothing of theirs is global), imported at the fingerprinted addresses the components pass.
window.batouCall = async (module, name, ...args) => (await import(new URL(module, document.baseURI).href))[name](...args);
Blazor.start({
  circuit: {
    initializers: { beforeStart: [], afterStarted: [] },
    configureSignalR: builder => builder.withUrl("_blazor", { skipNegotiation: true, transport: 1 /* WebSockets */ }),
  },
});
// The reconnect panel's buttons: reload the page, or resume a paused circuit (the page then renders afresh from what
// the server has, so it catches up).
document.addEventListener("click", async e => {
  if (!(e.target instanceof Element)) return;
  if (e.target.classList.contains("batou-reload")) location.reload();
  if (e.target.classList.contains("batou-resume") && !(await Blazor.resumeCircuit())) location.reload();
});
