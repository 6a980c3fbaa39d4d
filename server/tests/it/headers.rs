//! Security headers, scored the way the Mozilla HTTP Observatory scores a
//! site (its published modifiers, 2024 edition), for every kind of response
//! the app gives: pages in both languages, re-rendered forms, private and
//! staff pages, errors, feeds, calendars, the live stream and files.
//!
//! The Observatory's redirection test (plain HTTP answered with a redirect
//! to HTTPS) is about the TLS front end, not the app's headers; the README's
//! deployment notes cover it.

use std::collections::BTreeMap;

use app::domain::Role;
use reqwest::header::{HeaderMap, SET_COOKIE};

use crate::common::spawn_app_with;

const PUBLIC_URL: &str = "https://lausanne.example";

/// One Observatory modifier that applied.
#[derive(Debug)]
struct Modifier {
    #[allow(dead_code, reason = "shown when a score fails")]
    test: &'static str,
    result: &'static str,
    score: i32,
}

/// The directives of a Content-Security-Policy header, or `None` when it is
/// missing, repeated or cannot be parsed.
fn parse_csp(headers: &HeaderMap) -> Result<Option<BTreeMap<String, Vec<String>>>, ()> {
    let mut values = headers.get_all("content-security-policy").iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(());
    }
    let mut directives = BTreeMap::new();
    for directive in value.to_str().map_err(|_| ())?.split(';') {
        let mut words = directive.split_ascii_whitespace();
        let Some(name) = words.next() else { continue };
        let name = name.to_ascii_lowercase();
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            || directives.contains_key(&name)
        {
            return Err(());
        }
        directives.insert(name, words.map(str::to_owned).collect());
    }
    Ok(Some(directives))
}

fn csp(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "content-security-policy",
        result,
        score,
    };
    let directives = match parse_csp(headers) {
        Err(()) => return m("csp-header-invalid", -25),
        Ok(None) => return m("csp-not-implemented", -25),
        Ok(Some(d)) => d,
    };
    let effective = |name: &str| {
        directives
            .get(name)
            .or_else(|| directives.get("default-src"))
            .cloned()
    };
    let broad = |sources: &[String]| {
        sources.iter().any(|s| {
            matches!(
                s.as_str(),
                "*" | "http:" | "https:" | "data:" | "blob:" | "ftp:"
            )
        })
    };
    let script = effective("script-src");
    let object = effective("object-src");
    let strict = script
        .as_ref()
        .is_some_and(|s| s.iter().any(|v| v == "'strict-dynamic'"));
    let nonce_or_hash = script.as_ref().is_some_and(|s| {
        s.iter()
            .any(|v| v.starts_with("'nonce-") || v.starts_with("'sha"))
    });
    let unsafe_inline = match &script {
        None => true,
        Some(s) => {
            (s.iter().any(|v| v == "'unsafe-inline'") && !nonce_or_hash) || (broad(s) && !strict)
        }
    };
    let unsafe_objects = object.as_ref().is_none_or(|o| broad(o));
    let insecure_active = [
        "script-src",
        "style-src",
        "object-src",
        "connect-src",
        "frame-src",
    ]
    .iter()
    .filter_map(|d| effective(d))
    .any(|s| s.iter().any(|v| v.starts_with("http:") || v == "ws:"));
    let insecure_passive = ["img-src", "media-src"]
        .iter()
        .filter_map(|d| effective(d))
        .any(|s| s.iter().any(|v| v.starts_with("http:")));
    let unsafe_eval = script
        .as_ref()
        .is_some_and(|s| s.iter().any(|v| v == "'unsafe-eval'"));
    let inline_style =
        effective("style-src").is_some_and(|s| s.iter().any(|v| v == "'unsafe-inline'"));
    let default_none = directives
        .get("default-src")
        .is_some_and(|d| d.len() == 1 && d[0] == "'none'");
    if unsafe_inline || unsafe_objects {
        m("csp-implemented-with-unsafe-inline", -20)
    } else if insecure_active {
        m("csp-implemented-with-insecure-scheme", -20)
    } else if unsafe_eval {
        m("csp-implemented-with-unsafe-eval", -10)
    } else if insecure_passive {
        m(
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
        )
    } else if inline_style {
        m("csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    } else if default_none {
        m("csp-implemented-with-no-unsafe-default-src-none", 10)
    } else {
        m("csp-implemented-with-no-unsafe", 5)
    }
}

