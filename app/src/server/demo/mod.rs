//! `lausanne demo`: the programme's real 2021 events (from its public page)
//! and a few upcoming ones dated relative to today, in English and Arabic.

pub mod bulletins;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::domain::organisation::name_key;
use crate::domain::{
    AttendanceMode, Email, EventFormat, EventKind, InterpretationLanguage, Lang, OrganisationState,
    RegistrationState, Role, Visibility,
};
use crate::server::auth::{create_user, generate_password};
use crate::server::crypto::DataKey;
use crate::server::db::events::{self, NewEvent};
use crate::server::db::organisations::{self, NewOrganisation};
use crate::server::db::registrations::{self, NewRegistration};
use crate::server::db::sessions::{self, NewSession};
use crate::server::db::{Db, Tx};
use crate::server::token::{Token, invitation_code};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already has events; demo data goes only into an empty database")]
    NotEmpty,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("date arithmetic failed: {0}")]
    Time(#[from] jiff::Error),
    #[error("the operating system gave no randomness")]
    Random,
    #[error("the demo staff accounts could not be created")]
    Staff,
    #[error("the sample bulletins could not be stored")]
    Bulletin,
}

/// What `demo` loaded.
#[derive(Debug, Default)]
pub struct DemoReport {
    pub events: usize,
    pub sessions: usize,
    pub organisations: usize,
    pub registrations: usize,
    pub bulletins: usize,
    /// The closed demo event and the code its invitees type.
    pub closed_event: String,
    pub invitation_code: String,
    /// The private page of one approved in-person demo participant
    /// (path only; the server's public URL goes in front).
    pub sample_private_path: String,
    /// The demo staff accounts: email, role, and the generated password
    /// (shown once, never stored in clear).
    pub staff: Vec<(String, Role, String)>,
}

/// A local date and time in a time zone, as Unix seconds.
fn at(tz: &str, date: Date, hour: i8, minute: i8) -> Result<i64, jiff::Error> {
    let zone = TimeZone::get(tz)?;
    Ok(date
        .at(hour, minute, 0, 0)
        .to_zoned(zone)?
        .timestamp()
        .as_second())
}

fn base<'a>(slug: &'a str, kind: EventKind, format: EventFormat, tz: &'a str) -> NewEvent<'a> {
    NewEvent {
        slug,
        kind,
        format,
        visibility: Visibility::Public,
        title_en: "",
        title_ar: "",
        summary_en: "",
        summary_ar: "",
        description_en: "",
        description_ar: "",
        city_en: None,
        city_ar: None,
        country_en: None,
        country_ar: None,
        venue: None,
        time_zone: tz,
        starts_at: 0,
        ends_at: 0,
        seats_in_person: 0,
        seats_online: 0,
        interpretation: "ar,en",
    }
}

