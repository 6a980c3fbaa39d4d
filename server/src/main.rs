//! `lausanne`: the Lausanne Platform server and its maintenance commands.

use std::process::ExitCode;

use app::server::{AppState, Clock, Config, db, demo};
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
            let state = AppState::new(pool.clone(), config, Clock::system());
            tracing::info!(%addr, "listening");
            println!("Lausanne Platform is running at http://{addr}/ (Ctrl-C to stop)");
            server::serve(listener, state, shutdown_signal())
                .await
                .map_err(|e| e.to_string())?;
            pool.close().await;
            tracing::info!("stopped");
            Ok(())
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
