//! `cargo bench -p server --bench pages`, and on PostgreSQL
//! `bash scripts/with-postgres.sh cargo bench -p server --bench pages -- --pg`
//! (or with `DATABASE_URL=postgres://…`)
//!
//! Builds the release site (scripts/build.sh), boots the release `lausanne`
//! binary with the demo data on loopback, and prints, all from one server in
//! one run:
//!   the ceiling: requests/s for `/healthz` at 50 connections (the accept
//!       loop, axum and the middleware stack, nothing else);
//!   (a) requests/s for the events list,
//!   (b) requests/s for a static file of the same size (in `/pkg`),
//!   (c) their ratio (target >= 0.5), and `ceiling ratio` = (a) / `/healthz`
//!       (target >= 0.6), `/healthz` measured right before and after (a):
//!       two cores shared with wrk drift by tens of per cent between runs;
//!   the same for a bulletin issue page (the demo's latest sample, in
//!   Arabic) and the event page;
//!   a `/pkg` asset and a site-root (`public/`) file of the list's size
//!   against `/healthz` (target >= 0.8);
//!   the server's peak resident memory after that (target <= 64 MiB), and
//!   again after 100,000 distinct events-list query strings;
//!   (d) the event page's first-load bytes as sent, compressed
//!       (HTML + CSS + JS + WASM; target <= 250 KB).
//! The static files are written into the site before the server starts
//! (it reads its files into memory once) and removed afterwards. Load comes
//! from `wrk` (installed by scripts/setup.sh), only to 127.0.0.1, for a
//! bounded time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod support;

const CONNECTIONS: u32 = 50;
const SECONDS: u32 = 10;

struct Server {
    child: Child,
    base: String,
    dir: Option<tempfile::TempDir>,
}

/// The database the servers run on, and whether it is PostgreSQL.
#[derive(Clone)]
struct Database {
    url: String,
    postgres: bool,
}

impl Server {
    /// Stops the server; returns its database folder.
    fn stop(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.dir.take().unwrap()
    }

    /// The server's peak resident memory so far, in bytes (Linux).
    fn peak_rss(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb * 1024)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed");
}

/// Boots the release binary on `database` (given the demo data when
/// `demo`), with `dir` as its folder.
fn boot(dir: tempfile::TempDir, database: &Database, demo: bool) -> Server {
    let root = root();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin = root.join("target/release/lausanne");
    let mut envs = vec![
        ("DATABASE_URL", database.url.clone()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        (
            "LEPTOS_SITE_ROOT",
            root.join("target/site").display().to_string(),
        ),
        ("RUST_LOG", "warn".to_owned()),
    ];
    if database.postgres {
        envs.push(("LAUSANNE_DATA_KEY", support::POSTGRES_KEY.to_owned()));
    }
    if demo {
        run(Command::new(&bin)
            .arg("demo")
            .envs(envs.clone())
            .stdout(Stdio::null()));
    }
    let child = Command::new(&bin)
        .arg("serve")
        .envs(envs)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        base,
        dir: Some(dir),
    }
}

/// Requests per second from `wrk -t2 -c50 -d10s`, with a browser's Accept-Encoding.
fn wrk(url: &str) -> f64 {
    wrk_with(url, SECONDS, None).0
}

/// Requests per second and requests made, for `seconds`, with an optional
/// Lua script.
fn wrk_with(url: &str, seconds: u32, script: Option<&Path>) -> (f64, u64) {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{seconds}s")])
        .args(["-H", "Accept-Encoding: br, gzip"]);
    if let Some(script) = script {
        cmd.arg("-s").arg(script);
    }
    let out = cmd
        .arg(url)
        .output()
        .expect("wrk is installed by scripts/setup.sh");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "errors under load:\n{text}");
    let rate = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no rate in wrk output:\n{text}"));
    let made = text
        .lines()
        .find_map(|l| l.trim().split_once(" requests in "))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or(0);
    (rate, made)
}

