//! Demo data for `cargo xtask run` (ADGANG_DEMO_DATA=true). Idempotent: re-running adds only
//! what is missing.

use adgang_api_types::{
    Activation, ActivationMode, NewStandardSystem, NewSystem, OrgKind, Protocol, Right, SystemRole,
    TechnicalContact,
};
use adgang_core::audit::Actor;
use adgang_core::Cvr;
use adgang_identity::service::rights;
use adgang_identity::service::{self, NewOrganisation};
use adgang_identity::IdentityError;
use adgang_systems::service as systems;
use anyhow::Context;
use sea_orm::{DatabaseConnection, TransactionTrait};

/// (CVR, name, kind) — synthetic names; every CVR passes modulus-11.
pub const ORGANISATIONS: &[(&str, &str, OrgKind)] = &[
    ("29189846", "Testkommune Nord", OrgKind::Authority),
    ("34051178", "Styrelsen for Digital Test", OrgKind::Authority),
    ("10213231", "Region Prøvested", OrgKind::Authority),
    ("25052943", "Æblegården ApS", OrgKind::Company),
    ("30808460", "Systemleverandøren A/S", OrgKind::Company),
    ("40000011", "Nyby Kommune", OrgKind::Authority),
    (COURTS, "Domstolsstyrelsen", OrgKind::Authority),
];

/// The courts: the one demo organisation allowed to serve legal notices ("forkyndelse"), so
/// the only one whose log has "Forkyndt" (LOG-01, issue 33 item 2).
pub const COURTS: &str = "21659509";

/// An authority that has not joined Digital Post yet: its first login goes through onboarding
/// (AUTH-04). Every other demo authority has accepted the agreement.
pub const NOT_YET_JOINED: &str = "40000011";

fn joined_at(
    cvr: &Cvr,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    (cvr.as_str() != NOT_YET_JOINED).then_some(now)
}

/// A demo user: (RID, name, [(CVR, rights)]).
pub type DemoUser = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [Right])],
);

/// (RID, name, [(CVR, rights)]) — every right is covered; Sara has rights in two
/// organisations, Ole is an operator.
pub const USERS: &[DemoUser] = &[
    (
        "10000001",
        "Birgitte Borgerservice",
        &[("29189846", &[Right::CitizenService])],
    ),
    (
        "10000002",
        "Erik Erhvervsservice",
        &[("29189846", &[Right::BusinessService])],
    ),
    (
        "10000003",
        "Sara Systemadministrator",
        &[
            ("29189846", &[Right::SystemAdmin]),
            ("25052943", &[Right::SystemAdmin]),
        ],
    ),
    (
        "10000004",
        "Karl Kontaktstruktur",
        &[("34051178", &[Right::ContactAdmin])],
    ),
    (
        "10000005",
        "Lone Logadministrator",
        &[(
            "10213231",
            &[Right::LogMessages, Right::LogActions, Right::LogSearches],
        )],
    ),
    (
        "10000006",
        "Stine Statistik",
        &[("10213231", &[Right::StatisticsAdmin])],
    ),
    (
        "10000007",
        "Rasmus Rettighedsadministrator",
        &[("29189846", &[Right::RightsAdmin])],
    ),
    (
        "10000008",
        "Ole Operatør",
        &[("34051178", &[Right::Operator, Right::SystemAdmin])],
    ),
    (
        "10000009",
        "Vera Leverandør",
        &[("30808460", &[Right::SystemAdmin, Right::StatisticsAdmin])],
    ),
    (
        "10000010",
        "Nanna Nyby",
        &[("40000011", &[Right::SystemAdmin])],
    ),
    (
        "10000011",
        "Dorte Domstol",
        &[(COURTS, &[Right::LogMessages, Right::SystemAdmin])],
    ),
];