fn max_age(headers: &HeaderMap) -> Result<Option<u64>, ()> {
    let Some(value) = headers.get("strict-transport-security") else {
        return Ok(None);
    };
    value
        .to_str()
        .map_err(|_| ())?
        .split(';')
        .find_map(|part| part.trim().strip_prefix("max-age="))
        .and_then(|age| age.parse().ok())
        .map(Some)
        .ok_or(())
}

fn hsts(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "strict-transport-security",
        result,
        score,
    };
    match max_age(headers) {
        Err(()) => m("hsts-header-invalid", -20),
        Ok(None) => m("hsts-not-implemented", -20),
        Ok(Some(age)) if age >= 15_768_000 => m("hsts-implemented-max-age-at-least-six-months", 0),
        Ok(Some(_)) => m("hsts-implemented-max-age-less-than-six-months", -10),
    }
}

fn cookies(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "cookies",
        result,
        score,
    };
    let cookies: Vec<String> = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    if cookies.is_empty() {
        return m("cookies-not-found", 0);
    }
    let hsts = matches!(max_age(headers), Ok(Some(age)) if age >= 15_768_000);
    let mut worst = m("cookies-secure-with-httponly-sessions-and-samesite", 5);
    for cookie in &cookies {
        let mut parts = cookie.split(';').map(str::trim);
        let name = parts
            .next()
            .unwrap()
            .split('=')
            .next()
            .unwrap()
            .to_lowercase();
        let attributes: Vec<String> = parts.map(str::to_lowercase).collect();
        let has = |a: &str| attributes.iter().any(|x| x == a);
        let samesite = attributes.iter().find_map(|a| a.strip_prefix("samesite="));
        let session = name.contains("session") || name.contains("sess") || name.contains("login");
        let found = if samesite.is_some_and(|s| !matches!(s, "strict" | "lax" | "none")) {
            m("cookies-samesite-flag-invalid", -20)
        } else if session && !has("secure") {
            if hsts {
                m(
                    "cookies-session-without-secure-flag-but-protected-by-hsts",
                    -10,
                )
            } else {
                m("cookies-session-without-secure-flag", -40)
            }
        } else if session && !has("httponly") {
            m("cookies-session-without-httponly-flag", -30)
        } else if !has("secure") {
            if hsts {
                m("cookies-without-secure-flag-but-protected-by-hsts", -5)
            } else {
                m("cookies-without-secure-flag", -20)
            }
        } else if samesite.is_none() {
            m("cookies-secure-with-httponly-sessions", 0)
        } else {
            continue;
        };
        if found.score < worst.score {
            worst = found;
        }
    }
    worst
}

fn referrer(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "referrer-policy",
        result,
        score,
    };
    let Some(value) = headers.get("referrer-policy") else {
        return m("referrer-policy-not-implemented", 0);
    };
    // The last valid policy in the list is the one browsers apply.
    let last = value
        .to_str()
        .unwrap_or("")
        .split(',')
        .map(|p| p.trim().to_lowercase())
        .next_back()
        .unwrap_or_default();
    match last.as_str() {
        "no-referrer" | "same-origin" | "strict-origin" | "strict-origin-when-cross-origin" => {
            m("referrer-policy-private", 5)
        }
        "no-referrer-when-downgrade" => m("referrer-policy-no-referrer-when-downgrade", 0),
        "origin" | "origin-when-cross-origin" | "unsafe-url" => m("referrer-policy-unsafe", -5),
        _ => m("referrer-policy-headers-invalid", -5),
    }
}

fn content_type_options(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "x-content-type-options",
        result,
        score,
    };
    match headers.get("x-content-type-options").map(|v| v.to_str()) {
        None => m("x-content-type-options-not-implemented", -5),
        Some(Ok(v)) if v.trim().eq_ignore_ascii_case("nosniff") => {
            m("x-content-type-options-nosniff", 0)
        }
        Some(_) => m("x-content-type-options-header-invalid", -5),
    }
}

