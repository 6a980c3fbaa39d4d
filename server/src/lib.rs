//! The `lausanne` server: bind, serve, shut down gracefully. The CLI lives in
//! `main.rs`; integration tests and benchmarks use [`spawn`].

use std::net::SocketAddr;

use app::server::auth::spawn_session_cleanup;
use app::server::{AppState, live, router};
use tokio::net::TcpListener;

/// Serves the app on `listener` until `shutdown` resolves, finishing the
/// requests in flight. Handlers see the client's address (`ConnectInfo`),
/// which the sign-in rate limit uses. Expired staff sessions are deleted
/// every 10 minutes meanwhile, and the live-update worker runs.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cleanup = spawn_session_cleanup(&state.pool);
    let live = live::spawn_worker(state.pool.clone(), state.clock.clone(), state.live.clone());
    let served = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    cleanup.abort();
    live.abort();
    served
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
