//! `lausanne`: the Lausanne Platform server and its maintenance commands.

use std::process::ExitCode;

use std::time::Duration;

use app::server::{AppState, Clock, Config, db, demo, mail};
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "lausanne", version, about = "The Lausanne Platform web app")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the site (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the programme's 2021 events and upcoming sample events into an
    /// empty database (does nothing if there are events already).
    Demo,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_target(false)
        .init();
    match run(Cli::parse().command.unwrap_or(Command::Serve)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("lausanne: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let pool = db::open(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    db::migrate(&pool).await.map_err(|e| e.to_string())?;
    match command {
        Command::Migrate => {
            println!("database is up to date");
            Ok(())
        }
        Command::Demo => match demo::load(&pool, jiff::Timestamp::now()).await {
            Ok(report) => {
                println!(
                    "loaded {} demo events with {} sessions",
                    report.events, report.sessions
                );
                Ok(())
            }
            Err(demo::DemoError::NotEmpty) => {
                println!("the database already has events; demo data not loaded");
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        },
        Command::Serve => {
            let listener = TcpListener::bind(config.site_addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            let shutdown = shutdown_signal().map_err(|e| format!("cannot handle signals: {e}"))?;
            let state = AppState::new(pool.clone(), config, Clock::system());
            let mailer = state.mail.clone();
            let mut worker = mail::spawn_worker(state.clone()).map_err(|e| e.to_string())?;
            tracing::info!(%addr, "listening");
            println!("Lausanne Platform is running at http://{addr}/ (Ctrl-C to stop)");
            let served = server::serve(listener, state, shutdown).await;
            // The worker finishes the message in hand; whatever is left is
            // still in the outbox at the next start.
            mailer.stop();
            if tokio::time::timeout(Duration::from_secs(10), &mut worker)
                .await
                .is_err()
            {
                worker.abort();
            }
            served.map_err(|e| e.to_string())?;
            pool.close().await;
            tracing::info!("stopped");
            Ok(())
        }
    }
}

/// Installs the SIGINT (Ctrl-C) and SIGTERM handlers now, so a signal that
/// arrives as soon as we announce ourselves is not lost, and resolves on the
/// first of them.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        tracing::info!("shutting down");
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