/// Loads the demo programme into an empty database. `now` anchors the
/// upcoming events.
pub async fn load(pool: &Db, key: &DataKey, now: Timestamp) -> Result<DemoReport, DemoError> {
    if events::count(pool).await? > 0 {
        return Err(DemoError::NotEmpty);
    }
    let mut report = DemoReport::default();
    let mut tx_events = Vec::new();

    // ---- 2021, from the programme's public page --------------------------------------
    let d = |y, m, day| Date::new(y, m, day);
    let zurich = "Europe/Zurich";

    tx_events.push((
        NewEvent {
            title_en: "Lausanne Platform, November 2021",
            title_ar: "منصّة لوزان، تشرين الثاني ٢٠٢١",
            summary_en: "Representatives of over 20 NGOs met the IIIM in Switzerland to discuss its strategy on accountability for crimes against and affecting children and youth.",
            summary_ar: "التقى ممثلو أكثر من ٢٠ منظمة غير حكومية بالآلية في سويسرا لمناقشة استراتيجيتها للمساءلة عن الجرائم المرتكبة بحق الأطفال والشباب والتي تمسّهم.",
            description_en: "The most recent Lausanne Platform was held in Switzerland in November 2021, with representatives of over 20 NGOs attending.\n\nThe main topic for discussion was the IIIM’s development of a Strategy on accountability for crimes against and affecting children and youth.",
            description_ar: "عُقدت آخر دورة لمنصّة لوزان في سويسرا في تشرين الثاني ٢٠٢١، بحضور ممثلين عن أكثر من ٢٠ منظمة غير حكومية.\n\nتمحور النقاش الرئيسي حول إعداد الآلية استراتيجيةً للمساءلة عن الجرائم المرتكبة بحق الأطفال والشباب والتي تمسّهم.",
            country_en: Some("Switzerland"),
            country_ar: Some("سويسرا"),
            starts_at: at(zurich, d(2021, 11, 18)?, 9, 0)?,
            ends_at: at(zurich, d(2021, 11, 19)?, 17, 0)?,
            seats_in_person: 40,
            ..base("lausanne-platform-2021-11", EventKind::PlatformMeeting, EventFormat::InPerson, zurich)
        },
        vec![],
    ));
    tx_events.push((
        NewEvent {
            title_en: "Children & Youth Strategy consultations",
            title_ar: "مشاورات استراتيجية الأطفال والشباب",
            summary_en: "The first consultations for the IIIM’s Children and Youth Strategy, held in person over two days.",
            summary_ar: "المشاورات الأولى لاستراتيجية الآلية الخاصة بالأطفال والشباب، عُقدت حضوريًا على مدى يومين.",
            description_en: "The first consultations for the Children and Youth Strategy were held in person over two days in November 2021.\n\nThe IIIM’s team facilitated discussions with and between civil-society organisations involved in documenting or supporting children and youth affected by the conflict.",
            description_ar: "عُقدت المشاورات الأولى لاستراتيجية الأطفال والشباب حضوريًا على مدى يومين في تشرين الثاني ٢٠٢١.\n\nيسّر فريق الآلية النقاشات مع منظمات المجتمع المدني العاملة على توثيق أوضاع الأطفال والشباب المتأثرين بالنزاع أو على دعمهم، وفيما بين هذه المنظمات.",
            country_en: Some("Switzerland"),
            country_ar: Some("سويسرا"),
            starts_at: at(zurich, d(2021, 11, 16)?, 9, 30)?,
            ends_at: at(zurich, d(2021, 11, 17)?, 16, 30)?,
            seats_in_person: 30,
            ..base("children-youth-strategy-consultations-2021", EventKind::Consultation, EventFormat::InPerson, zurich)
        },
        vec![],
    ));
    tx_events.push((
        NewEvent {
            title_en: "Gender Strategy consultations",
            title_ar: "مشاورات الاستراتيجية الجندرية",
            summary_en: "Consultations with Syrian CSOs, international gender experts and practitioners, and UN representatives as the IIIM refines its Gender Strategy.",
            summary_ar: "مشاورات مع منظمات المجتمع المدني السوري وخبراء وممارسين دوليين في قضايا النوع الاجتماعي وممثلين عن الأمم المتحدة، في إطار تطوير الآلية لاستراتيجيتها الجندرية.",
            description_en: "As the IIIM continues to refine its Gender Strategy, it hosted consultations with a variety of organisations, including Syrian CSOs, international gender experts and practitioners, and key UN representatives.\n\nSyrian interlocutors provided insights into the barriers to surfacing gender-based violence, including sexual violence, in the Syrian context, and the challenges faced by those working on these issues.",
            description_ar: "في إطار مواصلة الآلية تطوير استراتيجيتها الجندرية، استضافت مشاورات مع طيف من الجهات، منها منظمات المجتمع المدني السوري وخبراء وممارسون دوليون في قضايا النوع الاجتماعي وممثلون رئيسيون عن الأمم المتحدة.\n\nقدّم المشاركون السوريون رؤى حول العوائق التي تحول دون الكشف عن العنف القائم على النوع الاجتماعي، بما فيه العنف الجنسي، في السياق السوري، وحول التحديات التي يواجهها العاملون على هذه القضايا.",
            starts_at: at(zurich, d(2021, 6, 22)?, 13, 0)?,
            ends_at: at(zurich, d(2021, 6, 22)?, 16, 0)?,
            seats_online: 60,
            ..base("gender-strategy-consultations-2021", EventKind::Consultation, EventFormat::Online, zurich)
        },
        vec![],
    ));
    tx_events.push((
        NewEvent {
            title_en: "UN Security Council Arria-formula briefing on accountability in Syria",
            title_ar: "إحاطة لمجلس الأمن وفق صيغة آريا حول المساءلة في سوريا",
            summary_en: "The Head of the IIIM briefed the UN Security Council at an Arria-formula meeting chaired by Estonia.",
            summary_ar: "قدّمت رئيسة الآلية إحاطة إلى مجلس الأمن التابع للأمم المتحدة في اجتماع وفق صيغة آريا ترأسته إستونيا.",
            description_en: "In November 2021, the Head of the IIIM briefed the UN Security Council at an Arria-formula meeting chaired by Estonia.\n\nThe meeting on accountability in Syria was organised to address the need for increased efforts by the Security Council to establish full accountability for the most serious crimes committed in Syria.",
            description_ar: "في تشرين الثاني ٢٠٢١، قدّمت رئيسة الآلية إحاطة إلى مجلس الأمن التابع للأمم المتحدة في اجتماع وفق صيغة آريا ترأسته إستونيا.\n\nنُظّم الاجتماع حول المساءلة في سوريا لمعالجة الحاجة إلى تكثيف جهود مجلس الأمن من أجل تحقيق المساءلة الكاملة عن أخطر الجرائم المرتكبة في سوريا.",
            city_en: Some("New York"),
            city_ar: Some("نيويورك"),
            country_en: Some("United States"),
            country_ar: Some("الولايات المتحدة"),
            starts_at: at("America/New_York", d(2021, 11, 9)?, 10, 0)?,
            ends_at: at("America/New_York", d(2021, 11, 9)?, 13, 0)?,
            interpretation: "ar,en,fr",
            ..base("arria-formula-briefing-2021", EventKind::Briefing, EventFormat::Hybrid, "America/New_York")
        },
        vec![],
    ));
    for (slug, title_en, title_ar, (m, day)) in [
        (
            "arbitrary-detention-of-children-2021",
            "Panel on the arbitrary detention of children in Syria",
            "ندوة حول الاحتجاز التعسفي للأطفال في سوريا",
            (3, 24),
        ),
        (
            "former-detainees-briefing-2021",
            "Briefing and Q&A for former detainees",
            "إحاطة وجلسة أسئلة وأجوبة للمعتقلين السابقين",
            (5, 12),
        ),
        (
            "lgbtq-mena-conference-2021",
            "The IIIM and crimes affecting LGBTQ groups",
            "الآلية والجرائم التي تمسّ مجتمع الميم",
            (9, 15),
        ),
        (
            "gender-advocacy-group-2021",
            "Meeting with a Gender Advocacy Group on violence against women and girls",
            "لقاء مع مجموعة مناصرة في قضايا النوع الاجتماعي حول العنف ضد النساء والفتيات",
            (10, 7),
        ),
    ] {
        tx_events.push((
            NewEvent {
                visibility: Visibility::Closed,
                title_en,
                title_ar,
                starts_at: at(zurich, d(2021, m, day)?, 14, 0)?,
                ends_at: at(zurich, d(2021, m, day)?, 16, 0)?,
                ..base(slug, EventKind::CommunityEvent, EventFormat::Online, zurich)
            },
            vec![],
        ));
    }

    // ---- Upcoming, relative to today -------------------------------------------------
    let amsterdam = "Europe/Amsterdam";
    let today = now.to_zoned(TimeZone::get(amsterdam)?).date();
    let platform_day1 = today.checked_add(24.days())?;
    let platform_day2 = platform_day1.checked_add(1.day())?;
    let year = platform_day1.year();
    let platform_slug = format!("lausanne-platform-{year}-{:02}", platform_day1.month());
    let room = Some("Main hall");
    let url = |n: &str| format!("https://meet.example.org/lausanne-{n}");
    let urls: Vec<String> = (1..=8).map(|n| url(&n.to_string())).collect();
    let s = |title_en,
             title_ar,
             day: Date,
             (h1, m1): (i8, i8),
             (h2, m2): (i8, i8),
             room: Option<&'static str>,
             url: Option<&str>| {
        Ok::<_, jiff::Error>((
            title_en,
            title_ar,
            at(amsterdam, day, h1, m1)?,
            at(amsterdam, day, h2, m2)?,
            room,
            url.map(str::to_owned),
        ))
    };
    let platform_sessions = vec![
        s(
            "Welcome and opening remarks",
            "كلمة الترحيب والافتتاح",
            platform_day1,
            (9, 0),
            (9, 30),
            room,
            Some(&urls[0]),
        )?,
        s(
            "Update from the IIIM: progress and priorities",
            "مستجدات الآلية: التقدّم المُحرز والأولويات",
            platform_day1,
            (9, 30),
            (11, 0),
            room,
            Some(&urls[1]),
        )?,
        s(
            "Children and youth: what we heard, and what comes next",
            "الأطفال والشباب: ما سمعناه، وما هي الخطوات التالية",
            platform_day1,
            (11, 30),
            (13, 0),
            room,
            Some(&urls[2]),
        )?,
        s(
            "Working groups: documentation and evidence",
            "مجموعات عمل: التوثيق والأدلة",
            platform_day1,
            (14, 0),
            (15, 30),
            Some("Rooms 2 and 3"),
            None,
        )?,
        s(
            "Questions and answers with the Head of the IIIM",
            "أسئلة وأجوبة مع رئيسة الآلية",
            platform_day1,
            (16, 0),
            (17, 0),
            room,
            Some(&urls[3]),
        )?,
        s(
            "Victims, survivors and families in the accountability process",
            "الضحايا والناجون والعائلات في مسار المساءلة",
            platform_day2,
            (9, 30),
            (11, 0),
            room,
            Some(&urls[4]),
        )?,
        s(
            "Gender strategy: barriers to surfacing gender-based violence",
            "الاستراتيجية الجندرية: عوائق الكشف عن العنف القائم على النوع الاجتماعي",
            platform_day2,
            (11, 30),
            (13, 0),
            room,
            Some(&urls[5]),
        )?,
        s(
            "Closing session and next steps",
            "الجلسة الختامية والخطوات التالية",
            platform_day2,
            (14, 0),
            (15, 0),
            room,
            Some(&urls[6]),
        )?,
    ];
    let platform_title_en =
        format!("Lausanne Platform {year}: accountability with and for Syrian civil society");
    let platform_title_ar = format!(
        "منصّة لوزان {}: المساءلة مع المجتمع المدني السوري ومن أجله",
        crate::domain::Lang::Ar.digits(&year.to_string())
    );
    tx_events.push((
        NewEvent {
            title_en: &platform_title_en,
            title_ar: &platform_title_ar,
            summary_en: "The biannual two-day meeting of the IIIM with Syrian civil-society organisations, in The Hague and online.",
            summary_ar: "الاجتماع نصف السنوي للآلية مع منظمات المجتمع المدني السوري على مدى يومين، في لاهاي وعبر الإنترنت.",
            description_en: "The Lausanne Platform brings together the IIIM’s leadership and staff with representatives of Syrian civil-society organisations, to foster trust, offer substantive updates, encourage further collaboration and hear about their priorities.\n\nThis meeting is hybrid: participants can attend in The Hague or join the plenary sessions online. The working groups are held in person only.\n\nThe exact venue is sent to approved in-person participants.",
            description_ar: "تجمع منصّة لوزان قيادة الآلية وموظفيها بممثلي منظمات المجتمع المدني السوري، لبناء الثقة وتقديم مستجدات جوهرية وتشجيع مزيد من التعاون والاستماع إلى أولوياتهم.\n\nهذا الاجتماع هجين: يمكن للمشاركين الحضور في لاهاي أو الانضمام إلى الجلسات العامة عبر الإنترنت. أما مجموعات العمل فتُعقد حضوريًا فقط.\n\nيُرسل عنوان المكان بالتحديد إلى المشاركين المقبولين للحضور الشخصي.",
            city_en: Some("The Hague"),
            city_ar: Some("لاهاي"),
            country_en: Some("Netherlands"),
            country_ar: Some("هولندا"),
            venue: Some("Demo venue, Street 1, The Hague"),
            starts_at: at(amsterdam, platform_day1, 9, 0)?,
            ends_at: at(amsterdam, platform_day2, 15, 0)?,
            seats_in_person: 50,
            seats_online: 50,
            interpretation: "ar,en,ku",
            ..base(&platform_slug, EventKind::PlatformMeeting, EventFormat::Hybrid, amsterdam)
        },
        platform_sessions,
    ));

    let istanbul = "Europe/Istanbul";
    let consult_day = today.checked_add(10.days())?;
    let consult_slug = format!("gender-strategy-follow-up-{year}");
    let consult_url = url("gender-follow-up");
    tx_events.push((
        NewEvent {
            title_en: "Gender Strategy follow-up consultation with Syrian women’s organisations",
            title_ar: "مشاورة متابعة للاستراتيجية الجندرية مع المنظمات النسائية السورية",
            summary_en: "An online consultation on how the IIIM’s Gender Strategy is being put into practice, and what should change.",
            summary_ar: "مشاورة عبر الإنترنت حول كيفية تطبيق الاستراتيجية الجندرية للآلية، وما الذي ينبغي تغييره.",
            description_en: "The IIIM invites Syrian women’s rights organisations and advocates to review how its Gender Strategy is being put into practice.\n\nThe consultation is held online with Arabic–English interpretation. Small-group discussions follow a short update from the IIIM.",
            description_ar: "تدعو الآلية منظمات حقوق المرأة السورية والمدافعات عنها إلى مراجعة كيفية تطبيق استراتيجيتها الجندرية.\n\nتُعقد المشاورة عبر الإنترنت مع ترجمة فورية بين العربية والإنجليزية، وتلي عرضًا موجزًا لمستجدات الآلية نقاشاتٌ في مجموعات صغيرة.",
            starts_at: at(istanbul, consult_day, 13, 0)?,
            ends_at: at(istanbul, consult_day, 15, 30)?,
            seats_online: 80,
            ..base(&consult_slug, EventKind::Consultation, EventFormat::Online, istanbul)
        },
        vec![
            (
                "Update from the IIIM",
                "مستجدات الآلية",
                at(istanbul, consult_day, 13, 0)?,
                at(istanbul, consult_day, 14, 0)?,
                None,
                Some(consult_url.clone()),
            ),
            (
                "Discussion in small groups",
                "نقاش في مجموعات صغيرة",
                at(istanbul, consult_day, 14, 15)?,
                at(istanbul, consult_day, 15, 30)?,
                None,
                Some(consult_url.clone()),
            ),
        ],
    ));

    let berlin = "Europe/Berlin";
    let briefing_day = today.checked_add(45.days())?;
    let briefing_slug = format!("documentation-briefing-{year}");
    tx_events.push((
        NewEvent {
            title_en: "Briefing: how the IIIM works with documentation from civil society",
            title_ar: "إحاطة: كيف تتعامل الآلية مع التوثيق المقدَّم من المجتمع المدني",
            summary_en: "What happens to information shared with the IIIM, and what to expect from the accountability process.",
            summary_ar: "ماذا يحدث للمعلومات التي تُشارَك مع الآلية، وما الذي يمكن توقّعه من مسار المساءلة.",
            description_en: "A briefing for organisations that document violations: how the IIIM receives, protects and uses information, and a realistic picture of the accountability process.\n\nThere will be time for questions.",
            description_ar: "إحاطة للمنظمات العاملة في توثيق الانتهاكات: كيف تتلقّى الآلية المعلومات وتحميها وتستخدمها، وصورة واقعية عن مسار المساءلة.\n\nسيُخصَّص وقت للأسئلة.",
            starts_at: at(berlin, briefing_day, 16, 0)?,
            ends_at: at(berlin, briefing_day, 17, 30)?,
            seats_online: 150,
            ..base(&briefing_slug, EventKind::Briefing, EventFormat::Online, berlin)
        },
        vec![(
            "Briefing and questions",
            "الإحاطة والأسئلة",
            at(berlin, briefing_day, 16, 0)?,
            at(berlin, briefing_day, 17, 30)?,
            None,
            Some(url("documentation-briefing")),
        )],
    ));

    let families_day = today.checked_add(31.days())?;
    let families_slug = format!("family-associations-meeting-{year}");
    tx_events.push((
        NewEvent {
            visibility: Visibility::Closed,
            title_en: "Meeting with family associations",
            title_ar: "لقاء مع روابط العائلات",
            starts_at: at(istanbul, families_day, 11, 0)?,
            ends_at: at(istanbul, families_day, 13, 0)?,
            seats_in_person: 25,
            seats_online: 25,
            ..base(
                &families_slug,
                EventKind::CommunityEvent,
                EventFormat::Hybrid,
                istanbul,
            )
        },
        vec![],
    ));

    let mut tx = pool.begin_write().await?;
    for (event, agenda) in &tx_events {
        let event_id = events::insert(&mut tx, event).await?;
        report.events += 1;
        for (title_en, title_ar, starts_at, ends_at, room, meeting_url) in agenda {
            sessions::insert(
                &mut tx,
                &NewSession {
                    event_id,
                    title_en,
                    title_ar,
                    starts_at: *starts_at,
                    ends_at: *ends_at,
                    room: *room,
                    meeting_url: meeting_url.as_deref(),
                },
            )
            .await?;
            report.sessions += 1;
        }
    }
    people(
        &mut tx,
        key,
        &mut report,
        now,
        &platform_slug,
        &briefing_slug,
        &families_slug,
    )
    .await?;
    tx.commit().await?;
    for (email, name, role) in [
        ("admin@demo.example.org", "Demo admin", Role::Admin),
        (
            "moderator@demo.example.org",
            "Demo moderator",
            Role::Moderator,
        ),
    ] {
        let password = generate_password();
        let email = Email::parse(email).map_err(|_| DemoError::Staff)?;
        create_user(pool, key, &email, name, role, &password)
            .await
            .map_err(|_| DemoError::Staff)?;
        report.staff.push((email.into_inner(), role, password));
    }
    report.bulletins = crate::server::demo::bulletins::load(pool, now).await?;
    Ok(report)
}