/// Loads the demo data once (idempotent); `history`: with a year of traffic before today.
pub async fn load(db: &DatabaseConnection, history: bool) -> anyhow::Result<()> {
    let txn = db
        .begin()
        .await
        .context("starting the demo-data transaction")?;
    let now = chrono::Utc::now();
    for (cvr, name, kind) in ORGANISATIONS {
        let cvr = Cvr::parse(cvr).map_err(|e| anyhow::anyhow!("demo CVR {cvr}: {e:?}"))?;
        let new = NewOrganisation {
            agreement_accepted_at: joined_at(&cvr, now),
            cvr,
            name: (*name).to_owned(),
            kind: *kind,
        };
        match service::create_organisation(&txn, new, now).await {
            Ok(_) | Err(IdentityError::OrganisationExists(_)) => {}
            Err(err) => return Err(anyhow::Error::new(err).context("loading demo organisations")),
        }
    }
    for (rid, name, grants) in USERS {
        let user = rights::ensure_user(&txn, rid, name, now)
            .await
            .context("loading demo users")?;
        for (cvr, granted) in *grants {
            let cvr = Cvr::parse(cvr).map_err(|e| anyhow::anyhow!("demo CVR {cvr}: {e:?}"))?;
            for right in *granted {
                rights::grant(&txn, &Actor::System, &cvr, &user, *right, now)
                    .await
                    .context("granting demo rights")?;
            }
        }
    }
    let courts = Cvr::parse(COURTS).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Written only once: a second load over a running server stays read-only (SQLite).
    let allowed = service::find_organisation(&txn, COURTS)
        .await
        .context("the courts")?
        .is_some_and(|o| o.legal_notification_allowed);
    if !allowed {
        service::allow_legal_notification(&txn, &courts, true)
            .await
            .context("the courts serve legal notices")?;
    }
    load_systems(&txn, now).await?;
    if history {
        load_contact_structure(&txn, now).await?;
    }
    txn.commit().await.context("committing demo data")?;
    load_messages(db, now, history).await?;
    if history {
        load_reports(db, now).await?;
    }
    Ok(())
}

