//! The `lausanne` binary as an operator runs it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn lausanne(dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lausanne"));
    cmd.env(
        "DATABASE_URL",
        format!("sqlite://{}/cli.db?mode=rwc", dir.path().display()),
    )
    .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
    .env("LAUSANNE_OUTBOX_DIR", dir.path().join("outbox"))
    .env("RUST_LOG", "warn");
    cmd
}

#[test]
fn migrate_demo_and_demo_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = lausanne(&dir).arg("migrate").output().unwrap();
    assert!(out.status.success());
    let out = lausanne(&dir).arg("demo").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("loaded 12 demo events"));
    let out = lausanne(&dir).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "a second demo is refused politely, not an error"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("already has events"));
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = lausanne(&dir)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("Lausanne Platform is running at http://127.0.0.1:"),
        "{line}"
    );
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        std::net::TcpStream::connect(&addr).is_ok(),
        "listening on {addr}"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