/// Demo organisations (one in each vetting state) and registrations in every
/// state, so that the staff side has something to show. Names and addresses
/// are invented; nobody holds the private links but the sample one printed.
async fn people(
    tx: &mut Tx,
    key: &DataKey,
    report: &mut DemoReport,
    now: Timestamp,
    platform_slug: &str,
    briefing_slug: &str,
    families_slug: &str,
) -> Result<(), DemoError> {
    let now_s = now.as_second();
    let code = invitation_code().map_err(|_| DemoError::Random)?;
    for (slug, approval, waitlist, invitation) in [
        (platform_slug, true, true, None),
        (briefing_slug, false, true, None),
        (families_slug, true, false, Some(code.as_str())),
    ] {
        if let Some(event) = events::seats_by_slug(&mut *tx, slug).await? {
            events::set_registration(&mut *tx, event.id, approval, waitlist, invitation).await?;
        }
    }
    report.closed_event = families_slug.to_owned();
    report.invitation_code = code;

    let orgs = [
        (
            "Syrian Families Network (demo)",
            "Syria, Türkiye",
            "detention,survivors",
            OrganisationState::Verified,
        ),
        (
            "Youth for Accountability (demo)",
            "Syria (north-east)",
            "children_youth,documentation",
            OrganisationState::Pending,
        ),
        (
            "Example Relief Group (demo)",
            "Lebanon",
            "other",
            OrganisationState::Declined,
        ),
    ];
    for (name, country, areas, state) in orgs {
        let id = organisations::insert(
            &mut *tx,
            key,
            &NewOrganisation {
                name,
                name_key: &name_key(name),
                country,
                areas,
                description: "An invented organisation for trying out the staff pages.",
                contact_email: "contact@example.org",
                website: Some("https://example.org"),
                mailing_list: true,
                lang: Lang::En,
                now: now_s,
            },
        )
        .await?;
        if state != OrganisationState::Pending {
            organisations::set_state(&mut *tx, id, state, None, now_s).await?;
        }
        report.organisations += 1;
    }
    let verified = organisations::verified_by_key(&mut *tx, &name_key(orgs[0].0)).await?;

    let Some(platform) = events::seats_by_slug(&mut *tx, platform_slug).await? else {
        return Ok(());
    };
    let people = [
        (
            "Amal Haddad",
            "Syrian Families Network (demo)",
            "Coordinator",
            AttendanceMode::InPerson,
            RegistrationState::Approved,
            Lang::En,
        ),
        (
            "ريم الخطيب",
            "Youth for Accountability (demo)",
            "منسقة",
            AttendanceMode::Online,
            RegistrationState::Approved,
            Lang::Ar,
        ),
        (
            "Omar Saleh",
            "Independent",
            "Lawyer",
            AttendanceMode::InPerson,
            RegistrationState::Pending,
            Lang::En,
        ),
        (
            "سامر يوسف",
            "Syrian Families Network (demo)",
            "باحث",
            AttendanceMode::Online,
            RegistrationState::Pending,
            Lang::Ar,
        ),
        (
            "Lina Nasser",
            "Example Relief Group (demo)",
            "Director",
            AttendanceMode::InPerson,
            RegistrationState::Pending,
            Lang::En,
        ),
        (
            "Hadi Karim",
            "Independent",
            "Journalist",
            AttendanceMode::InPerson,
            RegistrationState::Waitlisted,
            Lang::En,
        ),
        (
            "نور الحسن",
            "Independent",
            "ناشطة",
            AttendanceMode::Online,
            RegistrationState::Rejected,
            Lang::Ar,
        ),
        (
            "Yara Darwish",
            "Youth for Accountability (demo)",
            "Volunteer",
            AttendanceMode::Online,
            RegistrationState::Withdrawn,
            Lang::En,
        ),
    ];
    for (i, (name, organisation, role, mode, state, lang)) in people.into_iter().enumerate() {
        let token = Token::generate().map_err(|_| DemoError::Random)?;
        let offset = i64::try_from(i).unwrap_or(0) * 86_400 + 3_600;
        let email = format!("participant{}@example.org", i + 1);
        let id = registrations::insert(
            &mut *tx,
            key,
            &NewRegistration {
                event_id: platform.id,
                token_hash: &token.hash(),
                name,
                organisation,
                organisation_id: if organisation == orgs[0].0 {
                    verified
                } else {
                    None
                },
                role,
                email: &email,
                mode,
                interpretation: (lang == Lang::Ar).then_some(InterpretationLanguage::Ar),
                accessibility: "",
                lang,
                state,
                now: now_s - 10 * 86_400 + offset,
            },
        )
        .await?;
        if state == RegistrationState::Rejected {
            registrations::set_state(
                &mut *tx,
                key,
                id,
                state,
                Some("The in-person places are reserved for organisations working inside Syria."),
                None,
                now_s - 10 * 86_400 + offset,
            )
            .await?;
        }
        if i == 0 {
            report.sample_private_path = crate::paths::private_page(lang, token.as_str());
        }
        report.registrations += 1;
    }
    Ok(())
}
