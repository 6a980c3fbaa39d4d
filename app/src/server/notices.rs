//! The emails a participant receives, in their language. Each is queued in
//! the outbox inside the transaction that caused it (see `server::mail`).

use crate::domain::{Lang, RegistrationState};
use crate::server::crypto::DataKey;
use crate::server::db::Tx;
use crate::server::mail::{self, Outgoing};

/// Why we write.
pub enum Notice<'a> {
    /// Right after registering: the private link, whose first use confirms
    /// the address (and, at a `first_come` event, takes a place if one is
    /// free; otherwise the organisers review the registration).
    Received { first_come: bool, link: &'a str },
    /// Someone registered again with the same address: a fresh link (the
    /// old one keeps working until this one is used).
    LinkAgain { link: &'a str },
    /// Someone registered with this address while the event was full and
    /// has no waitlist: nothing was stored.
    Full,
    /// A moderator decided.
    Decided {
        state: RegistrationState,
        reason: Option<&'a str>,
    },
    /// A seat freed up and the waitlisted registration got it.
    Promoted,
    /// Before the event (its reminder times): when, the agenda, the private
    /// page and calendar file, and personal join links for online
    /// participants (empty `joins` for others).
    Reminder {
        when: &'a str,
        agenda: &'a str,
        joins: &'a str,
        link: &'a str,
        calendar: &'a str,
    },
    /// After the event: a short form about how it went, on the private
    /// page (through a new link: the first is not kept).
    Feedback { link: &'a str },
}

/// Who gets it, and what it is about.
pub struct Recipient<'a> {
    /// `None` when there is no registration (an event full without waitlist).
    pub registration_id: Option<i64>,
    pub email: &'a str,
    /// Only once the address is confirmed: until then a name is whatever a
    /// stranger typed, and our emails carry nobody's words to anyone.
    pub name: Option<&'a str>,
    pub lang: Lang,
    pub event_title: &'a str,
}

pub async fn queue(
    db: &mut Tx,
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
            registration_id: to.registration_id,
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
    let greeting = to
        .name
        .map_or_else(|| "Hello,".to_owned(), |name| format!("Dear {name},"));
    let keep_link = "Your private link is in the email we sent when you registered. If you have lost it, fill in the registration form again with the same email address and we will send you a new one.";
    let footer = "Lausanne Platform\nThis message was sent because this address was used to register. Only you have the private link: please do not forward this email.";
    let (subject, middle) = match notice {
        Notice::Received { first_come, link } => {
            let next = if *first_come {
                "Please open your private link to confirm your email address. Places go in the order addresses are confirmed: the page tells you at once whether you have a place or are on the waitlist."
            } else {
                "Please open your private link to confirm your email address. The organisers then review your registration and write to you when it has been decided."
            };
            (
                format!("Your registration: {event}"),
                format!(
                    "We received a registration for {event} with this email address.\n\n{next}\n\n{link}\n\nWith the same link you can follow your registration, change your details, withdraw, or delete your data.\n\nIf this was not you, ignore this message: without the link, nothing happens."
                ),
            )
        }
        Notice::LinkAgain { link } => (
            format!("Your private link: {event}"),
            format!(
                "Someone (hopefully you) asked to register again for {event} with this address. You are already registered, so nothing changed.\n\nHere is a new private link. Your earlier link keeps working until you use this one:\n{link}\n\nIf this was not you, you can ignore this message."
            ),
        ),
        Notice::Full => (
            format!("Registration: {event}"),
            format!(
                "We received a registration for {event} with this email address, but all places are taken and the event has no waitlist, so we could not register you. Nothing about you was kept.\n\nIf this was not you, you can ignore this message."
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
        Notice::Reminder {
            when,
            agenda,
            joins,
            link,
            calendar,
        } => {
            let joins = if joins.is_empty() {
                String::new()
            } else {
                format!(
                    "Join online with your personal links (each works from shortly before its session until it ends; please do not share them):\n{joins}\n\n"
                )
            };
            (
                format!("Reminder: {event}"),
                format!(
                    "A reminder that {event} starts on {when}.\n\nAgenda (in the event's time zone):\n{agenda}\n\n{joins}Your private page (your status, the venue if you attend in person):\n{link}\n\nThe event in your calendar:\n{calendar}\n\nYou can turn these reminders off on your private page."
                ),
            )
        }
        Notice::Feedback { link } => (
            format!("How was it? {event}"),
            format!(
                "Thank you for taking part in {event}.\n\nThree short questions on your private page tell us how useful it was, whether you felt safe to speak, and what we should change. Your answer is stored without your name or registration, and nobody sees who said what:\n{link}\n\nAnswering is optional."
            ),
        ),
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
    let greeting = to.name.map_or_else(
        || "تحية طيبة،".to_owned(),
        |name| format!("{name}، تحية طيبة،"),
    );
    let keep_link = "رابطك الخاص موجود في الرسالة التي أرسلناها عند تسجيلك. إن فقدته، املأ استمارة التسجيل مجددًا بعنوان البريد الإلكتروني نفسه وسنرسل إليك رابطًا جديدًا.";
    let footer = "منصة لوزان\nأُرسلت هذه الرسالة لأن هذا العنوان استُخدم في التسجيل. الرابط الخاص لك وحدك: يُرجى عدم إعادة توجيه هذه الرسالة.";
    let (subject, middle) = match notice {
        Notice::Received { first_come, link } => {
            let next = if *first_come {
                "يُرجى فتح رابطك الخاص لتأكيد عنوان بريدك الإلكتروني. تُمنح المقاعد بترتيب تأكيد العناوين: تخبرك الصفحة فورًا إن كان لك مقعد أو كنت على قائمة الانتظار."
            } else {
                "يُرجى فتح رابطك الخاص لتأكيد عنوان بريدك الإلكتروني. بعدها يراجع المنظمون تسجيلك ويكتبون إليك عند اتخاذ القرار."
            };
            (
                format!("تسجيلك: {event}"),
                format!(
                    "تلقّينا تسجيلًا في {event} بعنوان البريد الإلكتروني هذا.\n\n{next}\n\n{link}\n\nبالرابط نفسه يمكنك متابعة تسجيلك، أو تعديل بياناتك، أو الانسحاب، أو حذف بياناتك.\n\nإن لم تكن أنت، تجاهل هذه الرسالة: من دون الرابط لا يحدث شيء."
                ),
            )
        }
        Notice::LinkAgain { link } => (
            format!("رابطك الخاص: {event}"),
            format!(
                "طلب أحدهم (نأمل أن تكون أنت) التسجيل مجددًا في {event} بهذا العنوان. أنت مسجّل مسبقًا، فلم يتغير شيء.\n\nهذا رابط خاص جديد. يبقى رابطك السابق صالحًا إلى أن تستخدم هذا الرابط:\n{link}\n\nإن لم تكن أنت، يمكنك تجاهل هذه الرسالة."
            ),
        ),
        Notice::Full => (
            format!("التسجيل: {event}"),
            format!(
                "تلقّينا تسجيلًا في {event} بعنوان البريد الإلكتروني هذا، لكن جميع المقاعد مشغولة وليس للفعالية قائمة انتظار، فلم نتمكن من تسجيلك. لم نحتفظ بأي معلومات عنك.\n\nإن لم تكن أنت، يمكنك تجاهل هذه الرسالة."
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
        Notice::Reminder {
            when,
            agenda,
            joins,
            link,
            calendar,
        } => {
            let joins = if joins.is_empty() {
                String::new()
            } else {
                format!(
                    "انضم عبر الإنترنت بروابطك الشخصية (يعمل كل رابط من قبيل بدء جلسته بقليل حتى نهايتها؛ يُرجى عدم مشاركتها):\n{joins}\n\n"
                )
            };
            (
                format!("تذكير: {event}"),
                format!(
                    "نذكّرك بأن {event} تبدأ في {when}.\n\nجدول الأعمال (بتوقيت مكان الفعالية):\n{agenda}\n\n{joins}صفحتك الخاصة (حالة تسجيلك، والمكان إن كنت تحضر شخصياً):\n{link}\n\nالفعالية في تقويمك:\n{calendar}\n\nيمكنك إيقاف هذه التذكيرات من صفحتك الخاصة."
                ),
            )
        }
        Notice::Feedback { link } => (
            format!("كيف كانت؟ {event}"),
            format!(
                "شكرًا لمشاركتك في {event}.\n\nثلاثة أسئلة قصيرة في صفحتك الخاصة تخبرنا بمدى فائدتها، وهل شعرت بالأمان لتتحدث، وما الذي ينبغي أن نغيّره. تُحفظ إجابتك دون اسمك أو تسجيلك، ولا يرى أحد من قال ماذا:\n{link}\n\nالإجابة اختيارية."
            ),
        ),
        Notice::Promoted => (
            format!("لك مقعد: {event}"),
            format!(
                "شغر مقعد في {event} وأصبح لك: تمت الموافقة على تسجيلك. تعرض صفحتك الخاصة التفاصيل التي تحتاجها للحضور.\n\nإن لم يعد بإمكانك الحضور، يُرجى الانسحاب من صفحتك الخاصة ليأخذ غيرك المقعد.\n\n{keep_link}"
            ),
        ),
    };
    (subject, format!("{greeting}\n\n{middle}\n\n--\n{footer}\n"))
}
