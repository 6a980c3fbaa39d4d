//! TEMPORARY stand-in until the outbox lands (not to be committed).
use crate::domain::Lang;
use sqlx::SqliteExecutor;
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub lang: Lang,
    pub subject: &'a str,
    pub body: &'a str,
    pub registration_id: Option<i64>,
}
pub async fn enqueue(
    _db: impl SqliteExecutor<'_>,
    _mail: &Outgoing<'_>,
    _now: jiff::Timestamp,
) -> sqlx::Result<i64> {
    Ok(0)
}
#[derive(Clone, Default)]
pub struct Mailer;
impl Mailer {
    pub fn wake(&self) {}
}
