//! The event report: every count under 5 reads "fewer than 5" (page and
//! CSV), accessibility needs are counted by kind and never listed, the
//! organisations are said the programme's way, and it is for staff only.

use app::domain::Role;

use crate::common::{TestApp, spawn_app};
use crate::events_editor::{event_fields, post, with};
use crate::live::registration_id;

async fn sign_up(
    app: &TestApp,
    slug: &str,
    i: usize,
    organisation: &str,
    accessibility: &str,
) -> i64 {
    let email = format!("report{i}@example.org");
    let fields = [
        ("name", format!("Report Person {i}")),
        ("organisation", organisation.to_owned()),
        ("role", "Member".to_owned()),
        ("email", email.clone()),
        ("mode", "in_person".to_owned()),
        ("interpretation", "ar".to_owned()),
        ("accessibility", accessibility.to_owned()),
        ("consent", "yes".to_owned()),
    ];
    let response = app
        .post_form(&format!("/en/events/{slug}/register"), &fields)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let link = app.private_link(&email).await;
    assert_eq!(app.get(&link).await.0, 200);
    registration_id(app, &email).await
}

#[tokio::test]
async fn the_report_counts_without_singling_anyone_out() {
    let app = spawn_app().await;
    let admin = app.staff_client(Role::Admin).await;
    let slug = "report-event";
    let fields = with(event_fields(slug), &[("action", "publish")]);
    assert_eq!(
        post(&app, &admin, "/en/staff/events/new", &fields).await.0,
        303
    );
    // Six approved from six organisations; two need step-free access, one
    // writes something personal that must never be listed.
    for i in 0..6 {
        let needs = match i {
            0 | 1 => "Step-free access, I use a wheelchair",
            2 => "Private detail report-secret-need",
            _ => "",
        };
        let id = sign_up(&app, slug, i, &format!("Organisation number {i}"), needs).await;
        let response = admin
            .post(app.url("/en/staff/registrations"))
            .form(&[("decision", "approve"), ("ids", &id.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 303);
    }
    let moderator = app.staff_client(Role::Moderator).await;
    let page = app
        .page_as(&moderator, &format!("/en/staff/events/{slug}/report"))
        .await;
    assert!(
        page.contains("Representatives of 6 organisations attending."),
        "{page}"
    );
    assert!(
        page.contains("<td>6</td>"),
        "six approved in person, six asked for Arabic"
    );
    assert!(page.contains("fewer than 5"));
    for small in ["<td>1</td>", "<td>2</td>", "<td>3</td>", "<td>4</td>"] {
        assert!(!page.contains(small), "an exact small count {small}");
    }
    assert!(!page.contains("report-secret-need") && !page.contains("Report Person"));
    assert!(page.contains("<svg"), "the sign-ups chart");
    // In Arabic, right to left.
    let arabic = app
        .page_as(&moderator, &format!("/ar/staff/events/{slug}/report"))
        .await;
    assert!(
        arabic.contains(r#"dir="rtl""#) && arabic.contains("حضر ممثلون عن ٦ منظمة"),
        "{arabic}"
    );

    // The CSV: the same numbers, the same rule.
    let response = moderator
        .get(app.url(&format!("/en/staff/events/{slug}/report.csv")))
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    assert!(csv.contains("\"Approved · In person\",\"6\""), "{csv}");
    assert!(
        csv.contains("\"Mobility (step-free access, wheelchair)\",\"fewer than 5\""),
        "{csv}"
    );
    assert!(!csv.contains("report-secret-need") && !csv.contains("Report Person"));

    // Staff only.
    for path in [
        format!("/en/staff/events/{slug}/report"),
        format!("/en/staff/events/{slug}/report.csv"),
    ] {
        let (status, body) = app.get(&path).await;
        assert!(matches!(status, 303 | 401), "{path}: {status}");
        assert!(!body.contains("organisations"));
    }
}