fn frame_options(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "x-frame-options",
        result,
        score,
    };
    let via_csp = parse_csp(headers).ok().flatten().is_some_and(|d| {
        d.get("frame-ancestors")
            .is_some_and(|f| !f.iter().any(|s| s == "*"))
    });
    if via_csp {
        return m("x-frame-options-implemented-via-csp", 5);
    }
    match headers
        .get("x-frame-options")
        .map(|v| v.to_str().unwrap_or("").trim().to_uppercase())
    {
        None => m("x-frame-options-not-implemented", -20),
        Some(v) if v == "DENY" || v == "SAMEORIGIN" => m("x-frame-options-sameorigin-or-deny", 0),
        Some(_) => m("x-frame-options-header-invalid", -20),
    }
}

fn cors(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "cross-origin-resource-sharing",
        result,
        score,
    };
    let origin = headers.get("access-control-allow-origin");
    let credentials = headers
        .get("access-control-allow-credentials")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"));
    match origin {
        None => m("cross-origin-resource-sharing-not-implemented", 0),
        Some(_) if credentials => m(
            "cross-origin-resource-sharing-implemented-with-universal-access",
            -50,
        ),
        Some(_) => m(
            "cross-origin-resource-sharing-implemented-with-public-access",
            0,
        ),
    }
}

fn resource_policy(headers: &HeaderMap) -> Modifier {
    let m = |result, score| Modifier {
        test: "cross-origin-resource-policy",
        result,
        score,
    };
    match headers
        .get("cross-origin-resource-policy")
        .map(|v| v.to_str().unwrap_or(""))
    {
        None => m("corp-not-implemented", 0),
        Some("same-origin") => m("corp-implemented-with-same-origin", 0),
        Some("same-site") => m("corp-implemented-with-same-site", 0),
        Some("cross-origin") => m("corp-implemented-with-cross-origin", 0),
        Some(_) => m("corp-header-invalid", -5),
    }
}

/// Subresource integrity: scripts from elsewhere need it; ours come from our
/// own origin (relative addresses).
fn subresource_integrity(headers: &HeaderMap, body: &str) -> Modifier {
    let m = |result, score| Modifier {
        test: "subresource-integrity",
        result,
        score,
    };
    let html = headers
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"));
    if !html {
        return m("sri-not-implemented-response-not-html", 0);
    }
    let external: Vec<&str> = body
        .split("<script")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let src = tag.split("src=\"").nth(1)?.split('"').next()?;
            (src.starts_with("http:") || src.starts_with("https:") || src.starts_with("//"))
                .then_some(tag)
        })
        .collect();
    if body.contains("<script") && external.is_empty() {
        m(
            "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
            0,
        )
    } else if external.is_empty() {
        m("sri-not-implemented-but-no-scripts-loaded", 0)
    } else if external.iter().all(|t| t.contains("integrity=")) {
        m("sri-implemented-and-external-scripts-loaded-securely", 5)
    } else {
        m(
            "sri-not-implemented-but-external-scripts-loaded-securely",
            -5,
        )
    }
}

/// The Observatory's score: 100, plus every modifier; bonuses count only when
/// the score without them is at least 90.
fn observatory(headers: &HeaderMap, body: &str) -> (i32, Vec<Modifier>) {
    let modifiers = vec![
        csp(headers),
        cookies(headers),
        cors(headers),
        referrer(headers),
        hsts(headers),
        subresource_integrity(headers, body),
        content_type_options(headers),
        frame_options(headers),
        resource_policy(headers),
    ];
    let penalties: i32 = modifiers.iter().map(|m| m.score.min(0)).sum();
    let bonuses: i32 = modifiers.iter().map(|m| m.score.max(0)).sum();
    let base = 100 + penalties;
    let score = if base >= 90 { base + bonuses } else { base };
    (score.max(0), modifiers)
}

/// The script hashes the policy allows (`'sha256-…'`, without the quotes
/// and prefix).
fn policy_hashes(headers: &HeaderMap) -> Vec<String> {
    let Some(directives) = parse_csp(headers).ok().flatten() else {
        return Vec::new();
    };
    directives
        .get("script-src")
        .into_iter()
        .flatten()
        .filter_map(|s| {
            s.strip_prefix("'sha256-")
                .and_then(|h| h.strip_suffix('\''))
                .map(str::to_owned)
        })
        .collect()
}

