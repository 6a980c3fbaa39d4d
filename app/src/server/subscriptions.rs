//! The mailing list: subscribe (double opt-in), confirm, unsubscribe (a
//! button, or one click from the mail client per RFC 8058), and the emails.
//! Whatever the address's state, the answer to "subscribe" is the same
//! "check your email", so the page never tells whether an address is on the
//! list. Tokens are 128 random bits; only their SHA-256 is stored.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sqlx::SqliteConnection;

use super::crypto::DataKey;
use super::db::audit::{self, Actor, Entry};
use super::db::bulletins::BulletinRow;
use super::db::subscribers::{self as rows, NewSubscriber};
use super::forms::{PostedForm, admit_public, render_again, render_page, see_other};
use super::limits::PublicForm;
use super::mail::{self, Outgoing};
use super::token::Token;
use super::{AppState, db};
use crate::api::bulletins::LinkKind;
use crate::domain::{Email, Lang, SubscribeForm, SubscriberSource};
use crate::error::AppError;

/// A pending address is sent another confirmation only after this long, so
/// that asking twice does not fill anyone's inbox.
pub const RESEND_AFTER_SECONDS: i64 = 15 * 60;

/// Asks `email` to confirm its subscription, in `tx`: a new address is added
/// as pending and sent a confirmation; a pending one is sent a fresh link
/// (the old ones stop working) unless one went out in the last
/// [`RESEND_AFTER_SECONDS`]; a confirmed one is left alone. `true` when an
/// email was queued (wake the mailer after the commit).
pub async fn request(
    tx: &mut SqliteConnection,
    key: &DataKey,
    public_url: &str,
    email: &Email,
    lang: Lang,
    source: SubscriberSource,
    now: Timestamp,
) -> Result<bool, AppError> {
    let seconds = now.as_second();
    let confirm = Token::generate()?;
    let unsubscribe = Token::generate()?;
    let id = match rows::by_email(&mut *tx, key, email.as_str()).await? {
        Some(existing) if existing.confirmed_at.is_some() => return Ok(false),
        Some(existing) if seconds - existing.confirm_sent_at < RESEND_AFTER_SECONDS => {
            return Ok(false);
        }
        Some(existing) => {
            rows::renew(
                &mut *tx,
                existing.id,
                lang.code(),
                &confirm.hash(),
                &unsubscribe.hash(),
                seconds,
            )
            .await?;
            existing.id
        }
        None => {
            rows::insert(
                &mut *tx,
                key,
                &NewSubscriber {
                    email: email.as_str(),
                    lang: lang.code(),
                    confirm_hash: &confirm.hash(),
                    unsubscribe_hash: &unsubscribe.hash(),
                    source: source.code(),
                    now: seconds,
                },
            )
            .await?
        }
    };
    let confirm_url = format!(
        "{public_url}/{}/subscribe/confirm/{}",
        lang.code(),
        confirm.as_str()
    );
    let unsubscribe_url = format!(
        "{public_url}/{}/unsubscribe/{}",
        lang.code(),
        unsubscribe.as_str()
    );
    let (subject, body) = confirmation_email(lang, &confirm_url, &unsubscribe_url);
    mail::enqueue_list(
        &mut *tx,
        key,
        &Outgoing {
            to: email.as_str(),
            lang,
            subject: &subject,
            body: &body,
            registration_id: None,
        },
        id,
        &unsubscribe_url,
        now,
    )
    .await?;
    audit::record(
        &mut *tx,
        key,
        &Entry {
            actor: Actor::Participant,
            action: "subscription_requested",
            subject_type: "subscriber",
            subject_id: id,
            reason: Some(source.code()),
        },
        seconds,
    )
    .await?;
    Ok(true)
}

