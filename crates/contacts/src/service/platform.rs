//! The platforms' read API (CS-08): search and organisational units.

use super::*;

/// Every keyword of the organisation's points in one query, by point, in position order.
pub(crate) async fn keywords_by_point(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<HashMap<String, Vec<String>>, ContactsError> {
    use sea_orm::{QuerySelect, QueryTrait};
    let mut keywords: HashMap<String, Vec<String>> = HashMap::new();
    for k in contact_point_keyword::Entity::find()
        .filter(
            contact_point_keyword::Column::PointId.in_subquery(
                contact_point::Entity::find()
                    .select_only()
                    .column(contact_point::Column::Id)
                    .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
                    .into_query(),
            ),
        )
        .order_by_asc(contact_point_keyword::Column::PointId)
        .order_by_asc(contact_point_keyword::Column::Position)
        .all(db)
        .await?
    {
        keywords.entry(k.point_id).or_default().push(k.keyword);
    }
    Ok(keywords)
}

/// The points the platforms can find, indexed for the search: keywords sorted for a prefix
/// lookup, names in one lower-case text for a single substring scan. Built once per structure
/// version; a query then costs microseconds, not a pass over every point.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// In name order.
    points: Vec<(Vec<Audience>, adgang_api_types::PublicContactPoint)>,
    /// Every name in lower case, each followed by a line break.
    names: String,
    /// Where each point's name starts in `names`.
    name_starts: Vec<usize>,
    /// (keyword in lower case, point index), sorted.
    keywords: Vec<(String, usize)>,
}

/// The organisation's visible, usable points (active and bound to a recipient system), by
/// name, indexed for [`search`].
/// CS-08.
pub async fn searchable_points(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<SearchIndex, ContactsError> {
    let points = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .filter(contact_point::Column::Visible.eq(true))
        .filter(contact_point::Column::Active.eq(true))
        .filter(contact_point::Column::RecipientSystemId.is_not_null())
        .order_by_asc(contact_point::Column::Name)
        .order_by_asc(contact_point::Column::Id)
        .all(db)
        .await?;
    let mut keywords = keywords_by_point(db, org).await?;
    let mut index = SearchIndex::default();
    for p in points {
        let words = keywords.remove(&p.id).unwrap_or_default();
        let at = index.points.len();
        index
            .keywords
            .extend(words.iter().map(|w| (w.to_lowercase(), at)));
        index.name_starts.push(index.names.len());
        index
            .names
            .push_str(&p.name.to_lowercase().replace('\n', " "));
        index.names.push('\n');
        index.points.push((
            p.audiences.split(',').filter_map(Audience::parse).collect(),
            adgang_api_types::PublicContactPoint {
                keywords: words,
                input_fields: serde_json::from_str(&p.input_fields).unwrap_or_default(),
                external_link: p
                    .external_link
                    .as_deref()
                    .and_then(|j| serde_json::from_str(j).ok()),
                capacity: Capacity {
                    max_message_size_bytes: u64::try_from(p.max_message_size_bytes)
                        .unwrap_or_default(),
                    max_attachments: u32::try_from(p.max_attachments).unwrap_or_default(),
                },
                id: p.id,
                name: p.name,
                description: p.description,
            },
        ));
    }
    index.keywords.sort();
    Ok(index)
}

/// The points for `audience` matching `query` by keyword (prefix, any letter case) or name
/// (substring), in name order; all of them when `query` is empty.
/// CS-08.
pub fn search(
    index: &SearchIndex,
    query: &str,
    audience: Audience,
) -> Vec<adgang_api_types::PublicContactPoint> {
    let query = query.trim().to_lowercase();
    let mut hit = vec![query.is_empty(); index.points.len()];
    if !query.is_empty() {
        let first = index
            .keywords
            .partition_point(|(k, _)| k.as_str() < query.as_str());
        for (_, at) in index.keywords[first..]
            .iter()
            .take_while(|(k, _)| k.starts_with(&query))
        {
            hit[*at] = true;
        }
        if !query.contains('\n') {
            for found in memchr::memmem::find_iter(index.names.as_bytes(), query.as_bytes()) {
                let at = index.name_starts.partition_point(|start| *start <= found) - 1;
                hit[at] = true;
            }
        }
    }
    index
        .points
        .iter()
        .zip(hit)
        .filter(|((audiences, _), hit)| *hit && audiences.contains(&audience))
        .map(|((_, point), _)| point.clone())
        .collect()
}

/// Groups flagged as organisational units (CS-08).
pub async fn organisational_units(
    db: &impl ConnectionTrait,
    org: &Cvr,
) -> Result<Vec<adgang_api_types::PublicOrganisationalUnit>, ContactsError> {
    Ok(group_models(db, org)
        .await?
        .into_iter()
        .filter(|g| g.is_organisational_unit)
        .map(|g| adgang_api_types::PublicOrganisationalUnit {
            id: g.id,
            name: g.name,
            description: g.description,
        })
        .collect())
}
