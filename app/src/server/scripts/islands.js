// Wakes the islands of a server-rendered page: loads the WASM once the
// browser is idle, then hydrates each island in a task of its own. Leptos'
// own loader (`<HydrationScripts islands=true>`) does the same in one task,
// which on a phone with a slow CPU is a long task of 150-200 ms that holds
// back the reader's first tap; here the browser gets a turn between islands.
//
// Islands are not nested on our pages (none takes children), so each
// `<leptos-island>` is one call. Allowed by the page policy by its hash.
// A page without islands loads no WASM; a client-side navigation that brings
// the first island starts it (`__startIslands`).
((js, wasm) => {
  const w = window;
  const d = document;
  const idle = (f) => (w.requestIdleCallback ? w.requestIdleCallback(f) : setTimeout(f, 1));
  const pause = () => (w.scheduler?.yield ? w.scheduler.yield() : new Promise((r) => setTimeout(r)));
  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    const mod = await import(js);
    await mod.default({ module_or_path: wasm });
    // Starting the WASM is a task of its own too.
    await pause();
    const hydrate = (el, id) => {
      if (mod[id]) mod[id](el);
      else console.warn(`No WASM function for the island ${id}.`);
    };
    const islands = [...d.querySelectorAll("leptos-island")];
    mod.hydrate();
    // Client-side navigation hydrates the islands of the pages it swaps in
    // from now on; an island it took away before its turn is skipped.
    w.__hydrateIsland = hydrate;
    for (const el of islands) {
      await pause();
      if (el.isConnected) hydrate(el, el.dataset.component);
    }
  };
  w.__startIslands = () => idle(start);
  const found = () => d.querySelector("leptos-island") && idle(start);
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", found);
  else found();
})
