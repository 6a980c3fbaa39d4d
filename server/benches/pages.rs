//! `cargo bench -p server --bench pages`
//!
//! Builds the release site (scripts/build.sh), boots the release `lausanne`
//! binary with the demo data on loopback, and prints:
//!   (a) requests/s for the events list at 50 concurrent connections,
//!   (b) requests/s for a static file of the same size on the same server,
//!   (c) their ratio (target ≥ 0.5),
//!   (d) the event page's first-load bytes as sent, compressed
//!       (HTML + CSS + JS + WASM; target ≤ 250 KB),
//!   and the same rate and ratio for a bulletin issue page (the demo's
//!   latest sample, in Arabic) against a static file of its size.
//! Load comes from `wrk` (installed by scripts/setup.sh), only to 127.0.0.1,
//! for a bounded time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECTIONS: u32 = 50;
const SECONDS: u32 = 10;

struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
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

fn boot() -> Server {
    let root = root();
    run(Command::new("bash")
        .arg("scripts/build.sh")
        .current_dir(&root));
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin = root.join("target/release/lausanne");
    let envs = [
        (
            "DATABASE_URL",
            format!("sqlite://{}/bench.db?mode=rwc", dir.path().display()),
        ),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        (
            "LEPTOS_SITE_ROOT",
            root.join("target/site").display().to_string(),
        ),
        ("RUST_LOG", "warn".to_owned()),
    ];
    run(Command::new(&bin)
        .arg("demo")
        .envs(envs.clone())
        .stdout(Stdio::null()));
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
        _dir: dir,
    }
}

/// Requests per second from `wrk -t2 -c50 -d10s`, with a browser's Accept-Encoding.
fn wrk(url: &str) -> f64 {
    let out = Command::new("wrk")
        .args(["-t2", &format!("-c{CONNECTIONS}"), &format!("-d{SECONDS}s")])
        .args(["-H", "Accept-Encoding: br, gzip"])
        .arg(url)
        .output()
        .expect("wrk is installed by scripts/setup.sh");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Non-2xx"), "errors under load:\n{text}");
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no rate in wrk output:\n{text}"))
}

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
    let server = boot();
    let client = reqwest::Client::new();
    let list_url = format!("{}/en/events", server.base);

    // A static file with exactly the events list's bytes, served by the same server.
    let page = text(&client, &list_url).await;
    let static_name = "bench-static.html";
    let static_path = root().join("target/site/pkg").join(static_name);
    std::fs::write(&static_path, &page).unwrap();

    println!("events list: {} bytes uncompressed", page.len());
    let page_rate = wrk(&list_url);
    println!(
        "(a) events list     {page_rate:>10.0} req/s  ({CONNECTIONS} connections, {SECONDS} s)"
    );
    let static_rate = wrk(&format!("{}/pkg/{static_name}", server.base));
    println!("(b) static file     {static_rate:>10.0} req/s  (same size, same server)");
    std::fs::remove_file(&static_path).unwrap();
    println!(
        "(c) ratio           {:>10.2}      (target >= 0.50)",
        page_rate / static_rate
    );

    // A bulletin issue, in Arabic, against a static file of the same bytes.
    let bulletin_url = format!(
        "{}/ar/bulletins/children-and-youth-consultation",
        server.base
    );
    let bulletin = text(&client, &bulletin_url).await;
    assert!(bulletin.contains("class=\"prose\""), "a bulletin page");
    let bulletin_static = "bench-bulletin.html";
    let bulletin_static_path = root().join("target/site/pkg").join(bulletin_static);
    std::fs::write(&bulletin_static_path, &bulletin).unwrap();
    println!("bulletin issue: {} bytes uncompressed", bulletin.len());
    let bulletin_rate = wrk(&bulletin_url);
    println!(
        "    bulletin issue  {bulletin_rate:>10.0} req/s  ({CONNECTIONS} connections, {SECONDS} s)"
    );
    let bulletin_static_rate = wrk(&format!("{}/pkg/{bulletin_static}", server.base));
    println!("    static file     {bulletin_static_rate:>10.0} req/s  (same size, same server)");
    std::fs::remove_file(&bulletin_static_path).unwrap();
    println!(
        "    bulletin ratio  {:>10.2}      (target >= 0.50)",
        bulletin_rate / bulletin_static_rate
    );

    // The fullest event page: the hybrid Lausanne Platform meeting, with its agenda.
    let slug = page
        .split("href=\"/en/events/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.starts_with("lausanne-platform-"))
        .expect("the demo's upcoming Lausanne Platform on the list");
    let event_url = format!("{}/en/events/{slug}", server.base);
    let html = text(&client, &event_url).await;
    let mut total = 0;
    let (n, enc) = sent_bytes(&client, &event_url).await;
    println!("    html  {n:>8} B  {enc}  /en/events/{slug}");
    total += n;
    let mut assets: Vec<&str> = attr_values(&html, "rel=\"stylesheet\"");
    assets.extend(attr_values(&html, "rel=\"modulepreload\""));
    assets.extend(attr_values(&html, "rel=\"preload\""));
    assert_eq!(assets.len(), 3, "expected CSS, JS and WASM links in {html}");
    for asset in assets {
        let (n, enc) = sent_bytes(&client, &format!("{}{asset}", server.base)).await;
        println!("    asset {n:>8} B  {enc}  {asset}");
        total += n;
    }
    println!(
        "(d) event page first load: {:.1} KB compressed (target <= 250 KB)",
        total as f64 / 1024.0
    );
}