struct Scored {
    what: String,
    status: u16,
    score: i32,
    bonuses: Vec<&'static str>,
    scripts: usize,
}

async fn scan(what: &str, request: reqwest::RequestBuilder) -> Scored {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let streaming = headers
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/event-stream"));
    let body = if streaming {
        String::new()
    } else {
        response.text().await.unwrap()
    };
    let (score, modifiers) = observatory(&headers, &body);
    assert!(
        score >= 100,
        "{what} scored {score}: {modifiers:#?}\n{headers:#?}"
    );
    // Every script on a page is one the policy allows by its hash; none
    // carries a nonce (a kept page is the same for every reader).
    if body.contains("<script") {
        let hashes = policy_hashes(&headers);
        assert!(!hashes.is_empty(), "{what}: scripts, no hashes");
        for script in body.split("<script").skip(1) {
            let (tag, rest) = script.split_once('>').unwrap();
            assert!(!tag.contains("nonce"), "{what}: <script{tag}>");
            assert!(!tag.contains("src="), "{what}: scripts load by import only");
            let text = &rest[..rest.find("</script>").unwrap()];
            let hash = app::server::csp::script_hash(text);
            assert!(
                hashes.contains(&hash),
                "{what}: an inline script the policy does not allow: {text:.80}"
            );
        }
    }
    Scored {
        what: what.to_owned(),
        status,
        score,
        bonuses: modifiers
            .iter()
            .filter(|m| m.score > 0)
            .map(|m| m.result)
            .collect(),
        scripts: body.matches("<script").count(),
    }
}

