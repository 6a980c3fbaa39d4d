//! Which instance runs the jobs that must run once however many instances
//! serve: the bulletin mailing (whose pace is a rate for the whole site),
//! the daily purge and the cleanup of expired sessions. On SQLite there is
//! one instance, always the leader. On PostgreSQL the leader is whichever
//! instance holds a session-level advisory lock on a connection of its own;
//! should that instance die or lose its connection, PostgreSQL releases the
//! lock and another instance takes over within [`RETRY`].

use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::PgConnection;
use tokio::sync::watch;

use crate::server::db::Db;

/// The advisory lock the leader holds ("LausLead").
const LEADER_LOCK: i64 = 0x4c61_7573_4c65_6164;

/// How often a follower tries to take the lead, and the leader checks that
/// its connection (and so its lock) is still there.
const RETRY: Duration = Duration::from_secs(2);

/// Whether this instance leads; cloned by every job.
#[derive(Clone, Debug)]
pub struct Leader(watch::Receiver<bool>);

impl Leader {
    /// On SQLite, the leader at once; on PostgreSQL, starts taking part in
    /// the election (a task, for as long as the process runs).
    pub fn for_db(db: &Db) -> Self {
        match db {
            Db::Sqlite(_) => Self(watch::channel(true).1),
            Db::Postgres(pool) => {
                let (lead, leading) = watch::channel(false);
                let options = (*pool.connect_options()).clone();
                tokio::spawn(elect(options, lead));
                Self(leading)
            }
        }
    }

    pub fn leads(&self) -> bool {
        *self.0.borrow()
    }

    /// Returns once this instance leads (at once if it does).
    pub async fn until_leading(&mut self) {
        // An error means the election task is gone (the runtime stopping):
        // never leading.
        if self.0.wait_for(|leads| *leads).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Takes the lead whenever it is free, and gives it up (in this process's
/// eyes) as soon as the connection that holds it fails.
async fn elect(options: sqlx::postgres::PgConnectOptions, lead: watch::Sender<bool>) {
    let options = options.application_name("lausanne-leader");
    loop {
        match PgConnection::connect_with(&options).await {
            Ok(mut connection) => {
                hold(&mut connection, &lead).await;
                let _ = connection.close().await;
            }
            Err(error) => {
                tracing::warn!(%error, "leader election: cannot connect to PostgreSQL");
            }
        }
        if lead.send_replace(false) {
            tracing::warn!("this instance no longer runs the site's jobs");
        }
        if lead.is_closed() {
            return;
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// Tries for the lock until it is taken, then checks the connection until
/// it fails; returns on the first error.
async fn hold(connection: &mut PgConnection, lead: &watch::Sender<bool>) {
    loop {
        if lead.is_closed() {
            return;
        }
        let check = if *lead.borrow() {
            connection.ping().await.map(|()| true)
        } else {
            sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
                .bind(LEADER_LOCK)
                .fetch_one(&mut *connection)
                .await
        };
        match check {
            Ok(leads) => {
                if leads && !lead.send_replace(true) {
                    tracing::info!("this instance runs the site's jobs (mailing, purge, cleanup)");
                }
            }
            Err(error) => {
                tracing::warn!(%error, "leader election: the connection failed");
                return;
            }
        }
        tokio::time::sleep(RETRY).await;
    }
}
