//! What one instance tells the others when it changes something their open
//! pages or kept pages show (PostgreSQL's `NOTIFY`, heard by
//! `server::signals`). Sent inside the transaction that makes the change,
//! so it is delivered when, and only if, that commits. A notice carries ids,
//! never content: each instance reads what changed from the database.

// Built to prepare SQLite's queries, the PostgreSQL half is left out.
#![cfg_attr(feature = "prepare-sqlite", allow(unused_variables, dead_code))]

use super::backend::{Tx, postgres};

/// The channel every instance listens on.
pub const CHANNEL: &str = "lausanne";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// An event's seats or registrations changed.
    Touched(i64),
    /// An event itself was edited.
    Edited(i64),
    /// An event was published.
    Published(i64),
    /// An event's questions changed (asked, moderated, voted on, withdrawn).
    Questions(i64),
    /// Someone was checked in at an event's door (or that was undone).
    Checkins(i64),
    /// The published bulletins changed.
    Bulletins,
    /// Many messages were queued at once (a step of the bulletin
    /// mailing): every instance's outbox worker takes a share.
    Mail,
}

impl Signal {
    /// `<sending instance> <what> [<event id>]`.
    fn encode(self, instance: u32) -> String {
        match self {
            Self::Touched(id) => format!("{instance:08x} touched {id}"),
            Self::Edited(id) => format!("{instance:08x} edited {id}"),
            Self::Published(id) => format!("{instance:08x} published {id}"),
            Self::Questions(id) => format!("{instance:08x} questions {id}"),
            Self::Checkins(id) => format!("{instance:08x} checkins {id}"),
            Self::Bulletins => format!("{instance:08x} bulletins"),
            Self::Mail => format!("{instance:08x} mail"),
        }
    }

    /// The sending instance and the signal, from a notice's payload.
    pub fn decode(payload: &str) -> Option<(u32, Self)> {
        let mut words = payload.split(' ');
        let instance = u32::from_str_radix(words.next()?, 16).ok()?;
        let what = words.next()?;
        let id = words.next().map(str::parse::<i64>);
        let signal = match (what, id) {
            ("touched", Some(Ok(id))) => Self::Touched(id),
            ("edited", Some(Ok(id))) => Self::Edited(id),
            ("published", Some(Ok(id))) => Self::Published(id),
            ("questions", Some(Ok(id))) => Self::Questions(id),
            ("checkins", Some(Ok(id))) => Self::Checkins(id),
            ("bulletins", None) => Self::Bulletins,
            ("mail", None) => Self::Mail,
            _ => return None,
        };
        words.next().is_none().then_some((instance, signal))
    }
}

/// Sends `signal` from `instance` when `tx` commits (nothing on SQLite,
/// where one instance serves).
pub async fn notify(tx: &mut Tx, instance: u32, signal: Signal) -> sqlx::Result<()> {
    match tx {
        Tx::Sqlite(_) => Ok(()),
        Tx::Postgres(tx) => postgres!(tx, {
            // `::text`: the function returns `void`, which sqlx cannot
            // describe.
            sqlx::query!(
                "SELECT pg_notify($1, $2)::text AS sent",
                CHANNEL,
                signal.encode(instance)
            )
            .fetch_one(&mut **tx)
            .await?;
            Ok(())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_back_and_nothing_else_does() {
        for signal in [
            Signal::Touched(7),
            Signal::Edited(8),
            Signal::Published(9),
            Signal::Questions(10),
            Signal::Checkins(11),
            Signal::Bulletins,
            Signal::Mail,
        ] {
            assert_eq!(
                Signal::decode(&signal.encode(0xdead_beef)),
                Some((0xdead_beef, signal))
            );
        }
        for bad in [
            "",
            "zz touched 1",
            "0000000a touched",
            "0000000a bulletins 1",
            "0000000a touched 1 2",
            "0000000a moved 1",
        ] {
            assert_eq!(Signal::decode(bad), None, "{bad:?}");
        }
    }
}
