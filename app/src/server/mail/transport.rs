//! Turning an outbox row into an email and handing it to SMTP or a file.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::server::Config;
use crate::server::db::outbox::PendingMail;

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("cannot create the outbox folder {dir}: {source}")]
    Folder { dir: String, source: std::io::Error },
    #[error("LAUSANNE_SMTP_URL is not valid: {0}")]
    Smtp(String),
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files {
        dir: PathBuf,
        files: AsyncFileTransport<Tokio1Executor>,
    },
}

/// Why an attempt failed, with addresses taken out; `permanent` when another
/// attempt cannot do better (the stored message itself is unusable).
pub struct Failure {
    pub reason: String,
    pub permanent: bool,
}

impl Transport {
    pub fn from_config(config: &Config) -> Result<Self, TransportError> {
        match &config.smtp_url {
            Some(url) => {
                let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
                    .map_err(|e| TransportError::Smtp(e.to_string()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Self::Smtp(smtp))
            }
            None => {
                let dir = config.outbox_dir.clone();
                std::fs::create_dir_all(&dir).map_err(|source| TransportError::Folder {
                    dir: dir.display().to_string(),
                    source,
                })?;
                Ok(Self::Files {
                    files: AsyncFileTransport::new(&dir),
                    dir,
                })
            }
        }
    }

    pub async fn send(&self, mail: &PendingMail, config: &Config) -> Result<(), Failure> {
        let message = build(mail, &config.mail_from).map_err(|reason| Failure {
            reason,
            permanent: true,
        })?;
        let result = match self {
            Self::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Self::Files { dir, files } => {
                // The folder may have been removed since the start.
                match tokio::fs::create_dir_all(dir).await {
                    Ok(()) => files
                        .send(message)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(format!("cannot create the outbox folder: {e}")),
                }
            }
        };
        result.map_err(|error| Failure {
            reason: redact(&error),
            permanent: false,
        })
    }
}

/// The email for an outbox row: UTF-8 plain text (lettre encodes non-ASCII
/// subjects and bodies), with its language, and a `Message-ID` and `Date`
/// that stay the same on every attempt, so a receiver can spot a repeat.
fn build(mail: &PendingMail, from: &Mailbox) -> Result<Message, String> {
    let to = mail
        .to_address
        .parse::<Mailbox>()
        .map_err(|_| "the recipient address is not valid".to_owned())?;
    let lang = mail.lang;
    let subject = mail.subject.replace(['\r', '\n'], " ");
    let created = u64::try_from(mail.created_at).unwrap_or(0);
    let mut builder = Message::builder();
    if let Some(url) = &mail.list_unsubscribe {
        // RFC 8058 one-click unsubscribe: mail clients POST
        // `List-Unsubscribe=One-Click` to the URL, without a browser.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", url.replace(['\r', '\n', '>'], "")),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .from(from.clone())
        .to(to)
        .subject(subject)
        .date(SystemTime::UNIX_EPOCH + Duration::from_millis(created))
        .message_id(Some(format!(
            "<{}.{}.outbox@{}>",
            mail.created_at,
            mail.id,
            from.email.domain()
        )))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Content-Language"),
            lang.code().to_owned(),
        ))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body_text.clone())
        .map_err(|e| format!("cannot build the message: {e}"))
}

/// `text` with every word that could hold an address replaced, so that an
/// SMTP reply such as `550 <someone@example.org>: no such user` can be
/// stored and logged.
fn redact(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            if word.contains('@') {
                "[address]"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(to: &str) -> PendingMail {
        PendingMail {
            id: 7,
            to_address: to.to_owned(),
            lang: crate::domain::Lang::Ar,
            subject: "تأكيد التسجيل\r\nBcc: x@example.org".to_owned(),
            body_text: "مرحبا".to_owned(),
            created_at: 1_796_040_000_000,
            attempts: 0,
            list_unsubscribe: None,
        }
    }

    #[test]
    fn builds_a_stable_utf8_message() {
        let from: Mailbox = "Lausanne Platform <no-reply@example.org>"
            .parse()
            .expect("valid");
        let message = build(&pending("someone@example.org"), &from).expect("builds");
        let text = String::from_utf8(message.formatted()).expect("ASCII on the wire");
        assert!(text.contains("Content-Language: ar\r\n"), "{text}");
        assert!(text.contains("Message-ID: <1796040000000.7.outbox@example.org>\r\n"));
        assert!(text.contains("Content-Type: text/plain; charset=utf-8\r\n"));
        assert!(text.is_ascii(), "subject and body are encoded");
        assert!(
            !text.contains("\r\nBcc:"),
            "no header injection through the subject"
        );

        let error = build(&pending("not an address"), &from)
            .err()
            .expect("refused");
        assert!(!error.contains("not an address"));
    }

    #[test]
    fn list_mail_has_one_click_unsubscribe() {
        let from: Mailbox = "no-reply@example.org".parse().expect("valid");
        let mut mail = pending("someone@example.org");
        mail.list_unsubscribe = Some("https://example.org/en/unsubscribe/abc".to_owned());
        let message = build(&mail, &from).expect("builds");
        let text = String::from_utf8(message.formatted()).expect("ASCII");
        assert!(
            text.contains("List-Unsubscribe: <https://example.org/en/unsubscribe/abc>\r\n"),
            "{text}"
        );
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        let plain = build(&pending("someone@example.org"), &from).expect("builds");
        let plain = String::from_utf8(plain.formatted()).expect("ASCII");
        assert!(!plain.contains("List-Unsubscribe"));
    }

    #[test]
    fn redacts_addresses() {
        assert_eq!(
            redact("permanent error (550): 5.1.1 <someone@example.org>: unknown"),
            "permanent error (550): 5.1.1 [address] unknown"
        );
    }
}