#[tokio::test]
async fn every_kind_of_response_scores_a_plus_and_scripts_run_by_hash() {
    let app = spawn_app_with(|setup| {
        setup.config.public_url = PUBLIC_URL.to_owned();
    })
    .await;
    let client = &app.client;
    let slug = app.briefing_slug().await;
    let bulletin: String = sqlx::query_scalar(
        "SELECT slug FROM bulletins WHERE first_published_at IS NOT NULL LIMIT 1",
    )
    .fetch_one(app.sql())
    .await
    .unwrap();

    // A participant, for the private page.
    let email = "observatory@example.org";
    let registered = app
        .post_form(
            &format!("/en/events/{slug}/register"),
            &[
                ("name", "Observatory Test"),
                ("organisation", "Headers"),
                ("role", "Tester"),
                ("email", email),
                ("mode", "online"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(registered.status().as_u16(), 303);
    let private = app.private_link(email).await;

    // A staff session, sent by hand: over HTTPS its cookie is `Secure`,
    // which a client keeps away from this plain-HTTP loopback.
    let (staff_email, password) = app.create_staff(Role::Admin).await;
    let login = client
        .post(app.url("/en/staff/login"))
        .form(&[
            ("email", staff_email.as_str()),
            ("password", password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status().as_u16(), 303);
    let (score, modifiers) = observatory(login.headers(), "");
    assert!(score >= 100, "sign-in response: {modifiers:#?}");
    let session = login.headers()[SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(session.starts_with("__Host-"), "{session}");

    let mut results = Vec::new();
    let get = |path: &str| client.get(app.url(path));
    let pages = [
        ("language choice", "/".to_owned()),
        ("home (en)", "/en".to_owned()),
        ("home (ar)", "/ar".to_owned()),
        ("events list", "/en/events?when=past".to_owned()),
        ("event page", format!("/en/events/{slug}")),
        ("register form (ar)", format!("/ar/events/{slug}/register")),
        ("organisation form", "/en/organisation".to_owned()),
        ("bulletin archive", "/en/bulletins".to_owned()),
        ("bulletin", format!("/ar/bulletins/{bulletin}")),
        ("subscribe", "/en/subscribe".to_owned()),
        ("private page", private.clone()),
        ("participant calendar", format!("{private}/calendar.ics")),
        ("staff sign-in", "/en/staff/login".to_owned()),
        ("not found", "/en/no-such-page".to_owned()),
        ("unknown join link", "/join/nope/1".to_owned()),
        ("atom feed", "/feeds/bulletins.atom".to_owned()),
        ("calendar", "/events.ics".to_owned()),
        ("live stream", format!("/live?event={slug}")),
        ("favicon", "/favicon.svg".to_owned()),
        ("missing asset", "/pkg/missing.js".to_owned()),
        ("missing image", "/media/0.png".to_owned()),
        ("health", "/healthz".to_owned()),
    ];
    for (what, path) in &pages {
        results.push(scan(what, get(path)).await);
    }
    for (what, path) in [
        ("staff dashboard", "/en/staff"),
        ("moderation queue (ar)", "/ar/staff/registrations"),
        ("events editor", "/en/staff/events"),
    ] {
        let request = get(path).header("cookie", &session);
        results.push(scan(what, request).await);
    }
    // Refused input: the form again, with what was typed.
    let refused = client
        .post(app.url(&format!("/en/events/{slug}/register")))
        .form(&[("name", ""), ("email", "not an email")]);
    results.push(scan("refused registration", refused).await);
    let foreign = client
        .post(app.url("/en/subscribe"))
        .header("origin", "https://elsewhere.example")
        .form(&[("email", "x@example.org")]);
    results.push(scan("cross-site post", foreign).await);

    for scored in &results {
        println!(
            "observatory: {:>3} ({}) {} [{}]",
            scored.score,
            scored.status,
            scored.what,
            scored.bonuses.join(", ")
        );
    }
    // The pages with islands load the app's script, so the hashes were checked.
    assert!(
        results
            .iter()
            .any(|s| s.what == "event page" && s.scripts > 0)
    );
    let statuses: Vec<u16> = results.iter().map(|s| s.status).collect();
    for expected in [200, 303, 403, 404, 422] {
        assert!(
            statuses.contains(&expected),
            "no {expected} in {statuses:?}"
        );
    }
}

#[tokio::test]
async fn pages_allow_only_the_build_scripts_and_http_sites_get_no_hsts() {
    let app = crate::common::spawn_app().await;
    let first = app.client.get(app.url("/en")).send().await.unwrap();
    let second = app.client.get(app.url("/ar/events")).send().await.unwrap();
    let policy = first.headers()["content-security-policy"].to_str().unwrap();
    assert_eq!(policy, second.headers()["content-security-policy"]);
    assert!(
        !policy.contains("nonce") && !policy.contains("unsafe-inline"),
        "{policy}"
    );
    // Leptos' loader and empty hydration data (two), and our navigation.
    assert_eq!(policy_hashes(first.headers()).len(), 4, "{policy}");
    assert!(!first.headers().contains_key("strict-transport-security"));
    // Without a page, no script may run at all.
    let feed = app
        .client
        .get(app.url("/feeds/bulletins.atom"))
        .send()
        .await
        .unwrap();
    let policy = feed.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'none'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    for header in [
        "x-content-type-options",
        "referrer-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
    ] {
        assert!(feed.headers().contains_key(header), "{header}");
    }
}

#[test]
fn the_scorer_marks_down_what_it_should() {
    let headers = |pairs: &[(&'static str, &'static str)]| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    };
    let (bare, _) = observatory(&headers(&[]), "");
    // CSP -25, HSTS -20, nosniff -5, framing -20.
    assert_eq!(bare, 30);
    let (inline, modifiers) = observatory(
        &headers(&[
            (
                "content-security-policy",
                "default-src 'self' 'unsafe-inline'",
            ),
            ("strict-transport-security", "max-age=63072000"),
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
        ]),
        "",
    );
    assert_eq!(inline, 80, "{modifiers:#?}");
    let (cookie, _) = observatory(
        &headers(&[
            (
                "content-security-policy",
                "default-src 'none'; frame-ancestors 'none'",
            ),
            ("strict-transport-security", "max-age=63072000"),
            ("x-content-type-options", "nosniff"),
            ("set-cookie", "my_session=1; Path=/"),
        ]),
        "",
    );
    // 100 - 10 for the session cookie without `Secure` (under HSTS) is 90,
    // just enough for the bonuses: +10 (default-src 'none'), +5 (framing).
    assert_eq!(cookie, 105);
}