/// `POST /{lang}/subscribe`.
pub async fn subscribe(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let accepted = format!("/{}/subscribe/sent", lang.code());
    if let Err(response) = admit_public(&state, &form, PublicForm::Subscription).await {
        return response;
    }
    let parsed = match SubscribeForm::parse(&form.fields) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let shown = form.state().with_fields(errors);
            return render_again(&state, &form, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let result = async {
        let mut tx = db::begin_write(&state.pool).await?;
        let queued = request(
            &mut tx,
            &state.key,
            &state.config.public_url,
            &parsed.email,
            parsed.lang,
            SubscriberSource::Form,
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(queued)
    }
    .await;
    match result {
        Ok(queued) => {
            if queued {
                state.mail.wake();
            }
            see_other(&accepted)
        }
        Err(error) => {
            tracing::error!(%error, "cannot record a subscription");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A link that is not (or no longer) good: the page says so, with 404.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidLink;

async fn invalid(state: &AppState, parts: &axum::http::request::Parts) -> Response {
    let mut response = render_page(state, parts, InvalidLink, StatusCode::NOT_FOUND).await;
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

/// `POST /{lang}/subscribe/confirm/{token}`: confirms (again is fine).
pub async fn confirm(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    form: PostedForm,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(token) = Token::parse(&token) else {
        return invalid(&state, &form.parts).await;
    };
    let now = state.clock.now().as_second();
    let result = async {
        let mut tx = db::begin_write(&state.pool).await?;
        let Some(row) = rows::by_confirm_hash(&state.pool, &token.hash()).await? else {
            return Ok::<_, AppError>(false);
        };
        if rows::confirm(&mut *tx, &token.hash(), now).await? {
            audit::record(
                &mut *tx,
                &state.key,
                &Entry {
                    actor: Actor::Participant,
                    action: "subscription_confirmed",
                    subject_type: "subscriber",
                    subject_id: row.id,
                    reason: None,
                },
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) => see_other(&format!("/{}/subscribe/confirmed", lang.code())),
        Ok(false) => invalid(&state, &form.parts).await,
        Err(error) => {
            tracing::error!(%error, "cannot confirm a subscription");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `POST /{lang}/unsubscribe/{token}`: from the page's button, or from a
/// mail client (RFC 8058: body `List-Unsubscribe=One-Click`, no cookies, no
/// `Origin`; the cross-site check lets exactly this address through). Erases
/// the address and its mail.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path((lang, token)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let Some(lang) = Lang::parse(&lang) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (parts, body) = request.into_parts();
    // RFC 8058 allows the body as a URL-encoded form or as multipart
    // (`name="List-Unsubscribe"` … `One-Click`); either way it says One-Click.
    let one_click = axum::body::to_bytes(body, 8192)
        .await
        .unwrap_or_else(|_| Bytes::new())
        .windows(b"One-Click".len())
        .any(|w| w == b"One-Click");
    let Some(token) = Token::parse(&token) else {
        return invalid(&state, &parts).await;
    };
    let now = state.clock.now().as_second();
    let result = async {
        let mut tx = db::begin_write(&state.pool).await?;
        let Some(id) = rows::by_unsubscribe_hash(&mut *tx, &token.hash()).await? else {
            return Ok::<_, AppError>(false);
        };
        rows::delete(&mut *tx, id).await?;
        audit::record(
            &mut *tx,
            &state.key,
            &Entry {
                actor: Actor::Participant,
                action: "unsubscribed",
                subject_type: "subscriber",
                subject_id: id,
                reason: one_click.then_some("one_click"),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
    .await;
    match result {
        Ok(true) if one_click => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "unsubscribed\n",
        )
            .into_response(),
        Ok(true) => see_other(&format!("/{}/unsubscribed", lang.code())),
        Ok(false) if one_click => StatusCode::NOT_FOUND.into_response(),
        Ok(false) => invalid(&state, &parts).await,
        Err(error) => {
            tracing::error!(%error, "cannot unsubscribe");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Whether the link's token is known (the GET pages show their button only
/// then).
pub async fn link_is_valid(kind: LinkKind, token: &str) -> Result<bool, AppError> {
    let state = AppState::current()?;
    if use_invalid_context() {
        return Ok(false);
    }
    let Some(token) = Token::parse(token) else {
        return Ok(false);
    };
    Ok(match kind {
        LinkKind::Confirm => rows::by_confirm_hash(&state.pool, &token.hash())
            .await?
            .is_some(),
        LinkKind::Unsubscribe => rows::by_unsubscribe_hash(&state.pool, &token.hash())
            .await?
            .is_some(),
    })
}

fn use_invalid_context() -> bool {
    leptos::prelude::use_context::<InvalidLink>().is_some()
}

fn confirmation_email(lang: Lang, confirm: &str, unsubscribe: &str) -> (String, String) {
    match lang {
        Lang::En => (
            "Please confirm: the Lausanne Platform bulletin".to_owned(),
            format!(
                "Hello,\n\nSomeone (hopefully you) asked to receive the Lausanne Platform bulletin at this address. \
                 To confirm, open this link and press the button:\n{confirm}\n\n\
                 If it was not you, ignore this message: without confirmation we will not write again.\n\n\
                 --\nLausanne Platform\nTo be forgotten now: {unsubscribe}\n"
            ),
        ),
        Lang::Ar => (
            "يُرجى التأكيد: نشرة منصة لوزان".to_owned(),
            format!(
                "مرحبًا،\n\nطلب أحدهم (نأمل أن تكون أنت) تلقي نشرة منصة لوزان على هذا العنوان. \
                 للتأكيد، افتح هذا الرابط واضغط الزر:\n{confirm}\n\n\
                 إن لم تكن أنت، تجاهل هذه الرسالة: لن نكتب إليك مجددًا دون تأكيد.\n\n\
                 --\nمنصة لوزان\nلحذف عنوانك الآن: {unsubscribe}\n"
            ),
        ),
    }
}

/// One issue as an email: its summary, its text (the Markdown reads well as
/// plain text), the web address, and the unsubscribe link.
pub fn bulletin_email(
    public_url: &str,
    lang: Lang,
    issue: &BulletinRow,
    unsubscribe: &str,
) -> (String, String) {
    // An issue missing in the subscriber's language goes in the other one.
    let shown = if (match lang {
        Lang::En => &issue.title_en,
        Lang::Ar => &issue.title_ar,
    })
    .is_empty()
    {
        lang.other()
    } else {
        lang
    };
    let (title, summary, body) = match shown {
        Lang::En => (&issue.title_en, &issue.summary_en, &issue.body_en),
        Lang::Ar => (&issue.title_ar, &issue.summary_ar, &issue.body_ar),
    };
    let web = format!("{public_url}/{}/bulletins/{}", shown.code(), issue.slug);
    let number = issue.number;
    match lang {
        Lang::En => (
            format!("Bulletin {number}: {title}"),
            format!(
                "{title}\n\n{summary}\n\nRead it on the web: {web}\n\n{body}\n\n--\n\
                 Lausanne Platform bulletin. You receive it because you subscribed and confirmed.\n\
                 Unsubscribe (one click): {unsubscribe}\n"
            ),
        ),
        Lang::Ar => (
            format!("النشرة {number}: {title}"),
            format!(
                "{title}\n\n{summary}\n\nاقرأها على الموقع: {web}\n\n{body}\n\n--\n\
                 نشرة منصة لوزان. تصلك لأنك اشتركت وأكدت اشتراكك.\n\
                 إلغاء الاشتراك (بنقرة واحدة): {unsubscribe}\n"
            ),
        ),
    }
}
