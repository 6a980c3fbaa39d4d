//! Hears the other instances' changes (PostgreSQL's `LISTEN`, on a
//! connection of its own) and brings this instance's live streams and kept
//! pages up to date, as if the change had been made here. Should the
//! connection drop, notices sent meanwhile are lost: on reconnecting,
//! everything watched is recomputed and no kept page is trusted.

use std::time::Duration;

use sqlx::postgres::PgListener;

use crate::server::AppState;
use crate::server::db::Db;
use crate::server::db::signals::{CHANNEL, Signal};

/// Starts listening, on PostgreSQL; `None` on SQLite (one instance).
pub fn spawn_listener(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let Db::Postgres(pool) = &state.db else {
        return None;
    };
    let (pool, state) = (pool.clone(), state.clone());
    Some(tokio::spawn(async move {
        loop {
            let listening = async {
                let mut listener = PgListener::connect_with(&pool).await?;
                listener.listen(CHANNEL).await?;
                Ok::<_, sqlx::Error>(listener)
            };
            match listening.await {
                Ok(mut listener) => {
                    // What happened before this connection listened was
                    // heard by no one here.
                    state.live.resync();
                    hear(&mut listener, &state).await;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for other instances' changes");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }))
}

/// Applies notices until the connection drops.
async fn hear(listener: &mut PgListener, state: &AppState) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notice)) => match Signal::decode(notice.payload()) {
                Some((from, _)) if from == state.live.instance() => {}
                Some((_, Signal::Mail)) => state.mail.wake(),
                Some((_, signal)) => {
                    state.live.signal(signal);
                    if signal == Signal::Bulletins {
                        // An issue published elsewhere is mailed from here
                        // if this instance leads.
                        state.mail.wake_mailing();
                    }
                }
                None => tracing::warn!("a notice on the instances' channel could not be read"),
            },
            // Listening again (and resyncing once it listens) is the
            // caller's: notices sent meanwhile are lost.
            Ok(None) => {
                tracing::warn!("the connection that hears other instances dropped");
                return;
            }
            Err(error) => {
                tracing::warn!(%error, "hearing other instances failed");
                return;
            }
        }
    }
}
