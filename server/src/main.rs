//! `lausanne`: the Lausanne Platform server and its maintenance commands.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;
use std::time::Duration;

use app::domain::{Email, Role};
use app::server::auth::{self, CreateUserError};
use app::server::db::Db;
use app::server::db::audit::Actor;
use app::server::{AppState, Clock, Config, bulletins, crypto, db, demo, retention};
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
    /// Copy the database, consistently and while it serves (`VACUUM INTO`),
    /// into a new file, and check the copy's integrity.
    Backup {
        /// The file to create (it must not exist).
        file: std::path::PathBuf,
    },
    /// Delete the personal data the retention schedule says has been kept
    /// long enough (the server also does this daily), and say how much went.
    Purge,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account. The password is read from standard input (one
    /// line, at least 12 characters) when it is not a terminal; from a
    /// terminal or an empty input, one is generated and printed once.
    Add {
        /// The email address the person signs in with.
        #[arg(long)]
        email: String,
        /// `admin` or `moderator`.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The name shown to other staff (default: the email's local part).
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove an account's two-factor sign-in (a lost phone and lost
    /// recovery codes) and end its sessions; its password stays.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        /// The account's email address.
        email: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("{text:?} is not a role (admin or moderator)"))
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
    let pool = Db::open(config.database_url.as_str())
        .await
        .map_err(|e| e.to_string())?;
    let key = app::server::db::sealing::load_for(&pool, &config.data_key)
        .await
        .map_err(|e| e.to_string())?;
    pool.migrate(&key).await.map_err(|e| e.to_string())?;
    match command {
        Command::Migrate => {
            println!("database is up to date");
            Ok(())
        }
        Command::Demo => match demo::load(&pool, &key, jiff::Timestamp::now()).await {
            Ok(report) => {
                println!(
                    "loaded {} demo events with {} sessions, {} organisations, {} registrations \
                     and {} sample bulletins",
                    report.events,
                    report.sessions,
                    report.organisations,
                    report.registrations,
                    report.bulletins
                );
                println!(
                    "closed event {}: invitation code {}",
                    report.closed_event, report.invitation_code
                );
                println!(
                    "a demo participant's private page: {}{}",
                    config.public_url, report.sample_private_path
                );
                println!("demo staff (passwords are shown this once; sign in at /en/staff):");
                for (email, role, password) in &report.staff {
                    println!("  {:<9} {email}  password: {password}", role.code());
                }
                Ok(())
            }
            Err(demo::DemoError::NotEmpty) => {
                println!("the database already has events; demo data not loaded");
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        },
        Command::User {
            command: UserCommand::Add { email, role, name },
        } => add_user(&pool, &key, &email, role, name.as_deref()).await,
        Command::User {
            command: UserCommand::ResetTwoFactor { email },
        } => reset_two_factor(&pool, &key, &email).await,
        Command::Backup { file } => {
            let backup = db::backup(&pool, &file).await.map_err(|e| e.to_string())?;
            println!(
                "backed up to {} ({} bytes, SQLite {}); integrity check ok",
                file.display(),
                backup.bytes,
                backup.sqlite_version
            );
            println!(
                "personal data in the copy is encrypted: keep the data key (LAUSANNE_DATA_KEY \
                 or the data.key file beside the database) backed up too, apart from the copy"
            );
            Ok(())
        }
        Command::Purge => {
            let policy = retention::policy(&config);
            let purged = retention::purge(&pool, &key, policy, jiff::Timestamp::now())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "deleted {} registrations (events ended over {} days ago) with {} attendance \
                 records, {} unconfirmed subscribers (over {} days), {} delivered emails (over \
                 {} days)",
                purged.registrations,
                policy.registration_days,
                purged.attendance,
                purged.subscribers,
                policy.unconfirmed_days,
                purged.emails,
                policy.mail_days
            );
            Ok(())
        }
        Command::Serve => {
            let listener = TcpListener::bind(config.site_addr)
                .await
                .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            let shutdown = shutdown_signal().map_err(|e| format!("cannot handle signals: {e}"))?;
            let state = AppState::new(pool.clone(), config, key, Clock::system());
            let mailer = state.mail.clone();
            let mut worker =
                app::server::delivery::spawn_worker(state.clone()).map_err(|e| e.to_string())?;
            let mailing = bulletins::mailing::spawn_mailing(state.clone());
            let purging = retention::spawn_daily(state.clone());
            tracing::info!(%addr, "listening");
            tracing::info!(
                ceiling_mib = state.pages.ceiling() / (1024 * 1024),
                files_kib = state.files.bytes() / 1024,
                "public pages are kept in memory up to the ceiling (LAUSANNE_PAGE_CACHE_MB)"
            );
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
            mailing.abort();
            purging.abort();
            served.map_err(|e| e.to_string())?;
            pool.close().await;
            tracing::info!("stopped");
            Ok(())
        }
    }
}

async fn add_user(
    pool: &Db,
    key: &crypto::DataKey,
    email: &str,
    role: Role,
    name: Option<&str>,
) -> Result<(), String> {
    let email =
        Email::parse(email).map_err(|_| format!("{email:?} is not a valid email address"))?;
    let name = name.map_or_else(
        || {
            email
                .as_str()
                .split('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        },
        str::to_owned,
    );
    let stdin = std::io::stdin();
    // A terminal, or an empty input (`</dev/null`), gets a generated password.
    let mut line = String::new();
    if !stdin.is_terminal() {
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    }
    let (password, generated) = if line.is_empty() {
        (auth::generate_password(), true)
    } else {
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    };
    let id = auth::create_user(pool, key, &email, &name, role, &password)
        .await
        .map_err(|e| match e {
            CreateUserError::DuplicateEmail => format!("there is already an account for {email}"),
            other => other.to_string(),
        })?;
    println!("created {} account {id} for {email}", role.code());
    if generated {
        println!("password (shown only this once): {password}");
    }
    Ok(())
}

async fn reset_two_factor(pool: &Db, key: &crypto::DataKey, email: &str) -> Result<(), String> {
    let parsed =
        Email::parse(email).map_err(|_| format!("{email:?} is not a valid email address"))?;
    let user = app::server::db::users::by_email(pool, key, parsed.as_str())
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no account for {email}"))?;
    if !user.totp {
        println!("{email} has no two-factor sign-in; nothing changed");
        return Ok(());
    }
    let now = jiff::Timestamp::now().as_second();
    app::server::staff::remove_totp(pool, key, user.id, Actor::System, now)
        .await
        .map_err(|e| e.to_string())?;
    println!("two-factor sign-in removed for {email}; their sessions have ended");
    Ok(())
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
