// Client-side navigation between server-rendered pages (the islands router's
// model: fetch the next page's HTML, swap what changed, hydrate its islands),
// written out here because Leptos 0.8's own script also sends POST forms
// through `fetch`, swaps in whatever comes back (an error page, half a page)
// and leaves focus, scroll and screen readers where they were.
//
// Runs before the WASM loads; without it (or without JavaScript) every link
// and form is a normal page load. Allowed by the page policy by its hash.
(() => {
  const d = document, w = window, h = history;
  if (!w.fetch || !w.DOMParser || !h.pushState || !d.getElementById("main")) return;
  h.scrollRestoration = "manual";
  let current = 0;
  const prefetched = new Map();
  // Each history entry has an id; where the reader was on it is kept here.
  const positions = new Map();
  let here = h.state?.id ?? Math.random();
  h.replaceState({ ...h.state, id: here }, "");
  const bare = (url) => url.href.split("#")[0];
  let shown = bare(location);

  // Our own pages: under a language, not a file (calendar, CSV, feed).
  const ours = (url) =>
    url.origin === location.origin && /^\/(en|ar)(\/|$)/.test(url.pathname) && !/\.\w+$/.test(url.pathname);
  // Pages worth fetching ahead: public, the same for everyone, no side effect.
  const likely = (url) =>
    ours(url) && !url.search && /^\/(en|ar)(\/(events|bulletins)(\/[\w-]+)?)?\/?$/.test(url.pathname) &&
    !/\/(new|latest)$/.test(url.pathname);
  const frugal = () =>
    navigator.connection?.saveData || w.matchMedia?.("(prefers-reduced-data: reduce)").matches;

  const load = (url) =>
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" }).then(async (r) => ({
      url: r.url,
      status: r.status,
      ok: (r.headers.get("content-type") || "").startsWith("text/html"),
      text: await r.text(),
    }));

  function prefetch(a) {
    const url = new URL(a.href);
    if (frugal() || !likely(url) || url.href === location.href) return;
    const old = prefetched.get(url.href);
    if (old && Date.now() - old.at < 30000) return;
    const page = load(url).catch(() => null);
    prefetched.set(url.href, { at: Date.now(), page });
  }

  async function go(url, push, scroll) {
    const nav = ++current;
    const slow = setTimeout(() => d.documentElement.setAttribute("aria-busy", "true"), 300);
    const ahead = prefetched.get(url.href);
    prefetched.clear();
    let page = ahead && Date.now() - ahead.at < 30000 ? await ahead.page : null;
    try {
      page ??= await load(url);
    } catch {
      page = null;
    }
    if (nav !== current) return;
    clearTimeout(slow);
    d.documentElement.removeAttribute("aria-busy");
    if (!page) return failed(url);
    const landed = new URL(page.url);
    const doc = page.ok && ours(landed) ? new DOMParser().parseFromString(page.text, "text/html") : null;
    // A server error leaves the page as it was; not one of our pages, or
    // one built by another release: a normal load.
    if (!doc?.getElementById("main")) return page.status >= 500 ? failed(url) : location.assign(landed);
    if (!same(doc)) return location.assign(landed);
    if (push) {
      positions.set(here, [scrollX, scrollY]);
      h.replaceState({ ...h.state, scroll: [scrollX, scrollY] }, "");
      here = Math.random();
      h.pushState({ id: here }, "", landed);
    } else if (landed.href !== url.href) {
      h.replaceState(h.state, "", landed);
    }
    shown = bare(landed);
    swap(doc);
    if (scroll) scrollTo(...scroll);
    else if (landed.hash) d.getElementById(decodeURIComponent(landed.hash.slice(1)))?.scrollIntoView();
    else scrollTo(0, 0);
    const target = d.querySelector("main h1") || d.getElementById("main");
    target.tabIndex = -1;
    target.focus({ preventScroll: true });
    const status = d.getElementById("nav-status");
    if (status) {
      status.textContent = "";
      setTimeout(() => (status.textContent = d.title), 100);
    }
    w.dispatchEvent(new Event("lausanne:navigated"));
  }

  // The same stylesheet and script: the page belongs to this build.
  const assets = (doc) =>
    [...doc.head.querySelectorAll("link[rel=stylesheet],link[rel=modulepreload]")].map((l) => l.href).join();
  const same = (doc) => assets(doc) === assets(d);

  function swap(doc) {
    const html = d.documentElement;
    for (const name of ["lang", "dir"]) html.setAttribute(name, doc.documentElement.getAttribute(name) || "");
    // What a page says about itself follows the `<!--HEAD-->` mark.
    const own = (head) => {
      const nodes = [...head.childNodes];
      const mark = nodes.findIndex((n) => n.nodeType === 8 && n.data === "HEAD");
      return mark < 0 ? [] : nodes.slice(mark + 1);
    };
    own(d.head).forEach((n) => n.remove());
    d.head.append(...own(doc.head).map((n) => d.adoptNode(n)));
    const old = [...d.body.children], next = [...doc.body.children];
    const alike = old.length === next.length && old.every((n, i) => n.tagName === next[i].tagName && n.id === next[i].id);
    const added = [];
    if (alike) {
      old.forEach((n, i) => {
        if (n.isEqualNode(next[i])) return;
        if (n.id === "nav-status") {
          // Kept, so screen readers keep listening to it.
          for (const a of next[i].attributes) n.setAttribute(a.name, a.value);
          return;
        }
        n.replaceWith(d.adoptNode(next[i]));
        added.push(next[i]);
      });
    } else {
      d.body.replaceChildren(...next.map((n) => d.adoptNode(n)));
      added.push(...next);
    }
    // Until the WASM has started it hydrates whatever the page then holds
    // (and a page without islands did not start it).
    if (!w.__lausanneHydrated || !w.__hydrateIsland) {
      if (added.some((root) => root.querySelector("leptos-island"))) w.__startIslands?.();
      return;
    }
    for (const root of added) {
      for (const island of root.querySelectorAll("leptos-island")) {
        if (!island.parentElement.closest("leptos-island")) w.__hydrateIsland(island, island.dataset.component);
      }
    }
  }

  function failed(url) {
    const status = d.getElementById("nav-status");
    if (!status) return location.assign(url);
    const retry = d.createElement("a");
    retry.href = url.href;
    retry.textContent = status.dataset.retry;
    status.replaceChildren(status.dataset.failed + " ", retry);
    status.classList.add("nav-failed");
  }

  d.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest?.("a[href]");
    if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
    const url = new URL(a.href);
    if (!ours(url)) return;
    // A jump within this page stays the browser's.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    e.preventDefault();
    go(url, true);
  });

  d.addEventListener("submit", (e) => {
    const form = e.target, by = e.submitter;
    const method = (by?.getAttribute("formmethod") || form.getAttribute("method") || "get").toLowerCase();
    if (e.defaultPrevented || method !== "get" || (by?.formTarget || form.target)) return;
    const action = by?.getAttribute("formaction") ?? form.getAttribute("action");
    const url = new URL(action || location.href, location.href);
    if (!ours(url)) return;
    url.search = new URLSearchParams(new FormData(form, by)).toString();
    e.preventDefault();
    go(url, true);
  });

  w.addEventListener("popstate", (e) => {
    positions.set(here, [scrollX, scrollY]);
    here = e.state?.id;
    // Back to an anchor of the page on screen: the browser's to handle.
    if (bare(location) === shown) return;
    go(new URL(location.href), false, positions.get(here) ?? e.state?.scroll ?? [0, 0]);
  });

  for (const kind of ["mouseover", "touchstart", "focusin"]) {
    d.addEventListener(kind, (e) => {
      const a = e.target.closest?.("a[href]");
      if (a) prefetch(a);
    }, { passive: true });
  }
})();
