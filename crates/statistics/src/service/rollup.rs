//! ST-06: every organisation's messages counted per Copenhagen day by every variable, once the
//! day is over — the daily counts every report is summed from, so a report over a year reads a
//! few thousand rows, not millions of messages. One transaction per day starts by inserting
//! the day's row in `statistics_rolled_days`: a second instance fails on its key and leaves.

use std::collections::{HashMap, HashSet};

use adgang_api_types::{CustomerType, Direction};
use adgang_core::ports::{Authorities, MemoFeatures, MessageTallies, MessageTally};
use adgang_core::time::{copenhagen, start_of_day};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryOrder, QuerySelect,
    SqlErr, TransactionTrait,
};

use crate::entity::{daily_count, rolled_day};

/// A day is rolled up this long after it ends, so a message accepted just before midnight and
/// committed just after is in it.
const GRACE: Duration = Duration::minutes(5);
/// Rows per INSERT (11 columns each, well below SQLite's bound variables).
const INSERT_CHUNK: usize = 500;

/// ST-06: data before 22 March 2023 knows only citizens and companies.
pub fn authority_known_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 3, 22).expect("a date")
}

/// The last day whose messages are complete at `now`.
pub fn last_complete_day(now: DateTime<Utc>) -> NaiveDate {
    copenhagen(now - GRACE).date_naive() - Duration::days(1)
}

/// MeMo features as the daily counts store them: `attachments,value_date,contact_point` (those
/// used) or `none`.
pub fn memo_key(memo: MemoFeatures) -> String {
    let used: Vec<&str> = [
        (memo.attachments, "attachments"),
        (memo.value_date, "value_date"),
        (memo.contact_point, "contact_point"),
    ]
    .into_iter()
    .filter_map(|(used, name)| used.then_some(name))
    .collect();
    if used.is_empty() {
        "none".to_owned()
    } else {
        used.join(",")
    }
}

