//! Deep links (CS-04) and the point receipt (CS-05).

use super::*;

/// A point's deep links: one per audience it serves.
/// CS-04.
pub async fn point_deep_links(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    urls: &crate::deep_links::PlatformUrls,
) -> Result<Vec<adgang_api_types::DeepLink>, ContactsError> {
    let point = get_point(db, org, id).await?;
    Ok(urls.links(&point.audiences, crate::deep_links::Target::Point(id)))
}

/// The point's receipt (CS-05) as PDF, with its deep links and their QR codes; and the
/// point's name for the file.
pub async fn point_receipt(
    db: &impl ConnectionTrait,
    systems: &dyn RecipientSystems,
    org: &Cvr,
    id: &str,
    urls: &crate::deep_links::PlatformUrls,
    by: &str,
) -> Result<(String, Vec<u8>), ContactsError> {
    let point = get_point(db, org, id).await?;
    let group_names: Vec<String> = contact_group::Entity::find()
        .filter(contact_group::Column::OrganisationCvr.eq(org.as_str()))
        .filter(contact_group::Column::Id.is_in(point.group_ids.clone()))
        .order_by_asc(contact_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect();
    let system = match &point.recipient_system_id {
        Some(system_id) => systems.name(db, org, system_id).await?,
        None => None,
    };
    let links = urls.links(&point.audiences, crate::deep_links::Target::Point(id));
    let pdf = crate::documents::receipt_pdf(&point, &group_names, system.as_deref(), &links, by)
        .map_err(ContactsError::Unexpected)?;
    Ok((point.name, pdf))
}

/// A group's deep links: the audiences of the usable points in it or below it; none yet when
/// it has no usable point.
/// CS-04.
pub async fn group_deep_links(
    db: &impl ConnectionTrait,
    org: &Cvr,
    id: &str,
    urls: &crate::deep_links::PlatformUrls,
) -> Result<Vec<adgang_api_types::DeepLink>, ContactsError> {
    get_group(db, org, id).await?;
    let edges = parent_edges(db, org).await?;
    let mut inside: HashSet<String> = HashSet::from([id.to_owned()]);
    let mut stack = vec![id.to_owned()];
    while let Some(next) = stack.pop() {
        for edge in edges.iter().filter(|e| e.parent_id == next) {
            if inside.insert(edge.group_id.clone()) {
                stack.push(edge.group_id.clone());
            }
        }
    }
    let point_ids: HashSet<String> = placements(db, org)
        .await?
        .into_iter()
        .filter(|p| inside.contains(&p.group_id))
        .map(|p| p.point_id)
        .collect();
    let audiences: Vec<Audience> = contact_point::Entity::find()
        .filter(contact_point::Column::OrganisationCvr.eq(org.as_str()))
        .filter(contact_point::Column::Active.eq(true))
        .filter(contact_point::Column::RecipientSystemId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter(|p| point_ids.contains(&p.id))
        .flat_map(|p| {
            p.audiences
                .split(',')
                .filter_map(Audience::parse)
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(urls.links(&audiences, crate::deep_links::Target::Group(id)))
}
