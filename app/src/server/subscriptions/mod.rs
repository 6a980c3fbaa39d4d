//! The mailing list: subscribe (double opt-in), confirm, unsubscribe (a
//! button, or one click from the mail client per RFC 8058), and the emails.
//! Whatever the address's state, the answer to "subscribe" is the same
//! "check your email", so the page never tells whether an address is on the
//! list. Tokens are 128 random bits; only their SHA-256 is stored.

pub mod http;
pub mod pages;

use jiff::Timestamp;

use crate::domain::{Email, Lang, SubscriberSource};
use crate::error::AppError;
use crate::server::crypto::DataKey;
use crate::server::db::Tx;
use crate::server::db::audit::{self, Actor, AuditAction};
use crate::server::db::bulletins::BulletinRow;
use crate::server::db::subscribers::{self as rows, NewSubscriber};
use crate::server::mail::{self, Outgoing};
use crate::server::token::Token;

/// A pending address is sent another confirmation only after this long, so
/// that asking twice does not fill anyone's inbox.
pub const RESEND_AFTER_SECONDS: i64 = 15 * 60;

/// Asks `email` to confirm its subscription, in `tx`: a new address is added
/// as pending and sent a confirmation; a pending one is sent a fresh link
/// (the old ones stop working) unless one went out in the last
/// [`RESEND_AFTER_SECONDS`]; a confirmed one is left alone. `true` when an
/// email was queued (wake the mailer after the commit).
pub async fn request(
    tx: &mut Tx,
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
                lang,
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
                    lang,
                    confirm_hash: &confirm.hash(),
                    unsubscribe_hash: &unsubscribe.hash(),
                    source,
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
        Actor::Participant,
        AuditAction::SubscriptionRequested {
            subscriber: id,
            source,
        },
        seconds,
    )
    .await?;
    Ok(true)
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
    let web = format!("{public_url}{}", crate::paths::bulletin(shown, &issue.slug));
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