/// The Danish text of a stored MeMo key.
pub fn memo_danish(key: &str) -> String {
    if key == "none" {
        return "Ingen".to_owned();
    }
    key.split(',')
        .map(|feature| match feature {
            "attachments" => "Vedhæftede filer",
            "value_date" => "Valørdato",
            "contact_point" => "Kontaktpunkt",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    organisation_cvr: String,
    direction: Direction,
    sender_system_id: String,
    recipient_system_id: String,
    message_type: String,
    size_band: &'static str,
    sender_type: CustomerType,
    recipient_type: CustomerType,
    memo: String,
}

/// The customer type of an organisation on `day` (ST-06).
fn organisation_type(cvr: &str, authorities: &HashSet<String>, day: NaiveDate) -> CustomerType {
    if day >= authority_known_from() && authorities.contains(cvr) {
        CustomerType::Authority
    } else {
        CustomerType::Company
    }
}

/// One tally counted for its sender (sent) and, when an organisation received it, for the
/// recipient (received): the other party's systems are not the organisation's, so they are
/// left out.
fn count_day(
    tallies: Vec<MessageTally>,
    authorities: &HashSet<String>,
    day: NaiveDate,
) -> HashMap<Key, i64> {
    let mut counts: HashMap<Key, i64> = HashMap::new();
    for tally in tallies {
        let sender_type = organisation_type(&tally.sender_cvr, authorities, day);
        let recipient_type = tally
            .recipient_cvr
            .as_deref()
            .map_or(CustomerType::Citizen, |cvr| {
                organisation_type(cvr, authorities, day)
            });
        let memo = memo_key(tally.memo);
        let messages = tally.messages as i64;
        *counts
            .entry(Key {
                organisation_cvr: tally.sender_cvr.clone(),
                direction: Direction::Outgoing,
                sender_system_id: tally.sender_system_id.clone(),
                recipient_system_id: String::new(),
                message_type: tally.message_type.clone(),
                size_band: tally.size_band.as_str(),
                sender_type,
                recipient_type,
                memo: memo.clone(),
            })
            .or_default() += messages;
        if let Some(recipient) = tally.recipient_cvr {
            *counts
                .entry(Key {
                    organisation_cvr: recipient,
                    direction: Direction::Incoming,
                    sender_system_id: String::new(),
                    recipient_system_id: tally.recipient_system_id.unwrap_or_default(),
                    message_type: tally.message_type,
                    size_band: tally.size_band.as_str(),
                    sender_type,
                    recipient_type,
                    memo,
                })
                .or_default() += messages;
        }
    }
    counts
}

/// Rolls up `day`; false when another instance did it first.
pub async fn roll_day(
    db: &DatabaseConnection,
    tallies: &dyn MessageTallies,
    authorities: &HashSet<String>,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    // The day is over: reading it before the transaction sees what the transaction would.
    let found = tallies
        .tallies(db, start_of_day(day), start_of_day(day + Duration::days(1)))
        .await?;
    let total: u64 = found.iter().map(|t| t.messages).sum();
    let counts = count_day(found, authorities, day);
    let txn = db.begin().await?;
    let marker = rolled_day::Model {
        day,
        messages: total as i64,
        rolled_at: now,
    };
    match marker.into_active_model().insert(&txn).await {
        Ok(_) => {}
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(false)
        }
        Err(err) => return Err(err.into()),
    }
    let rows: Vec<daily_count::ActiveModel> = counts
        .into_iter()
        .map(|(key, messages)| {
            daily_count::Model {
                organisation_cvr: key.organisation_cvr,
                day,
                direction: key.direction.as_str().to_owned(),
                sender_system_id: key.sender_system_id,
                recipient_system_id: key.recipient_system_id,
                message_type: key.message_type,
                size_band: key.size_band.to_owned(),
                sender_type: key.sender_type.as_str().to_owned(),
                recipient_type: key.recipient_type.as_str().to_owned(),
                memo: key.memo,
                messages,
            }
            .into_active_model()
        })
        .collect();
    for chunk in rows.chunks(INSERT_CHUNK) {
        daily_count::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// Rolls up every complete day not rolled up yet, oldest first; answers how many this
/// instance rolled.
pub async fn roll_due_days(
    db: &DatabaseConnection,
    tallies: &dyn MessageTallies,
    authorities: &dyn Authorities,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let last = last_complete_day(now);
    let latest: Option<NaiveDate> = rolled_day::Entity::find()
        .select_only()
        .column(rolled_day::Column::Day)
        .order_by_desc(rolled_day::Column::Day)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    let mut day = match latest {
        Some(latest) => latest + Duration::days(1),
        None => match tallies.first_accepted_at(db).await? {
            Some(first) => copenhagen(first).date_naive(),
            None => return Ok(0),
        },
    };
    if day > last {
        return Ok(0);
    }
    let authorities: HashSet<String> = authorities
        .authorities()
        .await
        .map_err(|e| anyhow::anyhow!("reading the authorities: {e}"))?
        .into_iter()
        .map(|cvr| cvr.as_str().to_owned())
        .collect();
    let mut rolled = 0;
    while day <= last {
        if roll_day(db, tallies, &authorities, day, now).await? {
            rolled += 1;
        }
        day += Duration::days(1);
    }
    Ok(rolled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use adgang_api_types::SizeBand;

    fn tally(sender: &str, recipient: Option<&str>, messages: u64) -> MessageTally {
        MessageTally {
            sender_cvr: sender.into(),
            recipient_cvr: recipient.map(Into::into),
            sender_system_id: "s1".into(),
            recipient_system_id: recipient.map(|_| "r1".into()),
            message_type: "letter".into(),
            size_band: SizeBand::Under100Kb,
            memo: MemoFeatures::default(),
            messages,
        }
    }

    #[test]
    fn st_06_authorities_are_companies_before_22_march_2023() {
        let authorities: HashSet<String> = ["11111111".to_owned()].into();
        let counts = |day| {
            count_day(
                vec![tally("22222222", Some("11111111"), 3)],
                &authorities,
                day,
            )
        };
        let before = counts(NaiveDate::from_ymd_opt(2023, 3, 21).unwrap());
        let after = counts(NaiveDate::from_ymd_opt(2023, 3, 22).unwrap());
        let received = |c: &HashMap<Key, i64>| {
            c.keys()
                .find(|k| k.direction == Direction::Incoming)
                .map(|k| {
                    (
                        k.organisation_cvr.clone(),
                        k.recipient_type,
                        k.sender_type,
                        k.recipient_system_id.clone(),
                    )
                })
        };
        assert_eq!(
            received(&before),
            Some((
                "11111111".into(),
                CustomerType::Company,
                CustomerType::Company,
                "r1".into()
            ))
        );
        assert_eq!(
            received(&after),
            Some((
                "11111111".into(),
                CustomerType::Authority,
                CustomerType::Company,
                "r1".into()
            ))
        );
        // The sender's count leaves out the recipient's system; a citizen has no incoming side.
        let sent = after
            .keys()
            .find(|k| k.direction == Direction::Outgoing)
            .unwrap();
        assert_eq!(
            (
                sent.organisation_cvr.as_str(),
                sent.recipient_system_id.as_str()
            ),
            ("22222222", "")
        );
        let citizen = count_day(
            vec![tally("22222222", None, 2)],
            &authorities,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        assert_eq!(citizen.len(), 1);
        assert_eq!(
            citizen.keys().next().unwrap().recipient_type,
            CustomerType::Citizen
        );
    }

    #[test]
    fn st_01_memo_functionality_names_the_features_used() {
        assert_eq!(memo_key(MemoFeatures::default()), "none");
        let all = MemoFeatures {
            attachments: true,
            value_date: true,
            contact_point: true,
        };
        assert_eq!(memo_key(all), "attachments,value_date,contact_point");
        assert_eq!(
            memo_danish(&memo_key(all)),
            "Vedhæftede filer, Valørdato, Kontaktpunkt"
        );
        assert_eq!(memo_danish("none"), "Ingen");
    }
}
