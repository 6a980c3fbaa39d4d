//! Materials staff attach to an event or a session, and the interpretation
//! channels of a session.

use serde::{Deserialize, Serialize};

use super::form::FieldError;
use super::{InterpretationLanguage, Lang};

/// The largest material, in bytes (20 MB).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The longest title, in characters (each language).
pub const MAX_TITLE: usize = 200;

code_enum! {
    /// The kinds of file we take, told apart by their contents
    /// (`server::materials::sniff`), never by the name or the browser's claim.
    MaterialKind {
        Pdf = "pdf",
        Docx = "docx",
        Odt = "odt",
        Pptx = "pptx",
        Png = "png",
        Jpeg = "jpeg",
        Webp = "webp",
    }
}

impl MaterialKind {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
        }
    }

    /// The file name's extension it is served with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            other => other.code(),
        }
    }

    /// Whether a file name's extension says this kind (`None`: the name has
    /// no extension, which says nothing).
    pub fn named_by(self, file_name: &str) -> Option<bool> {
        let (_, ext) = file_name.rsplit_once('.')?;
        let ext = ext.to_ascii_lowercase();
        Some(ext == self.extension() || (self == Self::Jpeg && ext == "jpeg"))
    }

    /// "PDF", "DOCX"…
    pub fn label(self) -> String {
        self.extension().to_ascii_uppercase()
    }
}

/// A size for people: "340 KB", "4.2 MB"; in Arabic its own digits,
/// decimal separator and units ("٤٫٢ ميغابايت").
pub fn size_text(lang: Lang, bytes: i64) -> String {
    let (point, kb, mb) = match lang {
        Lang::En => (".", "KB", "MB"),
        Lang::Ar => ("٫", "كيلوبايت", "ميغابايت"),
    };
    let text = if bytes < 1024 * 1024 {
        format!("{} {kb}", (bytes + 1023) / 1024)
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{}{point}{} {mb}", tenths / 10, tenths % 10)
    };
    lang.digits(&text)
}

/// A session's interpretation: which language on which channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    pub language: InterpretationLanguage,
    pub channel: String,
}

/// The longest channel name, and the most channels a session has.
const MAX_CHANNEL: usize = 40;
const MAX_CHANNELS: usize = 8;

/// Channels as staff type them: one `language | channel` per line (the
/// language by its code), e.g. `ar | 2`. Empty: none.
pub fn parse_channels(text: &str) -> Result<Vec<Channel>, FieldError> {
    let mut channels = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (language, channel) = line.split_once('|').ok_or(FieldError::Channels)?;
        let language = InterpretationLanguage::parse(language.trim().to_ascii_lowercase().as_str())
            .ok_or(FieldError::Channels)?;
        let channel = super::form::line(channel, MAX_CHANNEL).map_err(|e| match e {
            FieldError::Required => FieldError::Channels,
            other => other,
        })?;
        if channels.len() == MAX_CHANNELS {
            return Err(FieldError::Channels);
        }
        channels.push(Channel { language, channel });
    }
    Ok(channels)
}

/// Channels as stored, and as the editor shows them again.
pub fn channels_text(channels: &[Channel]) -> String {
    channels
        .iter()
        .map(|c| format!("{} | {}", c.language.code(), c.channel))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_read_one_per_line() {
        let channels = parse_channels(" ar | 2 \n\nEN|Floor\n").unwrap_or_default();
        assert_eq!(channels.len(), 2);
        assert_eq!(channels[0].language, InterpretationLanguage::Ar);
        assert_eq!(channels[1].channel, "Floor");
        assert_eq!(parse_channels(&channels_text(&channels)), Ok(channels));
        assert_eq!(parse_channels("arabic | 2"), Err(FieldError::Channels));
        assert_eq!(parse_channels("ar 2"), Err(FieldError::Channels));
        assert_eq!(parse_channels("ar | "), Err(FieldError::Channels));
        assert!(parse_channels("ar | <b>2</b>").is_err());
        assert_eq!(parse_channels(""), Ok(Vec::new()));
    }

    #[test]
    fn names_and_sizes() {
        assert_eq!(MaterialKind::Jpeg.named_by("photo.JPEG"), Some(true));
        assert_eq!(MaterialKind::Pdf.named_by("agenda.pdf.exe"), Some(false));
        assert_eq!(MaterialKind::Pdf.named_by("agenda"), None);
        assert_eq!(size_text(Lang::En, 1), "1 KB");
        assert_eq!(size_text(Lang::En, 4 * 1024 * 1024 + 200 * 1024), "4.2 MB");
        assert_eq!(
            size_text(Lang::Ar, 4 * 1024 * 1024 + 200 * 1024),
            "٤٫٢ ميغابايت"
        );
    }
}