/// A `wrk` script that asks for a different query string each time.
const DISTINCT_QUERIES: &str = r#"
counter = 0
setup = function(thread)
  thread:set("offset", counter * 1000000000)
  counter = counter + 1
end
n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/en/events?when=past&page=" .. (offset + n))
end
"#;

async fn text(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// Body bytes as sent (compressed) for `url`.
async fn sent_bytes(client: &reqwest::Client, url: &str) -> (usize, String) {
    let r = client
        .get(url)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{url}: {}", r.status());
    let encoding = r
        .headers()
        .get("content-encoding")
        .map_or("identity", |v| v.to_str().unwrap())
        .to_owned();
    (r.bytes().await.unwrap().len(), encoding)
}

fn attr_values<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.match_indices(marker)
        .filter_map(|(i, _)| {
            let tag = &html[html[..i].rfind('<')?..];
            let tag = &tag[..tag.find('>')?];
            let href = tag.split("href=\"").nth(1)?;
            Some(&href[..href.find('"')?])
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let root = root();
    run(Command::new("bash")
        .arg("scripts/build.sh")
        .current_dir(&root));
    let client = reqwest::Client::new();

    // A first start to read the pages whose size the files must have.
    let dir = tempfile::tempdir().unwrap();
    let (url, postgres) = support::database(dir.path()).await;
    println!("on {}", support::durability(&url, postgres).await);
    let database = Database { url, postgres };
    let server = boot(dir, &database, true);
    let list_url = format!("{}/en/events", server.base);
    let page = text(&client, &list_url).await;
    let bulletin_path = "/ar/bulletins/children-and-youth-consultation";
    let bulletin = text(&client, &format!("{}{bulletin_path}", server.base)).await;
    assert!(bulletin.contains("class=\"prose\""), "a bulletin page");
    let dir = server.stop();

    // Static files with exactly the events list's and the bulletin's bytes.
    let site = root.join("target/site");
    let files = [
        (site.join("pkg/bench-static.html"), &page),
        (site.join("pkg/bench-bulletin.html"), &bulletin),
        (site.join("bench-public.html"), &page),
    ];
    for (path, bytes) in &files {
        std::fs::write(path, bytes).unwrap();
    }
    let server = boot(dir, &database, false);
    for (path, _) in &files {
        std::fs::remove_file(path).unwrap();
    }
    let base = &server.base;
    let list_url = format!("{base}/en/events");

    // A short first run, so that the ceiling is not measured cold.
    wrk_with(&format!("{base}/healthz"), 3, None);
    let healthz = format!("{base}/healthz");
    let ceiling = wrk(&healthz);
    println!(
        "    /healthz        {ceiling:>10.0} req/s  (the ceiling: accept loop, axum, middleware)"
    );
    // Two cores shared with wrk drift by tens of per cent from one run to
    // the next: each ratio is taken against /healthz measured right before
    // and right after the run it divides.
    let against_ceiling = |url: &str| {
        let before = wrk_with(&healthz, 5, None).0;
        let rate = wrk(url);
        let after = wrk_with(&healthz, 5, None).0;
        (rate, rate / ((before + after) / 2.0))
    };

    println!("events list: {} bytes uncompressed", page.len());
    let (page_rate, page_ceiling) = against_ceiling(&list_url);
    println!(
        "(a) events list     {page_rate:>10.0} req/s  ({CONNECTIONS} connections, {SECONDS} s)"
    );
    let static_rate = wrk(&format!("{base}/pkg/bench-static.html"));
    println!("(b) static file     {static_rate:>10.0} req/s  (same size, same server)");
    println!(
        "(c) ratio           {:>10.2}      (target >= 0.50)",
        page_rate / static_rate
    );
    println!(
        "    ceiling ratio: {:.2} (events list / healthz, target >= 0.60)",
        page_ceiling
    );

    // A bulletin issue, in Arabic, against a static file of the same bytes.
    println!("bulletin issue: {} bytes uncompressed", bulletin.len());
    let (bulletin_rate, bulletin_ceiling) = against_ceiling(&format!("{base}{bulletin_path}"));
    println!(
        "    bulletin issue  {bulletin_rate:>10.0} req/s  ({CONNECTIONS} connections, {SECONDS} s)"
    );
    let bulletin_static_rate = wrk(&format!("{base}/pkg/bench-bulletin.html"));
    println!("    static file     {bulletin_static_rate:>10.0} req/s  (same size, same server)");
    println!(
        "    bulletin ratio  {:>10.2}      (target >= 0.50)",
        bulletin_rate / bulletin_static_rate
    );
    println!(
        "    ceiling ratio: {:.2} (bulletin issue / healthz, target >= 0.60)",
        bulletin_ceiling
    );

    // The fullest event page: the hybrid Lausanne Platform meeting, with its agenda.
    let slug = page
        .split("href=\"/en/events/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.starts_with("lausanne-platform-"))
        .expect("the demo's upcoming Lausanne Platform on the list");
    let event_url = format!("{base}/en/events/{slug}");
    let html = text(&client, &event_url).await;
    let (event_rate, event_ceiling) = against_ceiling(&event_url);
    println!(
        "    event page      {event_rate:>10.0} req/s  ({CONNECTIONS} connections, {SECONDS} s)"
    );
    println!(
        "    ceiling ratio: {:.2} (event page / healthz, target >= 0.60)",
        event_ceiling
    );

    // Files of the list's size: a built asset and a site-root file.
    let (pkg_rate, pkg_ceiling) = against_ceiling(&format!("{base}/pkg/bench-static.html"));
    println!(
        "    /pkg file       {pkg_rate:>10.0} req/s  ceiling ratio: {:.2} (target >= 0.80)",
        pkg_ceiling
    );
    let (public_rate, public_ceiling) = against_ceiling(&format!("{base}/bench-public.html"));
    println!(
        "    public/ file    {public_rate:>10.0} req/s  ceiling ratio: {:.2} (target >= 0.80)",
        public_ceiling
    );

    let rss = |server: &Server| server.peak_rss().unwrap_or(0) as f64 / (1024.0 * 1024.0);
    println!(
        "    server RSS peak: {:.1} MiB under the runs above (target <= 64 MiB)",
        rss(&server)
    );

    // Strangers making up query strings: every one is a new page to keep,
    // until the cache's ceiling (16 MiB by default) pushes the oldest out.
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), DISTINCT_QUERIES).unwrap();
    let mut distinct = 0;
    while distinct < 100_000 {
        let (_, made) = wrk_with(&list_url, 10, Some(script.path()));
        assert!(made > 0, "no requests made");
        distinct += made;
    }
    println!(
        "    server RSS peak: {:.1} MiB after {distinct} distinct query strings as well \
         (the page cache holds at most 16 MiB of them)",
        rss(&server)
    );

    let mut total = 0;
    let (n, enc) = sent_bytes(&client, &event_url).await;
    println!("    html  {n:>8} B  {enc}  /en/events/{slug}");
    total += n;
    let mut assets: Vec<&str> = attr_values(&html, "rel=\"stylesheet\"");
    assets.extend(attr_values(&html, "rel=\"modulepreload\""));
    assets.extend(attr_values(&html, "rel=\"preload\""));
    assert_eq!(assets.len(), 3, "expected CSS, JS and WASM links in {html}");
    for asset in assets {
        let (n, enc) = sent_bytes(&client, &format!("{base}{asset}")).await;
        println!("    asset {n:>8} B  {enc}  {asset}");
        total += n;
    }
    println!(
        "(d) event page first load: {:.1} KB compressed (target <= 250 KB)",
        total as f64 / 1024.0
    );
}
