//! The emails a participant receives, in their language. Each is queued in
//! the outbox inside the transaction that caused it (see `server::mail`).

use sqlx::SqliteConnection;

use crate::domain::{Lang, RegistrationState};
use crate::server::crypto::DataKey;
use crate::server::mail::{self, Outgoing};

/// Why we write.
pub enum Notice<'a> {
    /// Right after registering: where it stands, and the private link.
    Received {
        state: RegistrationState,
        link: &'a str,
    },
    /// Someone registered again with the same address: a fresh link.
    LinkAgain { link: &'a str },
    /// A moderator decided.
    Decided {
        state: RegistrationState,
        reason: Option<&'a str>,
    },
    /// A seat freed up and the waitlisted registration got it.
    Promoted,
}

/// Who gets it, and what it is about.
pub struct Recipient<'a> {
    pub registration_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub lang: Lang,
    pub event_title: &'a str,
}

pub async fn queue(
    db: &mut SqliteConnection,
    key: &DataKey,
    to: &Recipient<'_>,
    notice: &Notice<'_>,
    now: jiff::Timestamp,
) -> sqlx::Result<i64> {
    let (subject, body) = compose(to, notice);
    mail::enqueue(
        db,
        key,
        &Outgoing {
            to: to.email,
            lang: to.lang,
            subject: &subject,
            body: &body,
            registration_id: Some(to.registration_id),
        },
        now,
    )
    .await
}

pub fn compose(to: &Recipient<'_>, notice: &Notice<'_>) -> (String, String) {
    match to.lang {
        Lang::En => english(to, notice),
        Lang::Ar => arabic(to, notice),
    }
}

fn english(to: &Recipient<'_>, notice: &Notice<'_>) -> (String, String) {
    let event = to.event_title;
    let greeting = format!("Dear {},", to.name);
    let keep_link = "Your private link is in the email we sent when you registered. If you have lost it, fill in the registration form again with the same email address and we will send you a new one.";
    let footer = "Lausanne Platform\nThis message was sent because this address was used to register. Only you have the private link: please do not forward this email.";
    let (subject, middle) = match notice {
        Notice::Received { state, link } => {
            let where_it_stands = match state {
                RegistrationState::Approved => "Your place is confirmed.",
                RegistrationState::Waitlisted => {
                    "The event is full for the way you chose to attend, so you are on the waitlist. If a place frees up, it is yours and we will tell you."
                }
                _ => {
                    "Your registration is waiting for review. We will write to you when it has been decided."
                }
            };
            (
                format!("Your registration: {event}"),
                format!(
                    "Thank you for registering for {event}.\n\n{where_it_stands}\n\nFollow your registration, change your details, withdraw, or delete your data with your private link:\n{link}\n\nOpening the link also confirms your email address."
                ),
            )
        }
        Notice::LinkAgain { link } => (
            format!("Your private link: {event}"),
            format!(
                "Someone (hopefully you) asked to register again for {event} with this address. You are already registered, so nothing changed.\n\nHere is a new private link (the old one no longer works):\n{link}\n\nIf this was not you, you can ignore this message."
            ),
        ),
        Notice::Decided { state, reason } => {
            let decision = match state {
                RegistrationState::Approved => {
                    "Your registration has been approved. Your private page shows the details you need to attend.".to_owned()
                }
                RegistrationState::Waitlisted => "You are on the waitlist. If a place frees up, it is yours and we will tell you.".to_owned(),
                _ => format!(
                    "We are sorry: we cannot offer you a place.\n\nReason: {}",
                    reason.unwrap_or("-")
                ),
            };
            (
                format!("Your registration: {event}"),
                format!(
                    "Your registration for {event} has been reviewed.\n\n{decision}\n\n{keep_link}"
                ),
            )
        }
        Notice::Promoted => (
            format!("A place is yours: {event}"),
            format!(
                "A place has freed up for {event} and it is now yours: your registration is approved. Your private page shows the details you need to attend.\n\nIf you can no longer come, please withdraw on your private page so that someone else can take the place.\n\n{keep_link}"
            ),
        ),
    };
    (subject, format!("{greeting}\n\n{middle}\n\n--\n{footer}\n"))
}

fn arabic(to: &Recipient<'_>, notice: &Notice<'_>) -> (String, String) {
    let event = to.event_title;
    let greeting = format!("{}، تحية طيبة،", to.name);
    let keep_link = "رابطك الخاص موجود في الرسالة التي أرسلناها عند تسجيلك. إن فقدته، املأ استمارة التسجيل مجددًا بعنوان البريد الإلكتروني نفسه وسنرسل إليك رابطًا جديدًا.";
    let footer = "منصة لوزان\nأُرسلت هذه الرسالة لأن هذا العنوان استُخدم في التسجيل. الرابط الخاص لك وحدك: يُرجى عدم إعادة توجيه هذه الرسالة.";
    let (subject, middle) = match notice {
        Notice::Received { state, link } => {
            let where_it_stands = match state {
                RegistrationState::Approved => "تم تأكيد مكانك.",
                RegistrationState::Waitlisted => {
                    "اكتملت المقاعد بطريقة الحضور التي اخترتها، لذا أنت على قائمة الانتظار. إذا شغر مقعد فهو لك وسنخبرك بذلك."
                }
                _ => "تسجيلك بانتظار المراجعة. سنكتب إليك عند اتخاذ القرار.",
            };
            (
                format!("تسجيلك: {event}"),
                format!(
                    "شكرًا لتسجيلك في {event}.\n\n{where_it_stands}\n\nتابع تسجيلك، أو عدّل بياناتك، أو انسحب، أو احذف بياناتك عبر رابطك الخاص:\n{link}\n\nفتح الرابط يؤكد أيضًا عنوان بريدك الإلكتروني."
                ),
            )
        }
        Notice::LinkAgain { link } => (
            format!("رابطك الخاص: {event}"),
            format!(
                "طلب أحدهم (نأمل أن تكون أنت) التسجيل مجددًا في {event} بهذا العنوان. أنت مسجّل مسبقًا، فلم يتغير شيء.\n\nهذا رابط خاص جديد (الرابط القديم لم يعد يعمل):\n{link}\n\nإن لم تكن أنت، يمكنك تجاهل هذه الرسالة."
            ),
        ),
        Notice::Decided { state, reason } => {
            let decision = match state {
                RegistrationState::Approved => {
                    "تمت الموافقة على تسجيلك. تعرض صفحتك الخاصة التفاصيل التي تحتاجها للحضور."
                        .to_owned()
                }
                RegistrationState::Waitlisted => {
                    "أنت على قائمة الانتظار. إذا شغر مقعد فهو لك وسنخبرك بذلك.".to_owned()
                }
                _ => format!(
                    "نأسف: لا يمكننا أن نقدّم لك مقعدًا.\n\nالسبب: {}",
                    reason.unwrap_or("-")
                ),
            };
            (
                format!("تسجيلك: {event}"),
                format!("تمت مراجعة تسجيلك في {event}.\n\n{decision}\n\n{keep_link}"),
            )
        }
        Notice::Promoted => (
            format!("لك مقعد: {event}"),
            format!(
                "شغر مقعد في {event} وأصبح لك: تمت الموافقة على تسجيلك. تعرض صفحتك الخاصة التفاصيل التي تحتاجها للحضور.\n\nإن لم يعد بإمكانك الحضور، يُرجى الانسحاب من صفحتك الخاصة ليأخذ غيرك المقعد.\n\n{keep_link}"
            ),
        ),
    };
    (subject, format!("{greeting}\n\n{middle}\n\n--\n{footer}\n"))
}
