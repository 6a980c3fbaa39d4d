//! The direction of imports inside `app/src`, read from the source itself.
//!
//! In the browser's half, `pages → components → api → dto/labels/paths →
//! domain`; in the server's half, `api → server/<area> → server/db →
//! crypto`. Only the router and the HTML shell (which the form helpers use to
//! render a page again) name the page tree. Areas never import each other in
//! a circle.
//! Every path that names a module (`use crate::…`, `crate::x::y(…)`,
//! `super::…`) outside the unit tests counts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's area: `pages`, `components`, `server/db`, `server/events`…
type Area = String;

struct Module {
    /// `server/events/pages.rs`.
    file: String,
    area: Area,
    /// The areas this module's paths name, with the path that named each.
    uses: BTreeMap<Area, String>,
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file: `server/events/pages.rs` is
/// `["server", "events", "pages"]`, `server/events/mod.rs` is
/// `["server", "events"]`.
fn module_path(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The area a module path belongs to: its first segment, or its first two
/// under `server` (each server area is one folder or file).
fn area_of(path: &[String]) -> Option<Area> {
    match path {
        [] => None,
        // What `server/mod.rs` re-exports, by the module it comes from.
        [first, second, ..] if first == "server" => Some(match second.as_str() {
            "AppState" | "Clock" => "server/state".to_owned(),
            "Config" => "server/config".to_owned(),
            "Mailer" => "server/mail".to_owned(),
            other => format!("server/{other}"),
        }),
        [first, ..] => Some(first.clone()),
    }
}

/// The code before the unit tests, without comments.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b…` and `super::…` path in `code`, resolved to an
/// absolute module path. Brace groups (`use crate::{a, b::c}`) are expanded
/// one level, which is all the code base uses.
fn paths(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts = (rest.starts_with("crate::") || rest.starts_with("super::"))
            && (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':');
        if !starts {
            i += 1;
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let text = rest[..end].trim_end_matches(':');
        let mut segments = text.split("::").map(str::to_owned).collect::<Vec<_>>();
        let base = if segments[0] == "crate" {
            segments.remove(0);
            Vec::new()
        } else {
            let mut base = here.to_vec();
            while segments.first().is_some_and(|s| s == "super") {
                segments.remove(0);
                base.pop();
            }
            base
        };
        let absolute: Vec<String> = base.into_iter().chain(segments).collect();
        if rest[end..].starts_with('{') {
            let group = &rest[end + 1..rest[end..].find('}').map_or(rest.len(), |j| end + j)];
            for item in group.split(',') {
                let item = item.trim().split(" as ").next().unwrap_or("").trim();
                if item.is_empty() || item == "self" {
                    found.push(absolute.clone());
                    continue;
                }
                let mut path = absolute.clone();
                path.extend(item.split("::").map(str::to_owned));
                found.push(path);
            }
        } else {
            found.push(absolute);
        }
        i += end.max(1);
    }
    found
}

fn modules() -> Vec<Module> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &mut files);
    files
        .iter()
        .filter_map(|path| {
            let file = path
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let here = module_path(&file);
            let area = area_of(&here)?;
            let text = std::fs::read_to_string(path).ok()?;
            let mut uses = BTreeMap::new();
            for path in paths(&code(&text), &here) {
                // `crate::App`: the page tree's root, re-exported.
                let named = match path.first().map(String::as_str) {
                    Some("App") => Some("pages".to_owned()),
                    _ => area_of(&path),
                };
                if let Some(named) = named.filter(|a| *a != area) {
                    uses.entry(named).or_insert_with(|| path.join("::"));
                }
            }
            Some(Module { file, area, uses })
        })
        .collect()
}

/// Whether a module of `area` may name `target`.
fn allowed(area: &str, target: &str) -> bool {
    let ui_base = ["domain", "i18n", "error", "dto", "labels", "paths"];
    let server = target.starts_with("server/");
    match area {
        "domain" => target == "i18n",
        "i18n" | "error" => ui_base.contains(&target) && target != "dto",
        "dto" => target == "domain",
        "labels" => ["domain", "i18n"].contains(&target),
        "paths" => target == "domain",
        "api" => ui_base.contains(&target) || server,
        "components" => ui_base.contains(&target) || target == "api",
        "pages" => ui_base.contains(&target) || target == "api" || target == "components",
        "server/router" | "server/shell" => true,
        // `server/mod.rs`: the module list and its re-exports.
        "server" => server,
        "server/crypto" => ["domain", "error"].contains(&target),
        "server/db" => ["domain", "error", "server/crypto"].contains(&target),
        _ if area.starts_with("server/") => ui_base.contains(&target) || server,
        _ => false,
    }
}

#[test]
fn imports_go_one_way() {
    let modules = modules();
    assert!(modules.len() > 50, "found only {} modules", modules.len());
    let mut wrong = Vec::new();
    for module in &modules {
        for (target, path) in &module.uses {
            if !allowed(&module.area, target) {
                wrong.push(format!("{} ({}) names {path}", module.file, module.area));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the direction:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn areas_form_no_circle() {
    let modules = modules();
    // The router and the shell render the page tree: they are the top, the
    // one place allowed to name `pages` (the direction test holds them to
    // it), so their edges into it close no circle of the layers below.
    let mut graph: BTreeMap<Area, BTreeSet<Area>> = BTreeMap::new();
    for module in &modules {
        graph.entry(module.area.clone()).or_default().extend(
            module
                .uses
                .keys()
                .filter(|target| *target != "pages")
                .cloned(),
        );
    }
    // Depth-first search for a back edge; report the circle it closes.
    fn visit(
        area: &Area,
        graph: &BTreeMap<Area, BTreeSet<Area>>,
        stack: &mut Vec<Area>,
        done: &mut BTreeSet<Area>,
    ) -> Option<Vec<Area>> {
        if let Some(i) = stack.iter().position(|a| a == area) {
            let mut circle = stack[i..].to_vec();
            circle.push(area.clone());
            return Some(circle);
        }
        if done.contains(area) {
            return None;
        }
        stack.push(area.clone());
        for next in graph.get(area).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, stack, done) {
                return Some(circle);
            }
        }
        stack.pop();
        done.insert(area.clone());
        None
    }
    let mut done = BTreeSet::new();
    for area in graph.keys() {
        if let Some(circle) = visit(area, &graph, &mut Vec::new(), &mut done) {
            let edges: Vec<String> = circle
                .windows(2)
                .map(|pair| {
                    let via = modules
                        .iter()
                        .find(|m| m.area == pair[0] && m.uses.contains_key(&pair[1]))
                        .map(|m| format!("{} names {}", m.file, m.uses[&pair[1]]))
                        .unwrap_or_default();
                    format!("{} -> {}  ({via})", pair[0], pair[1])
                })
                .collect();
            panic!("areas in a circle:\n{}", edges.join("\n"));
        }
    }
}

#[test]
fn paths_resolve_relative_to_their_module() {
    let here = module_path("server/events/pages.rs");
    assert_eq!(here, ["server", "events", "pages"]);
    let found = paths(
        "use super::card;\nuse crate::{dto::events::EventCard, domain};\nlet x = crate::server::db::events::list(a);",
        &here,
    );
    assert_eq!(
        found,
        vec![
            vec!["server", "events", "card"],
            vec!["dto", "events", "EventCard"],
            vec!["domain"],
            vec!["server", "db", "events", "list"],
        ]
    );
    assert_eq!(area_of(&found[3]).as_deref(), Some("server/db"));
}
