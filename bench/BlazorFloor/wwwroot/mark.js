window.markInteractive = () => { document.body.dataset.interactive = 'true'; };