/// Karl Kontaktstruktur's contact structure (issue 32 item 16): Styrelsen for Digital Test's
/// groups and points, bound to its recipient system — what citizens and companies write to,
/// and where "Flyt post" can move its Virk mail. Once, when it has no group.
async fn load_contact_structure(
    txn: &sea_orm::DatabaseTransaction,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use adgang_api_types::{Audience, ContactGroupInput, ContactPointInput};
    use adgang_contacts::service as contacts;

    let agency = Cvr::parse(AGENCY).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if !contacts::tree(txn, &agency)
        .await
        .map_err(|e| anyhow::anyhow!("the demo contact tree: {e:?}"))?
        .is_empty()
    {
        return Ok(());
    }
    let journal = systems::list(txn, &agency)
        .await?
        .into_iter()
        .find(|s| s.name == "Journalsystem – modtager")
        .map(|s| s.id);
    let group = |name: &str, description: &str, unit: bool| ContactGroupInput {
        name: name.to_owned(),
        description: description.to_owned(),
        is_organisational_unit: unit,
        parent_ids: vec![],
    };
    let mut groups = Vec::new();
    for input in [
        group("Borgerservice", "Henvendelser fra borgere", true),
        group("Erhverv og byggeri", "Henvendelser fra virksomheder", true),
    ] {
        let made = contacts::create_group(txn, &Actor::System, &agency, &input, now)
            .await
            .map_err(|e| anyhow::anyhow!("demo contact group: {e:?}"))?;
        groups.push(made.id);
    }
    let points = [
        (
            "Pas og kørekort",
            0,
            vec![Audience::Citizens],
            vec!["pas", "kørekort"],
        ),
        (
            "Sundhedskort",
            0,
            vec![Audience::Citizens],
            vec!["sundhedskort", "flytning"],
        ),
        (
            "Byggetilladelser",
            1,
            vec![Audience::Citizens, Audience::Businesses],
            vec!["byggetilladelse", "tilbygning"],
        ),
        (
            "Erhvervsaffald",
            1,
            vec![Audience::Businesses],
            vec!["affald", "genbrug"],
        ),
    ];
    for (name, in_group, audiences, keywords) in points {
        let input = ContactPointInput {
            name: name.to_owned(),
            description: format!("Skriv til os om {}.", name.to_lowercase()),
            internal_note: String::new(),
            group_ids: vec![groups[in_group].clone()],
            visible: true,
            audiences,
            capacity: None,
            external_link: None,
            input_fields: vec![],
            keywords: keywords.into_iter().map(str::to_owned).collect(),
            codes: vec![],
            recipient_system_id: journal.clone(),
            active: true,
        };
        contacts::create_point(
            txn,
            &adgang_systems::ports::RecipientSystemsPort,
            &Actor::System,
            &agency,
            &input,
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo contact point: {e:?}"))?;
    }
    Ok(())
}

/// Stine Statistik's reports (issue 32 item 16): a monthly overview subscribed two months ago
/// and a custom report of last month, both due already — the statistics job makes them from
/// the year's traffic soon after start. Once, when Region Prøvested has no report.
async fn load_reports(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use adgang_api_types::{
        NewCustomReport, NewSubscription, ReportInterval, ReportPeriod, ReportVariable,
        StandardReport,
    };
    use adgang_statistics::service as statistics;
    use chrono::Datelike;

    let region = Cvr::parse(REGION).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if !statistics::overview(db, region.as_str()).await?.is_empty() {
        return Ok(());
    }
    let acting = |at| adgang_core::Acting {
        organisation: region.clone(),
        actor: Actor::System,
        actor_rid: String::new(),
        approved_by: "Stine Statistik (Region Prøvested)".to_owned(),
        now: at,
    };
    let subscription = NewSubscription {
        report: StandardReport::Overview,
        interval: ReportInterval::Monthly,
        notify_email: None,
    };
    statistics::subscribe(
        db,
        &acting(now - chrono::Duration::days(62)),
        &subscription,
        false,
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo subscription: {e:?}"))?;
    let this_month = adgang_core::time::copenhagen(now)
        .date_naive()
        .with_day(1)
        .context("the first of this month")?;
    let last_month = ReportPeriod {
        from: this_month - chrono::Months::new(1),
        to: this_month - chrono::Days::new(1),
    };
    let custom = NewCustomReport {
        name: "Breve pr. beskedtype og modtager".to_owned(),
        variables: vec![
            ReportVariable::MessageType,
            ReportVariable::RecipientCustomerType,
        ],
        period: last_month,
        notify_email: None,
    };
    statistics::order_custom(db, &acting(now), &custom, false)
        .await
        .map_err(|e| anyhow::anyhow!("demo report: {e:?}"))?;
    Ok(())
}

/// How many messages the demo sender has sent today (issue 14 item 8).
pub const DEMO_MESSAGES: usize = 240;

/// How far back the demo's traffic goes (issue 32 item 16): a year, so that every statistics
/// report, every log period and the months of the message log have content.
pub const HISTORY_DAYS: i64 = 365;

/// Styrelsen for Digital Test's recipient system was connected this many days ago; its mail
/// from before is in Virk.
const AGENCY_CONNECTED_DAYS_AGO: i64 = 30;
const AGENCY: &str = "34051178";

/// Region Prøvested and its sender system.
const REGION: &str = "10213231";
const REGION_SENDER: &str = "Regionens brevudsender";
const COURTS_SENDER: &str = "Domstolenes forkyndelsessystem";
/// Region Prøvested's journal collects its mail (REST pull): `Afhentet` and business receipts
/// are in its log (issue 32 item 16).
const REGION_RECEIVER: &str = "Regionens journal – modtager";

/// The demo SFTP system's public key (its private half is nobody's: a user trying SFTP puts
/// their own key on the system).
const DEMO_SFTP_KEY: &str = include_str!("../../test-support/fixtures/ssh/ed.pub");

/// Testkommune Nord's "Brevudsender" has sent messages across the demo today: citizens
/// (e-Boks, mit.dk), companies (Virk), Styrelsen for Digital Test (its push system's endpoint
/// does not resolve, so the retries show on its page), NemSMS, and every tenth held for a value
/// date. Before that, a year of traffic from it and from Region Prøvested: about eight letters a
/// weekday each, one on a weekend day, in office hours, to citizens and companies' mailboxes
/// (issue 32 item 16). All through the real intake, so every event is in the message log and
/// the statistics roll the days up. Once, when no message exists.
async fn load_messages(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
    history: bool,
) -> anyhow::Result<()> {
    use adgang_api_types::{MessageType, NewMemo};
    use adgang_messaging::entity::message;
    use adgang_systems::entity::system as system_row;
    use futures_util::{StreamExt, TryStreamExt};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    if message::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    load_nemsms_enrolments(db, now).await?;
    let ports = adgang_messaging::Ports {
        // The demo senders have no API key: nothing is opened with this key.
        systems: std::sync::Arc::new(adgang_systems::ports::ConnectedSystemsPort {
            data_key: adgang_core::secrets::DataKey::generate(),
        }),
        points: std::sync::Arc::new(adgang_contacts::ports::DeliveryPointsPort),
        exemptions: std::sync::Arc::new(adgang_core::ports::NoExemptions),
        nemsms: std::sync::Arc::new(adgang_nemsms::ports::NemSmsPort),
        legal_notices: std::sync::Arc::new(adgang_identity::ports::LegalNotificationPort),
        registry: std::sync::Arc::new(adgang_registry::SyntheticRegistry::new()),
        sms: std::sync::Arc::new(adgang_messaging::outbox::SmsOutbox),
        mailer: std::sync::Arc::new(adgang_messaging::outbox::MailOutbox),
    };
    let mut senders = Vec::new();
    for name in [
        "Brevudsender",
        REGION_SENDER,
        COURTS_SENDER,
        REGION_RECEIVER,
    ] {
        let Some(row) = system_row::Entity::find()
            .filter(system_row::Column::Name.eq(name))
            .one(db)
            .await?
        else {
            return Ok(());
        };
        let system = ports
            .systems
            .system(db, &row.id, now)
            .await?
            .context("a demo sender system")?;
        senders.push((row.organisation_cvr, system));
    }
    let (_, region_receiver) = senders.pop().context("the region's journal")?;
    let (writer, writer_job) = adgang_messaging::IntakeWriter::new(db.clone(), ports.clone());
    // Up before the first message is handed over; the server supervises its own writer later.
    if let Some(up) = adgang_core::Job::liveness(&writer_job) {
        up.set(true);
    }
    let writing = tokio::spawn(adgang_core::jobs::run_forever(writer_job));
    let today = adgang_core::time::copenhagen(now).date_naive();
    let titles = [
        "Afgørelse om byggetilladelse",
        "Indkaldelse til møde",
        "Kvittering for ansøgning",
        "Opkrævning af ejendomsskat",
        "Svar på henvendelse",
        "Indkaldelse til undersøgelse",
        "Besked om ventetid",
    ];
    let memo = |sender: usize, i: usize, recipient: String, message_type, value_date| NewMemo {
        message_id: uuid::Uuid::now_v7().to_string(),
        title: titles[i % titles.len()].to_owned(),
        sender_cvr: senders[sender].0.clone(),
        recipient,
        message_type,
        value_date,
        contact_point_id: None,
        body: Some("Demobrev fra Administrativ Adgangs demodata.".to_owned()),
        attachments: vec![],
    };

    // Today's first: should the year below be cut short (the process stopped), the demo
    // still has today's traffic; a later start sees messages and loads nothing again.
    for i in 0..DEMO_MESSAGES {
        let (recipient, message_type) = match i % 8 {
            0..=3 => (
                adgang_registry::SyntheticRegistry::citizen_cpr(i),
                MessageType::Letter,
            ),
            4 => ("25052943".to_owned(), MessageType::Letter),
            5 => ("34051178".to_owned(), MessageType::Letter),
            6 => (REGION.to_owned(), MessageType::Mandatory),
            _ if i % 16 == 7 => (
                adgang_registry::SyntheticRegistry::citizen_cpr(i),
                MessageType::Nemsms,
            ),
            _ => ("30808460".to_owned(), MessageType::Letter),
        };
        let value_date = (i % 10 == 9).then(|| today + chrono::Days::new(1 + (i % 30) as u64));
        let memo = memo(0, i, recipient, message_type, value_date);
        adgang_messaging::service::intake::submit(
            db,
            db,
            &writer,
            &ports,
            &senders[0].1,
            memo,
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo message {i}: {e:?}"))?;
    }
    // The year before today: one memo at a time per sender would take minutes in a debug
    // build, so 32 are handed to the writer at once (it commits them in groups).
    let mut earlier = Vec::new();
    let mut recalled = Vec::new();
    let mut notices = Vec::new();
    for days_ago in (1..=HISTORY_DAYS).rev().filter(|_| history) {
        let day = now - chrono::Duration::days(days_ago);
        let weekday = adgang_core::time::copenhagen(day).format("%u").to_string();
        let per_sender = if weekday == "6" || weekday == "7" {
            1
        } else {
            8
        };
        // Testkommune Nord and Region Prøvested; the courts below.
        for sender in 0..2 {
            for n in 0..per_sender {
                let i = earlier.len();
                // Office hours, Copenhagen: 07:00–15:00 UTC, spread over the day.
                let at = day
                    .date_naive()
                    .and_hms_opt(7, 0, 0)
                    .unwrap_or_default()
                    .and_utc()
                    + chrono::Duration::minutes((n * 53 + sender * 17) as i64 % 480);
                let (recipient, message_type) = match i % 10 {
                    0..=5 => (
                        adgang_registry::SyntheticRegistry::citizen_cpr(i % 500),
                        MessageType::Letter,
                    ),
                    6 => ("25052943".to_owned(), MessageType::Letter),
                    7 if days_ago > AGENCY_CONNECTED_DAYS_AGO && n % 2 == 0 => {
                        (AGENCY.to_owned(), MessageType::Letter)
                    }
                    7 => ("30808460".to_owned(), MessageType::Letter),
                    8 if sender == 0 => (REGION.to_owned(), MessageType::Mandatory),
                    8 => (
                        adgang_registry::SyntheticRegistry::citizen_cpr(i % 500),
                        MessageType::Letter,
                    ),
                    _ => (
                        adgang_registry::SyntheticRegistry::citizen_cpr(i % 500),
                        MessageType::Nemsms,
                    ),
                };
                // Now and then a memo the intake refuses (an invalid recipient): "Afvist" is in
                // the log too.
                let recipient = if i % 97 == 0 {
                    "1234567".to_owned()
                } else {
                    recipient
                };
                // Now and then the region sends a memo with a value date and recalls it before
                // the date: "Tilbagekaldt" in its log.
                let value_date =
                    (sender == 1 && i % 40 == 1).then(|| day.date_naive() + chrono::Days::new(7));
                let memo = memo(sender, i, recipient, message_type, value_date);
                if value_date.is_some() {
                    recalled.push((memo.message_id.clone(), at));
                }
                earlier.push((sender, memo, at));
            }
        }
        // The courts serve two legal notices a weekday.
        for n in 0..(per_sender / 4) {
            let i = earlier.len();
            let at = day
                .date_naive()
                .and_hms_opt(9, 0, 0)
                .unwrap_or_default()
                .and_utc()
                + chrono::Duration::minutes(n as i64 * 97);
            let recipient = adgang_registry::SyntheticRegistry::citizen_cpr(i * 7 % 500);
            let mut memo = memo(2, i, recipient.clone(), MessageType::LegalNotice, None);
            memo.title = [
                "Forkyndelse af dom",
                "Indkaldelse til retsmøde",
                "Forkyndelse af stævning",
            ][i % 3]
                .to_owned();
            notices.push((recipient, memo.message_id.clone(), at));
            earlier.push((2, memo, at));
        }
    }
    let (writer_ref, ports_ref, senders_ref) = (&writer, &ports, &senders);
    futures_util::stream::iter(earlier)
        .map(|(sender, memo, at)| async move {
            adgang_messaging::service::intake::submit(
                db,
                db,
                writer_ref,
                ports_ref,
                &senders_ref[sender].1,
                memo,
                at,
            )
            .await
            .map(|_| ())
            .or_else(|e| match e {
                // Refused on purpose (above), and logged as such.
                adgang_messaging::MessagingError::Validation(_) => Ok(()),
                e => Err(anyhow::anyhow!("demo history message: {e:?}")),
            })
        })
        .buffer_unordered(32)
        .try_for_each(|()| async { Ok(()) })
        .await?;

    // Every submit returned after its commit: nothing is left in the queue.
    drop(writer);
    writing.abort();

    let region = Cvr::parse(REGION).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for (message_id, at) in recalled {
        let by = Actor::Organisation {
            cvr: region.clone(),
        };
        let later = at + chrono::Duration::hours(2);
        adgang_messaging::service::recall::withdraw(db, &region, &message_id, &by, later)
            .await
            .map_err(|e| anyhow::anyhow!("demo recall: {e:?}"))?;
    }
    // Two of three legal notices are opened by their recipient the next day: served.
    for (k, (recipient, message_id, at)) in notices.into_iter().enumerate() {
        let opened_at = at + chrono::Duration::hours(26);
        if k % 3 == 2 || opened_at > now {
            continue;
        }
        adgang_messaging::service::served::opened(db, &recipient, COURTS, &message_id, opened_at)
            .await
            .map_err(|e| anyhow::anyhow!("demo legal notice opened: {e:?}"))?;
    }
    collect_region_mail(db, &ports, &region_receiver, now).await
}

/// Half the citizens the demo sends NemSMS memos to are enrolled (issue 33 item 1), through
/// the real flow: Birgitte Borgerservice enrols them before the year of traffic, each confirms
/// by the link sent by SMS. The other half's memos are `NemSMS fejlet`.
async fn load_nemsms_enrolments(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use adgang_api_types::{NewNemSmsEnrolment, PartyKind};
    use adgang_messaging::entity::sms_outbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let at = now - chrono::Duration::days(HISTORY_DAYS + 10);
    let north = Cvr::parse("29189846").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let acting = adgang_core::Acting {
        actor: Actor::EmployeeOf {
            cvr: north.clone(),
            rid: "10000001".to_owned(),
        },
        organisation: north,
        actor_rid: "10000001".to_owned(),
        approved_by: "Birgitte Borgerservice (Testkommune Nord)".to_owned(),
        now: at,
    };
    let settings = adgang_nemsms::NemSmsSettings {
        public_base_url: "http://localhost".to_owned(),
        link_lifetime: chrono::Duration::days(14),
    };
    let registry = adgang_registry::SyntheticRegistry::new();
    // Today's NemSMS recipients are `i % 16 == 7`, the year's `i % 500` with `i % 10 == 9`.
    let citizens = (0..DEMO_MESSAGES)
        .filter(|i| i % 32 == 7)
        .chain((0..500).filter(|k| k % 20 == 9));
    let txn = db.begin().await?;
    for k in citizens {
        let new = NewNemSmsEnrolment {
            party: adgang_registry::SyntheticRegistry::citizen_cpr(k),
            phone: format!("+452{k:07}"),
        };
        let gateway = adgang_messaging::outbox::SmsOutbox;
        let receipt = adgang_nemsms::service::enrol(
            &txn,
            &registry,
            &gateway,
            &settings,
            &acting,
            PartyKind::Citizen,
            &new,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo NemSMS enrolment: {e:?}"))?;
        let link = sms_outbox::Entity::find()
            .filter(sms_outbox::Column::Phone.eq(&receipt.phone))
            .order_by_desc(sms_outbox::Column::SentAt)
            .one(&txn)
            .await?
            .context("the confirmation SMS")?;
        let token = link
            .text
            .split("/nemsms/bekraeft/")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .context("the confirmation link")?;
        adgang_nemsms::service::confirm(&txn, token, at + chrono::Duration::hours(1))
            .await
            .map_err(|e| anyhow::anyhow!("demo NemSMS confirmation: {e:?}"))?;
    }
    txn.commit().await?;
    Ok(())
}

/// The region's journal has collected its mail up to two days ago, in the afternoon of the
/// day it arrived, and answered every third with a business receipt an hour later; the
/// newest wait in its queue.
async fn collect_region_mail(
    db: &DatabaseConnection,
    ports: &adgang_messaging::Ports,
    journal: &adgang_core::ports::ConnectedSystem,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use adgang_messaging::entity::message;
    use adgang_messaging::service::pull::{self, Acknowledgement};
    use adgang_messaging::service::receipts::{self, NewBusinessReceipt, ReceiptStatus};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let waiting = message::Entity::find()
        .filter(message::Column::RecipientSystemId.eq(journal.id.as_str()))
        .filter(message::Column::AcceptedAt.lt(now - chrono::Duration::days(2)))
        .order_by_asc(message::Column::AcceptedAt)
        .all(db)
        .await?;
    let mut days: std::collections::BTreeMap<_, Vec<message::Model>> = Default::default();
    for msg in waiting {
        let day = adgang_core::time::copenhagen(msg.accepted_at).date_naive();
        days.entry(day).or_default().push(msg);
    }
    let mut n = 0;
    for messages in days.into_values() {
        for batch in messages.chunks(100) {
            let collected_at = batch.iter().map(|m| m.accepted_at).max().unwrap_or(now)
                + chrono::Duration::hours(2);
            let ack = Acknowledgement {
                message_ids: batch.iter().map(|m| m.message_id.clone()).collect(),
            };
            pull::acknowledge(db, journal, &ack, collected_at)
                .await
                .map_err(|e| anyhow::anyhow!("demo collection: {e:?}"))?;
            for msg in batch {
                n += 1;
                if n % 3 != 0 {
                    continue;
                }
                let (status, text) = if n % 15 == 0 {
                    (
                        ReceiptStatus::Rejected,
                        "Sagen kunne ikke findes i journalen.",
                    )
                } else {
                    (ReceiptStatus::Processed, "Journaliseret på sagen.")
                };
                let receipt = NewBusinessReceipt {
                    message_id: msg.message_id.clone(),
                    sender_cvr: Some(msg.sender_cvr.clone()),
                    status,
                    text: Some(text.to_owned()),
                };
                let answered_at = collected_at + chrono::Duration::hours(1);
                receipts::submit(db, ports, journal, receipt, answered_at)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo business receipt: {e:?}"))?;
            }
        }
    }
    Ok(())
}

/// The authority `cvr` as the owner of demo systems.
fn authority_owner(cvr: &str) -> anyhow::Result<systems::Owner> {
    Ok(systems::Owner {
        cvr: Cvr::parse(cvr).map_err(|e| anyhow::anyhow!("{e:?}"))?,
        kind: OrgKind::Authority,
    })
}

/// Creates the demo system `new` of `owner`.
async fn create_system(
    txn: &sea_orm::DatabaseTransaction,
    ctx: &systems::Context<'_>,
    owner: &systems::Owner,
    new: &NewSystem,
) -> anyhow::Result<()> {
    systems::create(txn, ctx, &Actor::System, owner, new)
        .await
        .map_err(|e| anyhow::anyhow!("demo system: {e:?}"))?;
    Ok(())
}

fn contact(email: &str) -> TechnicalContact {
    TechnicalContact {
        email: email.to_owned(),
        phone: "70 10 20 30".to_owned(),
        extra_email: None,
    }
}

/// A recipient (primary) and a sender system for Testkommune Nord, a recipient system for
/// Styrelsen for Digital Test, and a standard system published by Systemleverandøren A/S —
/// once, when Testkommune Nord has no systems yet.
async fn load_systems(
    txn: &sea_orm::DatabaseTransaction,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let north = Cvr::parse("29189846").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if !systems::list(txn, &north).await?.is_empty() {
        return Ok(());
    }
    let registry = adgang_registry::SyntheticRegistry::new();
    // No demo system has a vendor, so nothing is sealed with this key.
    let data_key = adgang_core::secrets::DataKey::generate();
    // Connected before the year of traffic the demo shows (issue 32 item 16).
    let ctx = systems::Context {
        registry: &registry,
        data_key: &data_key,
        allow_http_endpoints: false,
        bound_points: &adgang_contacts::ports::BoundContactPointsPort,
        now: now - chrono::Duration::days(HISTORY_DAYS + 35),
    };
    let owner = systems::Owner {
        cvr: north,
        kind: OrgKind::Authority,
    };
    let system =
        |name: &str, role, protocol, endpoint: Option<&str>, receipt: Option<&str>| NewSystem {
            name: name.to_owned(),
            role,
            protocol,
            allowed_ips: vec!["192.0.2.10".to_owned(), "192.0.2.11".to_owned()],
            endpoint: endpoint.map(str::to_owned),
            receipt_endpoint: receipt.map(str::to_owned),
            ssh_public_key: None,
            vendor_cvr: None,
            activation: Activation {
                mode: ActivationMode::Now,
                at: None,
            },
            deactivate_at: None,
            technical_contact: contact("digitalpost@testkommune-nord.dk"),
            standard_system_id: None,
            accept_vendor_agreement: false,
            move_virk_mail: false,
        };
    for new in [
        system(
            "Sagssystem – modtager",
            SystemRole::Recipient,
            Protocol::RestPush,
            Some("https://sag.testkommune-nord.dk/digitalpost"),
            None,
        ),
        system(
            "Brevudsender",
            SystemRole::Sender,
            Protocol::RestPull,
            None,
            None,
        ),
    ] {
        create_system(txn, &ctx, &owner, &new).await?;
    }
    // Issue 35: an SFTP sender system for bulk files, reachable from this machine; its page
    // shows the SFTP address and host key (put your own public key on it to try it).
    let mut bulk = system(
        "Masseforsendelser",
        SystemRole::Sender,
        Protocol::Sftp,
        None,
        None,
    );
    bulk.allowed_ips = vec!["127.0.0.1".to_owned(), "::1".to_owned()];
    bulk.ssh_public_key = Some(DEMO_SFTP_KEY.to_owned());
    create_system(txn, &ctx, &owner, &bulk).await?;
    // Styrelsen for Digital Test's recipient system: what its contact administrator binds
    // contact points to.
    let test_agency = authority_owner("34051178")?;
    let mut journal = system(
        "Journalsystem – modtager",
        SystemRole::Recipient,
        Protocol::RestPush,
        Some("https://journal.digitaltest.dk/digitalpost"),
        None,
    );
    journal.technical_contact = contact("drift@digitaltest.dk");
    // Connected a month ago: its mail from before is still in Virk, for "Flyt post".
    let agency_ctx = systems::Context {
        now: now - chrono::Duration::days(AGENCY_CONNECTED_DAYS_AGO),
        ..ctx
    };
    create_system(txn, &agency_ctx, &test_agency, &journal).await?;
    // Region Prøvested sends too: its log administrator and statistics administrator see
    // their own traffic.
    let region = authority_owner(REGION)?;
    let mut region_sender = system(
        REGION_SENDER,
        SystemRole::Sender,
        Protocol::RestPull,
        None,
        None,
    );
    region_sender.technical_contact = contact("digitalpost@regionproevested.dk");
    let mut region_receiver = system(
        REGION_RECEIVER,
        SystemRole::Recipient,
        Protocol::RestPull,
        None,
        None,
    );
    region_receiver.technical_contact = contact("digitalpost@regionproevested.dk");
    for new in [region_sender, region_receiver] {
        create_system(txn, &ctx, &region, &new).await?;
    }
    let courts = authority_owner(COURTS)?;
    let mut courts_sender = system(
        COURTS_SENDER,
        SystemRole::Sender,
        Protocol::RestPull,
        None,
        None,
    );
    courts_sender.technical_contact = contact("digitalpost@domstol.dk");
    create_system(txn, &ctx, &courts, &courts_sender).await?;
    let vendor = Cvr::parse("30808460").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let standard = NewStandardSystem {
        name: "SagsPro Standard".to_owned(),
        role: SystemRole::Recipient,
        protocol: Protocol::RestPush,
        allowed_ips: vec!["198.51.100.20".to_owned()],
        endpoint: Some("https://sagspro.systemleverandoeren.dk/digitalpost".to_owned()),
        receipt_endpoint: None,
        ssh_public_key: None,
        technical_contact: contact("support@systemleverandoeren.dk"),
    };
    systems::publish_standard_system(txn, &ctx, &Actor::System, &vendor, &standard)
        .await
        .map_err(|e| anyhow::anyhow!("demo standard system: {e:?}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_users_cover_every_right_and_include_a_two_organisation_user() {
        for right in Right::ALL {
            assert!(
                USERS
                    .iter()
                    .any(|(_, _, grants)| grants.iter().any(|(_, rs)| rs.contains(&right))),
                "no demo user has {right:?}"
            );
        }
        assert!(USERS.iter().any(|(_, _, grants)| grants.len() >= 2));
        for (_, _, grants) in USERS {
            for (cvr, _) in *grants {
                assert!(
                    ORGANISATIONS.iter().any(|(c, _, _)| c == cvr),
                    "{cvr} is not a demo organisation"
                );
            }
        }
    }
}
