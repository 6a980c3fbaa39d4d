//! Two-factor sign-in: time-based one-time passwords (RFC 6238: HMAC-SHA1,
//! six digits, 30-second steps, one step of clock skew either way), the
//! enrolment QR code drawn on the server as SVG, and one-time recovery codes.
//! A code is accepted at most once: the account keeps the last time step
//! used, and only a later step is accepted after it.

use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::AppError;
use crate::server::token::{CROCKFORD, grouped_code, random_bytes};

/// Seconds per time step.
const STEP: u64 = 30;
const DIGITS: usize = 6;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// A fresh secret: 160 random bits, in base 32 (what authenticator apps
/// take when typed in).
pub fn new_secret() -> Result<String, AppError> {
    Ok(Secret::Raw(random_bytes::<20>()?.to_vec())
        .to_encoded()
        .to_string())
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP, bytes).ok()
}

/// The time step a code typed at `now` (Unix seconds) belongs to, if it is
/// right for that step or the one before or after. The caller accepts it
/// only if the step is later than the last one used.
pub fn verify(secret: &str, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret)?;
    let step = now.div_euclid(STEP as i64);
    // Every candidate is computed and compared, whichever matches.
    let mut matched = None;
    for candidate in [step - 1, step, step + 1] {
        let at = u64::try_from(candidate).ok()?.saturating_mul(STEP);
        let expected = totp.generate(at);
        if bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            code.as_bytes(),
        )) {
            matched = Some(candidate);
        }
    }
    matched
}

/// The code for `now`, for tests and the enrolment check.
pub fn code_at(secret: &str, now: i64) -> Option<String> {
    Some(totp(secret)?.generate(u64::try_from(now).ok()?))
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, issuer: &str, account: &str) -> String {
    let encode =
        |text: &str| -> String { form_urlencoded::byte_serialize(text.as_bytes()).collect() };
    let label = format!("{}:{}", encode(issuer), encode(account)).replace('+', "%20");
    let issuer = encode(issuer).replace('+', "%20");
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP}"
    )
}

/// Ten fresh recovery codes, `XXXXX-XXXXX` (50 bits each).
pub fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    (0..RECOVERY_CODES).map(|_| grouped_code(2, 5)).collect()
}

/// A recovery code as typed, in the form it is stored under: upper case,
/// without spaces or hyphens; `None` when it cannot be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 10 && code.bytes().all(|b| CROCKFORD.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_within_one_step_and_name_their_step() {
        let secret = new_secret().unwrap();
        assert_eq!(secret.len(), 32);
        let now = 1_800_000_000;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(verify(&secret, &code, now), Some(now / 30));
        assert_eq!(
            verify(&secret, &code, now + 30),
            Some(now / 30),
            "a step late"
        );
        assert_eq!(verify(&secret, &code, now + 90), None, "expired");
        assert_eq!(verify(&secret, "12345", now), None);
        assert_eq!(verify(&secret, "abcdef", now), None);
        // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890".
        let rfc = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&rfc, 59).unwrap(), "287082");
        assert_eq!(code_at(&rfc, 1_111_111_109).unwrap(), "081804");
    }

    #[test]
    fn enrolment_material() {
        let url = otpauth_url("ABC", "Lausanne Platform", "a@example.org");
        assert_eq!(
            url,
            "otpauth://totp/Lausanne%20Platform:a%40example.org?secret=ABC&issuer=Lausanne%20Platform&algorithm=SHA1&digits=6&period=30"
        );
        let svg = crate::server::qr::qr_svg(&url, "QR <code>").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<title>QR &lt;code></title>"));
        assert!(!svg.contains("<?xml") && !svg.contains("<script"));
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(
            normalise_recovery_code(&codes[0].to_lowercase()).unwrap(),
            codes[0].replace('-', "")
        );
        assert_eq!(normalise_recovery_code("short"), None);
    }
}
