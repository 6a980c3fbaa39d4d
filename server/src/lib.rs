//! The `lausanne` server: bind, serve, shut down gracefully. The CLI lives in
//! `main.rs`; integration tests and benchmarks use [`spawn`].

use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use app::server::auth::spawn_session_cleanup;
use app::server::updates::fanout::Fanout;
use app::server::{AppState, router};
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

mod streams;

/// The most a request's line and headers may take: cookies, a long
/// `Accept-Language` and a private link fit many times over. Larger gets 431.
/// (hyper's minimum is 8 KiB.)
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// At most this many header fields per request (431 beyond).
const MAX_HEADERS: usize = 64;
/// How long requests in flight (live streams excepted) may take to finish
/// once shutting down has begun.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How many read timeouts any request may take from its head to its
/// response, 60 s by default (a form's body has its own, shorter deadline,
/// answered in the reader's language); live streams are responses, and run
/// on.
const REQUEST_DEADLINE_READS: u32 = 4;
/// Open files kept for the database, the outbox and static files, beside
/// the connections.
const RESERVED_FILES: u64 = 256;

/// Serves the app on `listener` until `shutdown` resolves, then finishes the
/// requests in flight (for at most 10 s: live streams never finish by
/// themselves). Handlers see the client's address (`ConnectInfo`).
///
/// Connections speak HTTP/1.1 (a TLS front end speaks HTTP/2 to browsers).
/// A client gets `LAUSANNE_READ_TIMEOUT_SECS` to send each request's head,
/// which is also how long an idle connection stays open, and its body may
/// stall no longer, nor may a write to it block; a request gets 60 s in all
/// to be answered; heads over 16 KiB or 64 fields are refused with 431. At
/// most `LAUSANNE_MAX_CONNECTIONS` connections are served at once.
/// Expired staff sessions are deleted every 10 minutes meanwhile, and the
/// live-update worker runs.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cleanup = spawn_session_cleanup(&state.db, state.leader.clone());
    let feedback = app::server::hearing::spawn_feedback_requests(state.clone());
    let reminders = app::server::reminders::spawn(state.clone());
    let signals = app::server::signals::spawn_listener(&state);
    let live = app::server::updates::spawn_worker(
        state.db.clone(),
        state.key.clone(),
        state.clock.clone(),
        state.live.clone(),
    );
    let read_timeout = state.config.read_timeout;
    let connections = connection_cap(state.config.max_connections);
    let writers = std::thread::available_parallelism().map_or(1, usize::from);
    let (fanout, writers) = Fanout::spawn(&state.live, writers, read_timeout);
    let fanout = Arc::new(fanout);
    let limits = streams::Limits {
        read_timeout,
        max_head_bytes: MAX_HEAD_BYTES,
        max_headers: MAX_HEADERS,
    };
    // A body that stalls for as long is cut off (the form reader answers 408).
    let app = router(state)
        .layer(RequestBodyTimeoutLayer::new(read_timeout))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            read_timeout * REQUEST_DEADLINE_READS,
        ));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS);
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        // At the cap, new connections wait in the listen queue.
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A live stream's request takes the socket from hyper (see `streams`).
        let taken = streams::Taken::default();
        let stream = streams::Watched::new(stream, Arc::clone(&taken));
        // A client that stops reading cannot hold a response (and its
        // connection) open: writes that block this long end the connection.
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(read_timeout));
        let stream = Box::pin(stream);
        let service = {
            let app = app.clone();
            hyper::service::service_fn(move |mut req: Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                app.clone().oneshot(req)
            })
        };
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let (app, fanout) = (app.clone(), Arc::clone(&fanout));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            if let Some(socket) = streams::take(&taken) {
                streams::answer(app, socket, peer, &fanout, permit, limits).await;
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::info!("closing connections still open after the grace period");
    }
    cleanup.abort();
    feedback.abort();
    reminders.abort();
    if let Some(signals) = signals {
        signals.abort();
    }
    live.abort();
    // Closes every live stream the shared writers hold.
    for writer in writers {
        writer.abort();
    }
    Ok(())
}

/// How many connections to serve at once: `configured`, within what the
/// open-files limit allows once raised as far as the system lets it (each
/// connection, a live stream included, holds a file descriptor).
fn connection_cap(configured: usize) -> Arc<Semaphore> {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(error) => {
            tracing::warn!(%error, "cannot read or raise the open-files limit");
            1024
        }
    };
    let fit = usize::try_from(files.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    let cap = configured.min(fit).max(1);
    if cap < configured {
        tracing::warn!(
            open_files = files,
            connections = cap,
            "the open-files limit allows fewer connections than LAUSANNE_MAX_CONNECTIONS; \
             raise it (ulimit -n, or LimitNOFILE= in a systemd unit)"
        );
    } else {
        tracing::info!(open_files = files, connections = cap, "connection cap");
    }
    Arc::new(Semaphore::new(cap))
}

/// Binds `addr` (port 0 for any free port) and serves in the background;
/// returns the bound address.
pub async fn spawn(addr: SocketAddr, state: AppState) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = serve(listener, state, std::future::pending()).await {
            tracing::error!(%error, "server stopped");
        }
    });
    Ok(bound)
}
