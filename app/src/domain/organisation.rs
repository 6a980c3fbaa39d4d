//! Organisations that tell us about themselves, and how staff vet them.

use std::collections::BTreeMap;

use super::Email;
use super::form::{self, Errors, FieldError};
use super::search::normalize;

code_enum! {
    /// Areas of work an organisation can name.
    Area {
        ChildrenYouth = "children_youth",
        Gender = "gender",
        Detention = "detention",
        Survivors = "survivors",
        Lgbtq = "lgbtq",
        Documentation = "documentation",
        Other = "other",
    }
}

code_enum! {
    /// Where vetting stands.
    OrganisationState {
        Pending = "pending",
        Verified = "verified",
        Declined = "declined",
    }
}

pub mod limits {
    pub const NAME: usize = 200;
    pub const COUNTRY: usize = 120;
    pub const DESCRIPTION: usize = 4000;
    pub const WEBSITE: usize = 300;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationForm {
    pub name: String,
    pub country: String,
    pub areas: Vec<Area>,
    pub description: String,
    pub contact_email: Email,
    pub website: Option<String>,
    pub mailing_list: bool,
}

impl OrganisationForm {
    /// Areas arrive as repeated `areas` fields, joined with commas by the
    /// form reader.
    pub fn parse(fields: &BTreeMap<String, String>) -> Result<Self, BTreeMap<String, FieldError>> {
        let mut errors = Errors::default();
        let get = |name: &str| fields.get(name).map_or("", String::as_str);
        let name = errors.take("name", form::line(get("name"), limits::NAME));
        let country = errors.take("country", form::line(get("country"), limits::COUNTRY));
        let areas = errors.take("areas", parse_areas(get("areas")));
        let description = errors.take(
            "description",
            form::optional_text(get("description"), limits::DESCRIPTION, true).and_then(|d| {
                if d.is_empty() {
                    Err(FieldError::Required)
                } else {
                    Ok(d)
                }
            }),
        );
        let contact_email = errors.take(
            "contact_email",
            match get("contact_email").trim() {
                "" => Err(FieldError::Required),
                raw => Email::parse(raw).map(Some).map_err(|_| FieldError::Email),
            },
        );
        let website = errors.take("website", parse_website(get("website")));
        if !form::ticked(fields, "consent") {
            errors.take::<()>("consent", Err(FieldError::Consent));
        }
        errors.finish(())?;
        let Some(contact_email) = contact_email else {
            // Unreachable: a missing address has its error recorded.
            return Err(BTreeMap::from([(
                "contact_email".to_owned(),
                FieldError::Required,
            )]));
        };
        Ok(Self {
            name,
            country,
            areas,
            description,
            contact_email,
            website,
            mailing_list: form::ticked(fields, "mailing_list"),
        })
    }
}

/// Free email services: an address there says nothing about who sent it.
const FREE_MAIL: &[&str] = &[
    "aol.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "tutanota.com",
    "yahoo.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
];

/// How many email domains one organisation may vouch for.
pub const MAX_EMAIL_DOMAINS: usize = 10;

/// The email domains an organisation vouches for, as staff typed them
/// (`ngo.org, ngo.org.sy`): lowercase ASCII (international names in their
/// `xn--` form), no duplicates, no free email services. Empty is fine.
pub fn parse_email_domains(raw: &str) -> Result<Vec<String>, FieldError> {
    let mut domains = Vec::new();
    for typed in raw
        .split([',', ' ', '\n', '\t', '،'])
        .filter(|d| !d.is_empty())
    {
        let typed = typed.trim_start_matches('@');
        let domain = idna::domain_to_ascii(typed).map_err(|_| FieldError::EmailDomains)?;
        let valid = domain.contains('.')
            && email_address::EmailAddress::is_valid_domain(&domain)
            && !FREE_MAIL.contains(&domain.as_str());
        if !valid {
            return Err(FieldError::EmailDomains);
        }
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.len() > MAX_EMAIL_DOMAINS {
        return Err(FieldError::EmailDomains);
    }
    Ok(domains)
}

/// Whether `email` is at one of `domains` (as [`parse_email_domains`] keeps
/// them, comma-separated).
pub fn email_at(email: &str, domains: &str) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let Ok(domain) = idna::domain_to_ascii(domain) else {
        return false;
    };
    domains.split(',').any(|d| !d.is_empty() && d == domain)
}

/// The key registrations are matched on: normalised, spacing collapsed.
pub fn name_key(name: &str) -> String {
    normalize(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_areas(raw: &str) -> Result<Vec<Area>, FieldError> {
    let mut areas = Vec::new();
    for code in raw.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let area = Area::parse(code).ok_or(FieldError::Choice)?;
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    Ok(areas)
}

/// An optional `http(s)://` address without spaces; `example.org` gets
/// `https://` put in front.
fn parse_website(raw: &str) -> Result<Option<String>, FieldError> {
    let raw = form::optional_text(raw, limits::WEBSITE, false)?;
    if raw.is_empty() {
        return Ok(None);
    }
    let url = if raw.starts_with("https://") || raw.starts_with("http://") {
        raw
    } else {
        format!("https://{raw}")
    };
    let host = url
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    let valid = host.contains('.')
        && !url
            .chars()
            .any(|c| c.is_whitespace() || "<>\"'`\\".contains(c))
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:".contains(c));
    valid.then_some(Some(url)).ok_or(FieldError::Url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_domains_are_real_and_not_free_mail() {
        assert_eq!(
            parse_email_domains(" NGO.org, @ngo.org.sy ngo.org"),
            Ok(vec!["ngo.org".to_owned(), "ngo.org.sy".to_owned()])
        );
        assert_eq!(parse_email_domains(""), Ok(Vec::new()));
        assert_eq!(
            parse_email_domains("مثال.سوريا"),
            Ok(vec!["xn--mgbh0fb.xn--mgbtf8fl".to_owned()])
        );
        for bad in ["gmail.com", "localhost", "a b,c@d", "-x.org", "x..org"] {
            assert_eq!(
                parse_email_domains(bad),
                Err(FieldError::EmailDomains),
                "{bad}"
            );
        }
        let many = (0..11)
            .map(|i| format!("n{i}.org"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(parse_email_domains(&many), Err(FieldError::EmailDomains));
        assert!(email_at("amal@NGO.org", "ngo.org,ngo.org.sy"));
        assert!(!email_at("amal@ngo.org.evil.example", "ngo.org"));
        assert!(!email_at("amal@gmail.com", ""));
    }

    #[test]
    fn parses_and_matches_names() {
        let fields: BTreeMap<String, String> = [
            ("name", "  Families for  Truth "),
            ("country", "Syria"),
            ("areas", "detention,survivors,detention"),
            ("description", "We document enforced disappearances."),
            ("contact_email", "info@example.org"),
            ("website", "example.org/about"),
            ("consent", "on"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let form = OrganisationForm::parse(&fields).expect("valid");
        assert_eq!(form.areas, vec![Area::Detention, Area::Survivors]);
        assert_eq!(form.website.as_deref(), Some("https://example.org/about"));
        assert!(!form.mailing_list);
        assert_eq!(name_key(&form.name), name_key("families for truth"));
        assert_eq!(name_key("رابطة  عائلات"), name_key("رابطه عائلات"));
    }

    #[test]
    fn refuses_bad_websites_and_areas() {
        assert_eq!(parse_website("javascript:alert(1)"), Err(FieldError::Url));
        assert_eq!(parse_website("https://a b.org"), Err(FieldError::Url));
        assert_eq!(parse_areas("gender,weapons"), Err(FieldError::Choice));
    }
}
